// GET /api/stream: Server-Sent Events. `status` when a scope's state or reason changes; `sites` with
// fresh site summaries, at most once per interval, whenever site figures move; `clock` beside each
// `sites` and each keep-alive, so a page can tell the age of what it shows.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ScopeStatus } from '@wardwatch/schema';
import type { StatusBoard } from '../status-board.ts';
import { trustScopeOf } from '../auth/trust-scope.ts';
import { sitesWithAlerts } from '../site-alerts.ts';
import type { SloEvaluator } from '../slo-evaluator.ts';
import { firingAlerts } from './sites.ts';

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

export function streamRoutes({ board, sitesIntervalMs = 1000, keepAliveMs = 15_000, clock = Date.now, slos }: StreamOptions): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    streamSSE(c, async (stream) => {
      // Only the caller's trusts: statuses and site summaries of the others never reach the stream.
      const trusts = trustScopeOf(c);
      const queue: ScopeStatus[] = [];
      let sitesDue = true; // a fresh client gets the current summaries at once
      let wake: (() => void) | undefined;
      const unsubscribe = board.subscribe((status, changed) => {
        if (changed && trusts.sees(status.trust)) queue.push(status);
        if (status.scope === 'site') sitesDue = true;
        wake?.();
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
          while (queue.length > 0) {
            await stream.writeSSE({ event: 'status', data: JSON.stringify(queue.shift()), id: String(++id) });
            lastWrite = Date.now();
          }
          const now = Date.now();
          if (sitesDue && now - lastSites >= sitesIntervalMs) {
            sitesDue = false;
            lastSites = now;
            await stream.writeSSE({ event: 'sites', data: JSON.stringify(sitesWithAlerts(board.sites().filter((s) => trusts.sees(s.trust)), firingAlerts(slos))), id: String(++id) });
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
        }
      } finally {
        unsubscribe();
      }
    }),
  );
  return app;
}
