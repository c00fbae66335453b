// The answer to an unexpected failure: 500 with a generic message and a reference the operator can
// find in the log, never the exception's message or stack (which can carry SQL, file paths, broker
// addresses or data). The detail goes to the log only.
import { randomUUID } from 'node:crypto';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type ErrorLog = (error: unknown, context: { ref: string; method: string; path: string }) => void;

export function genericErrors(log: ErrorLog = (error, context) => console.error({ ...context, err: error }, 'request failed')): ErrorHandler {
  return (error, c) => {
    // Errors hono raises on purpose (a body over the limit, a bad request) carry their own answer.
    if (error instanceof HTTPException) return error.getResponse();
    const ref = randomUUID();
    log(error, { ref, method: c.req.method, path: c.req.path });
    return c.json({ error: 'internal error: the server could not answer this request; its log has the detail', ref }, 500);
  };
}
