// Compression of text answers (JSON, HTML, CSS, JS, CSV) by what the client accepts: brotli first,
// gzip as the fallback, none for a client that accepts neither. Brotli runs at a quality made for
// answers built on each request (5: smaller than gzip's best at a fraction of brotli's slowest
// settings); the dashboard's files come precompressed at quality 11 from the build, and an answer
// that already has a Content-Encoding is left as it is. Never the live stream (text/event-stream:
// each message must leave as it is written), never a partial answer, nor one marked no-transform.
import { pipeline, Readable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';

export type Encoding = 'br' | 'gzip';

export interface CompressOptions {
  /** Answers of a stated length under this many bytes go as they are (default 1,024). */
  threshold?: number;
  /** Brotli quality for answers compressed on the fly, 0–11 (default 5). */
  brotliQuality?: number;
}

/** Preferred first when the client's weights are equal. */
const PREFERENCE: readonly Encoding[] = ['br', 'gzip'];

/**
 * The encoding to answer with for an Accept-Encoding header: the acceptable one (weight above 0,
 * named or through `*`) with the highest weight, brotli before gzip on a tie; undefined for none.
 */
export function negotiateEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  let best: Encoding | undefined;
  let bestWeight = 0;
  for (const encoding of PREFERENCE) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

export function compress({ threshold = 1024, brotliQuality = 5 }: CompressOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (!COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || res.status === 206 || c.req.method === 'HEAD') return;
    if (res.headers.has('content-encoding') || /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '')) return;
    const length = res.headers.get('content-length');
    if (length !== null && Number(length) < threshold) return;
    // The answer depends on the request's Accept-Encoding, whichever encoding this one gets.
    const vary = res.headers.get('vary');
    if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? '')) res.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = negotiateEncoding(c.req.header('accept-encoding'));
    if (!encoding || !res.body) return;
    const compressor =
      encoding === 'br'
        ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
        : createGzip();
    // A failure on either side ends both (the client sees a cut answer, as without compression).
    const body = pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), compressor, () => {});
    c.res = new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, res);
    c.res.headers.delete('content-length');
    c.res.headers.set('content-encoding', encoding);
    const etag = c.res.headers.get('etag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('etag', `W/${etag}`);
  };
}
