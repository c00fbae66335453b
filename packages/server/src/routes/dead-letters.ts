// GET /api/dead-letters: the newest inputs that could not be counted and why (dead-letter-log.ts).
// A letter holds what a sender sent, of any trust, before anything vouched for it: admins of every
// trust only (auth/roles.ts).
import { Hono } from 'hono';
import { REJECT_REASONS } from '@wardwatch/schema';
import type { DeadLetterLog } from '../dead-letter-log.ts';

export function deadLetterRoutes(log: DeadLetterLog): Hono {
  const app = new Hono();
  app.get('/dead-letters', (c) => {
    const reason = c.req.query('reason');
    if (reason !== undefined && !(REJECT_REASONS as readonly string[]).includes(reason)) {
      return c.json({ error: `reason must be one of ${REJECT_REASONS.join(', ')}; got "${reason}"` }, 400);
    }
    const limit = c.req.query('limit') ?? '100';
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) return c.json({ error: `limit must be a whole number from 1 to 1000; got "${limit}"` }, 400);
    return c.json(log.page({ reason, limit: Number(limit) }));
  });
  return app;
}
