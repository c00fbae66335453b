import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { genericErrors } from '../error-handler/index.ts';
import { timeLimit } from './index.ts';

const never = () => new Promise<Response>(() => {});

describe('timeLimit', () => {
  const app = new Hono();
  app.onError(genericErrors(() => {}));
  app.use(timeLimit({ ms: 50 }));
  app.get('/api/slow', never);
  app.get('/api/quick', (c) => c.json({ ok: true }));
  app.get('/api/stream', async () => {
    await new Promise((r) => setTimeout(r, 120));
    return new Response('event: sites\n\n', { headers: { 'content-type': 'text/event-stream' } });
  });

  it('answers 503 with Retry-After when a route has not answered in time', async () => {
    const res = await app.request('/api/slow');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json()).error).toMatch(/GET \/api\/slow took longer than 0.05 s/);
  });

  it('lets quick routes and the live stream through', async () => {
    expect((await app.request('/api/quick')).status).toBe(200);
    expect((await app.request('/api/stream')).status).toBe(200);
  });
});
