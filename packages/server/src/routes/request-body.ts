// A request body as bytes, undone from its Content-Encoding: none or gzip, limited after inflating
// too (a small gzip body can inflate a thousandfold). The ingest routes read their bodies through it,
// so an agent or a Collector that compresses is read alike on both, and one that labels a body with
// an encoding it does not have is told so instead of having its bytes parsed as JSON.

import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';

const gunzip = promisify(gunzipCallback);

export type DecodedBody = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413 | 415; message: string };

/**
 * The body's bytes with their Content-Encoding undone. `tooLarge` is the 413's words (the route's
 * own, which say how to send smaller batches).
 */
export async function decodedBody(bytes: Uint8Array, contentEncoding: string | undefined, maxBytes: number, tooLarge: string): Promise<DecodedBody> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase() || 'identity';
  if (encoding === 'identity') return { ok: true, bytes };
  if (encoding !== 'gzip') return { ok: false, status: 415, message: `Content-Encoding ${encoding} is not taken here: send gzip or none` };
  try {
    return { ok: true, bytes: await gunzip(bytes, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, status: 413, message: tooLarge };
    return { ok: false, status: 400, message: `the body could not be read: not a gzip stream (${(error as Error).message}), though its Content-Encoding says gzip` };
  }
}
