// GET /api/stream: Server-Sent Events. `status` when a scope's state or reason changes; `sites` with
// fresh site summaries, at most once per interval, whenever site figures move; `clock` beside each
// `sites` and each keep-alive, so a page can tell the age of what it shows.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ScopeStatus, SiteSummary } from '@wardwatch/schema';
import type { StatusBoard } from '../status-board.ts';
import { trustScopeOf, type TrustScope } from '../auth/trust-scope.ts';
import { sitesWithAlerts } from '../site-alerts.ts';
import type { SloEvaluator } from '../slo-evaluator.ts';
import { firingAlerts } from './sites.ts';
import { parseStatusFilter } from './stream-filter.ts';
import { siteChanges } from './site-changes.ts';

export interface StreamOptions {
  board: StatusBoard;
  /** Least time between two `sites` messages. */
  sitesIntervalMs?: number;
  /** Comment lines keep proxies from closing an idle stream. */
  keepAliveMs?: number;
  /** The server's event-time clock (the simulated one in demo mode), sent as `clock`. */
  clock?: () => number;
  /** Alerts on the site summaries, as GET /api/sites gives them. */
  slos?: Pick<SloEvaluator, 'book' | 'now'>;
}

/** Streams that write in one turn of the event loop after a change (see turn()). */
const STREAMS_PER_TURN = 10;

export function streamRoutes({ board, sitesIntervalMs = 1000, keepAliveMs = 15_000, clock = Date.now, slos }: StreamOptions): Hono {
  const app = new Hono();
  // Shared by every open stream: each status and each trust's site list is serialised once per
  // change, not once per connection (a thousand streams would otherwise stall the server for seconds).
  const statusJson = new WeakMap<ScopeStatus, string>();
  const json = (status: ScopeStatus) => {
    let text = statusJson.get(status);
    if (text === undefined) statusJson.set(status, (text = JSON.stringify(status)));
    return text;
  };
  let version = 0;
  board.subscribe(() => void version++);
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const release = () => {
    for (const resume of waiting.splice(0, STREAMS_PER_TURN)) resume();
    if (waiting.length > 0) setImmediate(release);
    else scheduled = false;
  };
  const turn = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
    });
  const sitesJson = new Map<string, { version: number; at: number; text: string }>();
  const sitesFor = (trusts: TrustScope, key: string) => {
    const cached = sitesJson.get(key);
    const now = Date.now();
    // Alerts change without a status change: a cached list lives at most one interval.
    if (cached && cached.version === version && now - cached.at < sitesIntervalMs) return cached.text;
    const text = JSON.stringify(sitesWithAlerts(board.sites().filter((s) => trusts.sees(s.trust)), firingAlerts(slos)));
    sitesJson.set(key, { version, at: now, text });
    return text;
  };
  app.get('/', (c) => {
    // ?statuses= — the status events this page shows (stream-filter.ts): none for the grid.
    const wanted = parseStatusFilter(c.req.query('statuses'));
    if (typeof wanted === 'string') return c.json({ error: wanted }, 400);
    return streamSSE(c, async (stream) => {
      // Only the caller's trusts: statuses and site summaries of the others never reach the stream.
      const trusts = trustScopeOf(c);
      const trustKey = (c.get('principal')?.trusts ?? ['*']).join(',');
      // ?sites=changes: the whole list once, then only what moved per site (site-changes.ts).
      const sent = c.req.query('sites') === 'changes' ? new Map<string, string>() : undefined;
      let sentWhole = false;
      const queue: ScopeStatus[] = [];
      let sitesDue = true; // a fresh client gets the current summaries at once
      let wake: (() => void) | undefined;
      const unsubscribe = board.subscribe((status, changed) => {
        if (changed && trusts.sees(status.trust) && wanted(status)) queue.push(status);
        if (status.scope === 'site') sitesDue = true;
        // Once per batch, not once per status: a change on 200 sites wakes each stream one time.
        const w = wake;
        wake = undefined;
        w?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      let lastSites = 0;
      let lastWrite = Date.now();
      let id = 0;
      try {
        while (open) {
          if (queue.length > 0) {
            // One write for all that is queued.
            let text = '';
            for (const status of queue.splice(0)) text += `event: status\ndata: ${json(status)}\nid: ${++id}\n\n`;
            await stream.write(text);
            lastWrite = Date.now();
          }
          const now = Date.now();
          if (sitesDue && now - lastSites >= sitesIntervalMs) {
            sitesDue = false;
            lastSites = now;
            const text = sitesFor(trusts, trustKey);
            if (sent && sentWhole) {
              const changes = siteChanges(sent, JSON.parse(text) as SiteSummary[]);
              if (changes.length > 0) await stream.writeSSE({ event: 'sites-changed', data: JSON.stringify(changes), id: String(++id) });
            } else {
              if (sent) siteChanges(sent, JSON.parse(text) as SiteSummary[]);
              sentWhole = true;
              await stream.writeSSE({ event: 'sites', data: text, id: String(++id) });
            }
            await stream.writeSSE({ event: 'clock', data: JSON.stringify({ now: clock(), asOf: board.asOf() }), id: String(++id) });
            lastWrite = now;
          }
          if (now - lastWrite >= keepAliveMs) {
            // The clock doubles as the keep-alive: a quiet estate still tells the page its age.
            await stream.writeSSE({ event: 'clock', data: JSON.stringify({ now: clock(), asOf: board.asOf() }), id: String(++id) });
            lastWrite = now;
          }
          const waitMs = sitesDue ? Math.max(10, sitesIntervalMs - (now - lastSites)) : keepAliveMs;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          // Woken with every other stream by one change: take turns, a few streams per turn of the
          // event loop, so requests (/healthz, the API) are served between the streams' writes.
          await turn();
        }
      } finally {
        unsubscribe();
      }
    });
  });
  return app;
}
