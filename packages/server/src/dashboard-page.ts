// GET / (and the dashboard's client-side routes): the dashboard's page with the site grid's first
// frame in it — the caller's sites drawn as the grid draws them, with the likely causes above them,
// and the same list, clock and causes for the app to take the frame over
// (@wardwatch/dashboard/first-frame). The list is GET /api/sites' answer for the same caller, the
// causes GET /api/causes': the board's sites with their alerts, only the trusts the caller may see. The
// page is per caller, so it is never kept by a shared cache. It is compressed here in one call and
// sent with its length, rather than streamed through the compressing middleware: streamed, its half
// megabyte of markup left in pieces, and the browser laid the grid out as each arrived (measured in a
// trace under load: the page's end ~240 ms after its start, against ~10 ms compressed in one go).
// The page's styles are inline (the build puts them there, so the first paint waits for no other
// request), and so are the frame's scripts (in the head, the entry's loader and the deep-link check
// that keeps a deep link such as #/wall from painting the grid: @wardwatch/dashboard's
// ui/markup/deep-link.ts; right after the frame, the one that holds the heat map's runs out of view
// back from the first frame: ui/markup/tile-runs.ts); the Content-Security-Policy allows exactly
// those by their hash, for this answer.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handler } from 'hono';
import { compressWhole, negotiateEncoding } from './middleware/compress/index.ts';
import { inlineScriptHashes, inlineStyleHashes } from './middleware/security-headers/inline-hashes.ts';
import { withFirstFrame } from '@wardwatch/dashboard/first-frame';
import { trustScopeOf } from './auth/trust-scope.ts';
import type { MaintenanceNow } from './maintenance-now.ts';
import { causeList, siteList } from './routes/sites.ts';
import type { SloEvaluator } from './slo-evaluator.ts';
import type { StatusBoard } from './status-board.ts';

export interface DashboardPageOptions {
  /** The built dashboard (its index.html names the hashed bundle). */
  dir: string;
  board: StatusBoard;
  slos?: Pick<SloEvaluator, 'book' | 'now'>;
  /** Maintenance windows open now on the site summaries, as GET /api/sites gives them. */
  maintenance?: Pick<MaintenanceNow, 'mark' | 'markCauses'>;
  /** The server's event-time clock (the simulated one in demo mode), as the stream's `clock` says it. */
  clock?: () => number;
  /** The wall clock, for the stale banner's wording. */
  wallNow?: () => number;
  /** False: the page as built, without the first frame (for comparing with builds from before it). */
  firstFrame?: boolean;
}

export const DASHBOARD_PAGE_CACHE_CONTROL = 'private, no-cache';

export function dashboardPage({ dir, board, slos, maintenance, clock = Date.now, wallNow = Date.now, firstFrame = true }: DashboardPageOptions): Handler {
  const path = join(dir, 'index.html');
  // Read again only when a build has rewritten it (a running server outlives builds in development).
  let cached: { mtimeMs: number; page: string; styleHashes: string } | undefined;
  const built = async () => {
    const { mtimeMs } = await stat(path);
    if (cached?.mtimeMs !== mtimeMs) {
      const page = await readFile(path, 'utf8');
      cached = { mtimeMs, page, styleHashes: inlineStyleHashes(page) };
    }
    return cached;
  };
  return async (c) => {
    const { page, styleHashes } = await built();
    if (styleHashes) c.set('styleHashes', styleHashes);
    const trusts = trustScopeOf(c);
    const data = () => ({
      sites: siteList(board, slos, maintenance).filter((s) => trusts.sees(s.trust)),
      clock: { now: clock(), asOf: board.asOf() },
      causes: causeList(board, (trust) => trusts.sees(trust), maintenance),
    });
    const text = firstFrame ? withFirstFrame(page, data(), wallNow()) : page;
    // The frame puts its scripts in the head and right after itself: looked for there alone, not through the frame.
    const frameEnd = text.indexOf('</ww-app>');
    const scriptHashes = inlineScriptHashes(text.slice(0, text.indexOf('</head>')) + (frameEnd < 0 ? '' : text.slice(frameEnd, text.indexOf('\n', frameEnd))));
    if (scriptHashes) c.set('scriptHashes', scriptHashes);
    const html = Buffer.from(text);
    const encoding = negotiateEncoding(c.req.header('accept-encoding'));
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': DASHBOARD_PAGE_CACHE_CONTROL, Vary: 'Accept-Encoding' };
    if (encoding) headers['Content-Encoding'] = encoding;
    // Brotli at quality 4: half the time of the middleware's 5 on this page (~2 against ~5 ms for
    // 500 kB, on the way to the first paint) for ~20 % more bytes (19 against 16 kB).
    const body = encoding ? compressWhole(html, encoding, 4) : html;
    headers['Content-Length'] = String(body.length);
    return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200, headers);
  };
}
