import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ingestLimits, signInLimit } from './index.ts';

function ingestApp(clock: () => number, limited: string[] = []) {
  const app = new Hono();
  app.use('/api/ingest', ingestLimits({ perSender: { perSecond: 1, burst: 2 }, failedAuth: { perSecond: 0.1, burst: 3 }, clock, onLimited: (k) => limited.push(k) }));
  app.post('/api/ingest', (c) => (c.req.header('authorization') === 'Bearer good-a' || c.req.header('authorization') === 'Bearer good-b' ? c.json({ accepted: 1 }, 202) : c.json({ error: 'unknown token' }, 401)));
  return app;
}
const post = (app: Hono, token?: string) => app.request('http://localhost/api/ingest', { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: '{}' });

describe('ingestLimits', () => {
  it('answers 429 with Retry-After to a device over its rate, leaving other devices alone', async () => {
    let now = 0;
    const limited: string[] = [];
    const app = ingestApp(() => now, limited);
    expect((await post(app, 'good-a')).status).toBe(202);
    expect((await post(app, 'good-a')).status).toBe(202);
    const over = await post(app, 'good-a');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expect((await over.json()).error).toMatch(/too many ingest requests for this device token: try again in 1 s/);
    expect((await post(app, 'good-b')).status).toBe(202);
    now = 1000;
    expect((await post(app, 'good-a')).status).toBe(202);
    expect(limited).toEqual(['sender']);
    // Open ingest (no token) is not limited per address: a site's devices may share one.
    const open = new Hono();
    open.use('/api/ingest', ingestLimits({ perSender: { perSecond: 1, burst: 2 }, failedAuth: { perSecond: 0.1, burst: 3 }, clock: () => now }));
    open.post('/api/ingest', (c) => c.json({ accepted: 1 }, 202));
    for (let i = 0; i < 5; i++) expect((await post(open)).status).toBe(202);
  });

  it('stops a token-guessing flood from an address after a few failures, with a Retry-After that says when', async () => {
    let now = 0;
    const app = ingestApp(() => now);
    for (let i = 0; i < 3; i++) expect((await post(app, `guess-${i}`)).status).toBe(401);
    const blocked = await post(app, 'guess-3');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(10);
    // Good tokens from the same address wait too: the address is what is limited.
    expect((await post(app, 'good-a')).status).toBe(429);
    now = 10_000;
    expect((await post(app, 'good-a')).status).toBe(202);
  });
});

describe('signInLimit', () => {
  it('limits sign-in attempts per address', async () => {
    let now = 0;
    const app = new Hono();
    app.use('/auth/*', signInLimit({ perSecond: 0.5, burst: 2 }, () => now));
    app.get('/auth/login', (c) => c.redirect('https://idp.example/authorize'));
    expect((await app.request('http://localhost/auth/login')).status).toBe(302);
    expect((await app.request('http://localhost/auth/login')).status).toBe(302);
    const third = await app.request('http://localhost/auth/login');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('2');
    now = 2000;
    expect((await app.request('http://localhost/auth/login')).status).toBe(302);
  });
});
