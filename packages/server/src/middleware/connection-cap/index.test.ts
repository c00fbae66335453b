import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { connectionCap } from './index.ts';

function streamingApp(cap: ReturnType<typeof connectionCap>, principal?: string) {
  const app = new Hono();
  if (principal) app.use(async (c, next) => (c.set('principal', { sub: principal, name: principal, role: 'viewer', trusts: ['*'] }), next()));
  app.use('/api/stream', cap);
  app.get('/api/stream', () => new Response(new ReadableStream({ start: (ctrl) => ctrl.enqueue(new TextEncoder().encode(': open\n\n')) }), { headers: { 'content-type': 'text/event-stream' } }));
  return app;
}

describe('connectionCap', () => {
  it('refuses the stream past the total with 503 and Retry-After, and frees a slot when one closes', async () => {
    const refused: string[] = [];
    const cap = connectionCap({ total: 3, perCaller: 10, onRefused: (why) => refused.push(why) });
    const app = streamingApp(cap);
    const open = await Promise.all([1, 2, 3].map(() => app.request('/api/stream')));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(cap.open()).toBe(3);
    const fourth = await app.request('/api/stream');
    expect(fourth.status).toBe(503);
    expect(fourth.headers.get('retry-after')).toBe('30');
    // The open ones still deliver.
    const reader = open[0]!.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(': open\n\n');
    await reader.cancel();
    expect(cap.open()).toBe(2);
    expect((await app.request('/api/stream')).status).toBe(200);
    expect(refused).toEqual(['total']);
    for (const r of open.slice(1)) await r.body!.cancel();
  });

  it('caps one signed-in user apart from the total', async () => {
    const cap = connectionCap({ total: 100, perCaller: 2 });
    const alice = streamingApp(cap, 'alice');
    const bob = streamingApp(cap, 'bob');
    const mine = [await alice.request('/api/stream'), await alice.request('/api/stream')];
    const third = await alice.request('/api/stream');
    expect(third.status).toBe(503);
    expect((await third.json()).error).toMatch(/you have 2 live streams open already/);
    expect((await bob.request('/api/stream')).status).toBe(200);
    await mine[0]!.body!.cancel();
    expect((await alice.request('/api/stream')).status).toBe(200);
  });

  it('frees the slot when the client goes away (request aborted)', async () => {
    const cap = connectionCap({ total: 1, perCaller: 1 });
    const app = streamingApp(cap);
    const controller = new AbortController();
    expect((await app.request('/api/stream', { signal: controller.signal })).status).toBe(200);
    expect(cap.open()).toBe(1);
    controller.abort();
    expect(cap.open()).toBe(0);
  });
});
