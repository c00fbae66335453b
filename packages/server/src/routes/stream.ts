// GET /api/stream: Server-Sent Events. `status` when a scope's state or reason changes; `sites` with
// fresh site summaries, at most once per interval, whenever site figures move.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ScopeStatus } from '@wardwatch/schema';
import type { StatusBoard } from '../status-board.ts';

export interface StreamOptions {
  board: StatusBoard;
  /** Least time between two `sites` messages. */
  sitesIntervalMs?: number;
  /** Comment lines keep proxies from closing an idle stream. */
  keepAliveMs?: number;
}

export function streamRoutes({ board, sitesIntervalMs = 1000, keepAliveMs = 15_000 }: StreamOptions): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    streamSSE(c, async (stream) => {
      const queue: ScopeStatus[] = [];
      let sitesDue = true; // a fresh client gets the current summaries at once
      let wake: (() => void) | undefined;
      const unsubscribe = board.subscribe((status, changed) => {
        if (changed) queue.push(status);
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
            await stream.writeSSE({ event: 'sites', data: JSON.stringify(board.sites()), id: String(++id) });
            lastWrite = now;
          }
          if (now - lastWrite >= keepAliveMs) {
            await stream.write(': keep-alive\n\n');
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
