// Where a request came from, for the audit trail and the log: the socket's address, and what an
// X-Forwarded-For header claims beside it (a proxy's word, which anyone can also forge, so it is
// recorded, never trusted alone).
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? '';
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded ? `${socket} (forwarded for ${forwarded.slice(0, 64)})` : socket;
}
