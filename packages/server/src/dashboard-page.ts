// GET / (and the dashboard's client-side routes): the dashboard's page with the site grid's first
// frame in it — the caller's sites drawn as the grid draws them, and the same list and clock for the
// app to take the frame over (@wardwatch/dashboard/first-frame). The list is GET /api/sites' answer
// for the same caller: the board's sites with their alerts, only the trusts the caller may see. The
// page is per caller, so it is never kept by a shared cache. It leaves in two pieces, each compressed
// here whole (not in the compressing middleware's pieces: streamed that way, its half megabyte of
// markup left in pieces and the browser laid the grid out as each arrived — measured in a trace under
// load, the page's end ~240 ms after its start): first the part before the frame, the same for every
// caller, as soon as the request is read, so that the browser commits the navigation and creates the
// document while the frame is written (~9 ms here quiet, 40–70 ms under load: about as long as the
// commit); then the frame and its data in one piece. Rendering waits until the frame is parsed
// (first-frame.ts), so the grid is still laid out once.
// The page's styles are inline (the build puts them there, so the first paint waits for no other
// request), and so are the frame's scripts (in the head, the entry's loader and the deep-link check
// that keeps a deep link such as #/wall from painting the grid: @wardwatch/dashboard's
// ui/markup/deep-link.ts; right after the frame, the one that holds the heat map's runs out of view
// back from the first frame: ui/markup/tile-runs.ts); the Content-Security-Policy allows exactly
// those by their hash, for this answer.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from 'node:zlib';
import type { Handler } from 'hono';
import { negotiateEncoding, type Encoding } from './middleware/compress/index.ts';
import { AFTER_FRAME_SCRIPT, firstFrameBodyHtml, firstFramePage, type FirstFramePage } from '@wardwatch/dashboard/first-frame';
import { trustScopeOf } from './auth/trust-scope.ts';
import { siteList } from './routes/sites.ts';
import type { SloEvaluator } from './slo-evaluator.ts';
import type { StatusBoard } from './status-board.ts';

export interface DashboardPageOptions {
  /** The built dashboard (its index.html names the hashed bundle). */
  dir: string;
  board: StatusBoard;
  slos?: Pick<SloEvaluator, 'book' | 'now'>;
  /** The server's event-time clock (the simulated one in demo mode), as the stream's `clock` says it. */
  clock?: () => number;
  /** The wall clock, for the stale banner's wording. */
  wallNow?: () => number;
  /** False: the page as built, without the first frame (for comparing with builds from before it). */
  firstFrame?: boolean;
}

export const DASHBOARD_PAGE_CACHE_CONTROL = 'private, no-cache';

/** The CSP sources ('sha256-…', space-separated) of a page's inline <style> elements, as browsers hash their text. */
export function inlineStyleHashes(page: string): string {
  return [...page.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`).join(' ');
}

/**
 * The same for a page's inline classic scripts (`<script>` with no attribute: the first frame's
 * deep-link check). The frame's data block (type application/json) is never run and needs none.
 */
export function inlineScriptHashes(page: string): string {
  return [...page.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`).join(' ');
}

/** Brotli at quality 4: half the time of the middleware's 5 on this page (~2 against ~5 ms for 500 kB) for ~20 % more bytes (19 against 16 kB). */
const BROTLI_PARAMS = { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT };

/** A compressor for the page's two pieces (a pass-through for none); `flush` sends what it holds so far. */
function pieceEncoder(encoding: Encoding | undefined): { stream: Transform; flush: () => void } {
  if (encoding === 'br') {
    const stream = createBrotliCompress({ params: BROTLI_PARAMS });
    return { stream, flush: () => stream.flush(constants.BROTLI_OPERATION_FLUSH) };
  }
  if (encoding === 'gzip') {
    const stream = createGzip();
    return { stream, flush: () => stream.flush(constants.Z_SYNC_FLUSH) };
  }
  return { stream: new PassThrough(), flush: () => {} };
}

export function dashboardPage({ dir, board, slos, clock = Date.now, wallNow = Date.now, firstFrame = true }: DashboardPageOptions): Handler {
  const path = join(dir, 'index.html');
  // Read again only when a build has rewritten it (a running server outlives builds in development).
  let cached: { mtimeMs: number; page: string; styleHashes: string; parts: FirstFramePage | undefined; scriptHashes: string } | undefined;
  const built = async () => {
    const { mtimeMs } = await stat(path);
    if (cached?.mtimeMs !== mtimeMs) {
      const page = await readFile(path, 'utf8');
      const parts = firstFrame ? firstFramePage(page) : undefined;
      // The frame's scripts are in the head and right after the frame, never in it: hashed from those alone.
      const scripts = parts ? parts.before.slice(0, parts.before.indexOf('</head>')) + AFTER_FRAME_SCRIPT : page.slice(0, Math.max(0, page.indexOf('</head>')));
      cached = { mtimeMs, page, styleHashes: inlineStyleHashes(page), parts, scriptHashes: inlineScriptHashes(scripts) };
    }
    return cached;
  };
  return async (c) => {
    const { page, styleHashes, parts, scriptHashes } = await built();
    if (styleHashes) c.set('styleHashes', styleHashes);
    if (scriptHashes) c.set('scriptHashes', scriptHashes);
    const trusts = trustScopeOf(c);
    const encoding = negotiateEncoding(c.req.header('accept-encoding'));
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': DASHBOARD_PAGE_CACHE_CONTROL, Vary: 'Accept-Encoding' };
    if (encoding) headers['Content-Encoding'] = encoding;
    if (!parts) {
      // The page as built (no frame to write in it): compressed in one call, sent with its length.
      const html = Buffer.from(page);
      const body = encoding === 'br' ? brotliCompressSync(html, { params: { ...BROTLI_PARAMS, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } }) : encoding === 'gzip' ? gzipSync(html) : html;
      headers['Content-Length'] = String(body.length);
      return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200, headers);
    }
    const { stream, flush } = pieceEncoder(encoding);
    stream.write(parts.before);
    flush();
    // The frame is written once the first piece is on its way (the compressor works off this thread).
    setImmediate(() => {
      if (stream.destroyed) return; // the caller went away
      try {
        const data = { sites: siteList(board, slos).filter((s) => trusts.sees(s.trust)), clock: { now: clock(), asOf: board.asOf() } };
        stream.end(firstFrameBodyHtml(data, wallNow()) + parts.after);
      } catch (error) {
        stream.destroy(error as Error);
      }
    });
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, headers);
  };
}
