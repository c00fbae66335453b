// A size limit on every write's body, checked from Content-Length before anything reads it: a body
// over the limit answers 413, a body of unstated length (chunked) 411. Device ingest has its own,
// larger limit (routes/ingest.ts) and is left to it.
import type { MiddlewareHandler } from 'hono';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface WriteSizeOptions {
  maxBytes: number;
  /** Path prefixes with their own limit. */
  exceptPaths?: readonly string[];
}

export function writeSizeLimit({ maxBytes, exceptPaths = [] }: WriteSizeOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITES.has(c.req.method) || exceptPaths.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`))) return next();
    const length = c.req.header('content-length');
    if (length === undefined) {
      if (c.req.header('transfer-encoding')) return c.json({ error: `${c.req.method} ${c.req.path}: send the body with a Content-Length (at most ${maxBytes} bytes)` }, 411);
      return next(); // no body at all
    }
    if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
      return c.json({ error: `the body is larger than ${maxBytes} bytes, more than any ${c.req.method} here needs` }, 413);
    }
    return next();
  };
}
