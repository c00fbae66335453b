// GET /api/stream: Server-Sent Events. `status` when a scope's state or reason changes; `sites` with
// fresh site summaries, at most once per interval, whenever site figures move; `clock` beside each
// `sites` and each keep-alive, so a page can tell the age of what it shows.
import { Hono } from 'hono';
import type { StatusBoard } from '../status-board.ts';
import { trustScopeOf } from '../auth/trust-scope.ts';
import type { SloEvaluator } from '../slo-evaluator.ts';
import type { MaintenanceNow } from '../maintenance-now.ts';
import { siteList } from './sites.ts';
import { parseStatusFilter } from './stream-filter.ts';
import { sseFrame, StreamBroadcast, type SiteList, type StatusBatch, type StreamView } from './stream-broadcast.ts';
import { SseBody } from './sse-body.ts';

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
  /** Maintenance windows open now on the site summaries, as GET /api/sites gives them. */
  maintenance?: Pick<MaintenanceNow, 'mark' | 'subscribe'>;
  /** A stream that failed (its connection is dropped), for the log. */
  onError?: (error: unknown) => void;
}

export function streamRoutes({ board, sitesIntervalMs = 1000, keepAliveMs = 15_000, clock = Date.now, slos, maintenance, onError = (error) => console.error(error) }: StreamOptions): Hono {
  const app = new Hono();
  // Shared by every open stream (stream-broadcast.ts): a change's frames are built and encoded once
  // per view, not once per connection (a thousand streams would otherwise hold the server for seconds).
  const broadcast = new StreamBroadcast(board, () => siteList(board, slos, maintenance), sitesIntervalMs);
  // A window recorded or removed moves its trust's site lists with no status behind it.
  maintenance?.subscribe((trusts) => broadcast.sitesMoved(trusts));
  app.get('/', (c) => {
    // ?statuses= — the status events this page shows (stream-filter.ts): none for the grid.
    const statuses = c.req.query('statuses');
    const wanted = parseStatusFilter(statuses);
    if (typeof wanted === 'string') return c.json({ error: wanted }, 400);
    // Only the caller's trusts: statuses and site summaries of the others never reach the stream.
    const trusts = trustScopeOf(c);
    const trustKey = (c.get('principal')?.trusts ?? ['*']).join(',');
    const view: StreamView = { key: `${trustKey}\n${statuses ?? ''}`, trusts, wanted };
    // ?sites=changes: the whole list once, then only what moved per site (site-changes.ts).
    const changesOnly = c.req.query('sites') === 'changes';
    const body = new SseBody();
    const batches: StatusBatch[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = broadcast.subscribe((batch) => {
      batches.push(batch);
      const w = wake;
      wake = undefined;
      w?.();
    });
    body.onClose(() => {
      unsubscribe();
      wake?.();
    });
    const clockFrame = () => sseFrame('clock', JSON.stringify({ now: clock(), asOf: broadcast.asOf() }));

    const run = async () => {
      let lastList: SiteList | undefined;
      let sitesDue = true; // a fresh client gets the current summaries at once
      let lastSites = 0;
      let lastWrite = Date.now();
      while (!body.closed) {
        const frames: Uint8Array[] = [];
        for (const batch of batches.splice(0)) {
          const statusFrames = batch.framesFor(view);
          if (statusFrames) frames.push(statusFrames);
          if (batch.movesSitesOf(trusts)) sitesDue = true;
        }
        const now = Date.now();
        if (sitesDue && now - lastSites >= sitesIntervalMs) {
          sitesDue = false;
          lastSites = now;
          const list = broadcast.siteList(trusts, trustKey);
          if (!changesOnly || !lastList) frames.push(list.wholeFrame());
          else if (list !== lastList) {
            const changes = list.changesSince(lastList);
            if (changes) frames.push(changes);
          }
          lastList = list;
          frames.push(clockFrame());
        } else if (now - lastWrite >= keepAliveMs) {
          // The clock doubles as the keep-alive: a quiet estate still tells the page its age.
          frames.push(clockFrame());
        }
        if (frames.length > 0) {
          // Bytes already encoded and shared; this waits only while the socket is full.
          await body.write(frames);
          lastWrite = now;
        }
        // A change that came while this stream was writing is already waiting: no sleep for it.
        if (batches.length === 0 && !body.closed) {
          const waitMs = sitesDue ? Math.max(10, sitesIntervalMs - (now - lastSites)) : keepAliveMs;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        // Woken with every other stream by one change (or by timers set for the same moment): take
        // turns, a few streams per turn of the event loop, so requests are served between the writes.
        await broadcast.turn();
      }
    };
    void run().then(
      () => body.end(),
      (error: unknown) => {
        onError(error);
        body.fail(error);
      },
    );
    return c.body(body.stream, 200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Tells the Node adapter the body is open-ended: send the headers now, read no chunk ahead.
      'Transfer-Encoding': 'chunked',
    });
  });
  return app;
}
