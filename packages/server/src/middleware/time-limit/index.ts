// A time limit on every request but the live stream (hono's timeout): a route that has not answered
// by then answers 503 with Retry-After, so a stuck store or a slow report cannot hold connections
// open without end. The work itself is not cancelled; the client is answered.
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';

export interface TimeLimitOptions {
  ms: number;
  /** Path prefixes that stay open by design (Server-Sent Events). */
  exceptPaths?: readonly string[];
}

export const DEFAULT_TIME_LIMIT_MS = 60_000;

export function timeLimit({ ms, exceptPaths = ['/api/stream'] }: TimeLimitOptions): MiddlewareHandler {
  const limited = timeout(ms, (c) => {
    const res = new Response(JSON.stringify({ error: `${c.req.method} ${c.req.path} took longer than ${ms / 1000} s; try again shortly` }), {
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '5' },
    });
    return new HTTPException(503, { res });
  });
  return (c, next) => (exceptPaths.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`)) ? next() : limited(c, next));
}
