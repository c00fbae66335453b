// Compression of text answers (JSON, HTML, CSS, JS, CSV) by what the client accepts: brotli first,
// gzip as the fallback, none for a client that accepts neither. Brotli runs at a quality made for
// answers built on each request (5: smaller than gzip's best at a fraction of brotli's slowest
// settings); the dashboard's files come precompressed at quality 11 from the build, and an answer
// that already has a Content-Encoding is left as it is. Never the live stream (text/event-stream:
// each message must leave as it is written), never a partial answer, nor one marked no-transform.
import { pipeline, Readable } from 'node:stream';
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';

export type Encoding = 'br' | 'gzip';

export interface CompressOptions {
  /** Answers of a stated length under this many bytes go as they are (default 1,024). */
  threshold?: number;
  /** Brotli quality for answers compressed on the fly, 0–11 (default 5). */
  brotliQuality?: number;
}

/**
 * JSON answers are built whole (c.json) before they leave: one this size or smaller is compressed in
 * one call, on this thread. A stream pipeline per answer (web stream to Node stream, the compressor,
 * and back) cost 0.2–0.35 ms of CPU for the site list's 4 kB — more than building the answer — and
 * a dashboard or a script polling the API pays it at every read. Larger ones (and any other type,
 * which may be streamed as it is written) go through the compressor's stream, off this thread.
 */
const WHOLE_ANSWER_BYTES = 64 * 1024;
const WHOLE_ANSWER_TYPE = /^application\/json\b/i;

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
    const brotliParams = { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT };
    let source: Readable;
    if (WHOLE_ANSWER_TYPE.test(type)) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.byteLength < threshold) {
        // Its length known now: as an answer of stated length under the threshold, it goes as it is.
        c.res = new Response(bytes, res);
        return;
      }
      if (bytes.byteLength <= WHOLE_ANSWER_BYTES) {
        const packed = compressWhole(bytes, encoding, brotliQuality);
        c.res = new Response(packed, res);
        c.res.headers.set('content-length', String(packed.byteLength));
        encoded(c.res, encoding);
        return;
      }
      source = Readable.from([bytes]);
    } else {
      source = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    }
    const compressor = encoding === 'br' ? createBrotliCompress({ params: brotliParams }) : createGzip();
    // A failure on either side ends both (the client sees a cut answer, as without compression).
    const body = pipeline(source, compressor, () => {});
    c.res = new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, res);
    c.res.headers.delete('content-length');
    encoded(c.res, encoding);
  };
}

/**
 * A body built whole, compressed in one call on this thread (brotli in text mode at `brotliQuality`,
 * told the size; gzip at its default): the small JSON answers here, and the dashboard's page.
 */
export function compressWhole(bytes: Uint8Array, encoding: Encoding, brotliQuality: number): ReturnType<typeof gzipSync> {
  if (encoding === 'gzip') return gzipSync(bytes);
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
  });
}

/** Marks an answer as compressed with `encoding`; a strong ETag (of the plain bytes) becomes weak. */
function encoded(res: Response, encoding: Encoding): void {
  res.headers.set('content-encoding', encoding);
  const etag = res.headers.get('etag');
  if (etag && !etag.startsWith('W/')) res.headers.set('etag', `W/${etag}`);
}
