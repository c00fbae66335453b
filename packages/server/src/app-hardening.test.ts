// The hardening as the whole application wears it: headers on the dashboard and the API, the Host
// check, every state-changing route closed to cross-origin text/plain, and 500s that tell nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollupStore } from '@wardwatch/store';
import { StatusBoard } from './status-board.ts';
import { appFixture, type AppFixture } from './app.fixture.ts';

let fixture: AppFixture;
beforeAll(async () => {
  fixture = await appFixture();
});
afterAll(() => fixture.close());

const BASE = 'http://localhost:8080';

/** Every state-changing route the application has, with its parameters filled in. */
function writeRoutes(app: AppFixture['app']): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const routes: Array<{ method: string; path: string }> = [];
  for (const r of app.routes) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue;
    const path = r.path.replace(/:[^/{]+(\{[^}]*\})?/g, 'x').replace(/\*$/, 'x');
    if (seen.has(`${r.method} ${path}`)) continue;
    seen.add(`${r.method} ${path}`);
    routes.push({ method: r.method, path });
  }
  return routes;
}

describe('the application, hardened', () => {
  it.each(['/', '/index.html', '/app.js', '/api/sites', '/api/nothing-here', '/metrics', '/healthz'])('%s carries the security headers', async (path) => {
    const res = await fixture.app.request(`${BASE}${path}`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when its public URL is https', async () => {
    const behindProxy = await appFixture({ publicUrl: 'https://wardwatch.trust.nhs.uk', allowedHosts: ['wardwatch.trust.nhs.uk'] });
    const res = await behindProxy.app.request('http://wardwatch.trust.nhs.uk/api/sites');
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    await behindProxy.close();
  });

  it('refuses a Host it does not know (DNS rebinding), except on /healthz for probes', async () => {
    expect((await fixture.app.request('http://rebind.attacker.example:8080/api/sites')).status).toBe(403);
    expect((await fixture.app.request('http://rebind.attacker.example:8080/')).status).toBe(403);
    expect((await fixture.app.request('http://10.0.0.7:8080/healthz')).status).toBe(200);
  });

  it('has state-changing routes to walk', () => {
    const routes = writeRoutes(fixture.app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/silences', 'DELETE /api/silences/x', 'POST /api/ingest']));
  });

  it('refuses a cross-origin text/plain post to every state-changing route, and changes nothing', async () => {
    for (const { method, path } of writeRoutes(fixture.app)) {
      const res = await fixture.app.request(`${BASE}${path}`, {
        method,
        headers: { 'content-type': 'text/plain', origin: 'https://intranet-page.example', 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify({ matchers: {}, startsAt: '2026-11-30T00:00:00Z', endsAt: '2027-11-30T00:00:00Z' }),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const alerts = (await (await fixture.app.request(`${BASE}/api/alerts`)).json()) as { silences: unknown[] };
    expect(alerts.silences).toEqual([]);
    expect(fixture.accepted).toEqual([]);
  });

  it('refuses a text/plain silence even with no Origin (an old browser form), but takes JSON', async () => {
    const silence = JSON.stringify({ matchers: { slo: 'site-app-latency' }, startsAt: Date.parse('2026-11-30T11:00:00Z'), endsAt: Date.parse('2026-11-30T13:00:00Z'), comment: 'planned' });
    const plain = await fixture.app.request(`${BASE}/api/silences`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: silence });
    expect(plain.status).toBe(415);
    const json = await fixture.app.request(`${BASE}/api/silences`, { method: 'POST', headers: { 'content-type': 'application/json', origin: BASE }, body: silence });
    expect(json.status).toBe(201);
    const { id } = (await json.json()) as { id: string };
    expect((await fixture.app.request(`${BASE}/api/silences/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 429 with Retry-After to a device token over its rate and to a token-guessing address', async () => {
    const limited = await appFixture({
      ingestTokens: { authenticate: async (token: string) => (token === 'device-token' ? { device: 'RXX01-W01-D01', site: 'RXX01', trust: 'RXX' } : undefined) },
      limits: { ingest: { perSender: { perSecond: 0.01, burst: 3 }, failedAuth: { perSecond: 0.01, burst: 2 } } },
    });
    const post = (token: string) => limited.app.request(`${BASE}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: '{}' });
    for (let i = 0; i < 3; i++) expect((await post('device-token')).status).toBe(400); // admitted: an empty event is the sender's fault
    const over = await post('device-token');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post('guess-1')).status).toBe(401);
    expect((await post('guess-2')).status).toBe(401);
    const flood = await post('guess-3');
    expect(flood.status).toBe(429);
    expect((await flood.json()).error).toMatch(/too many failed authentications/);
    await limited.close();
  });

  it('limits sign-in attempts per address (429 with Retry-After)', async () => {
    const { SignOn } = await import('./auth/sign-on.ts');
    const { parseAuthConfig } = await import('./auth/config.ts');
    const signOn = new SignOn({
      config: parseAuthConfig(`issuer: http://127.0.0.1:1/\nclientId: w\nredirectUrl: http://localhost:8080/auth/callback\nroles: { claim: groups }\nsession: { secret: ${'k'.repeat(40)} }\n`),
    });
    const guarded = await appFixture({ signOn });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await guarded.app.request(`${BASE}/auth/callback?code=x&state=y`)).status);
    expect(statuses.slice(0, 20).every((s) => s !== 429)).toBe(true);
    expect(statuses[20]).toBe(429);
    await guarded.close();
  });

  it('refuses a live stream past the cap while the open one keeps streaming', async () => {
    const capped = await appFixture({ limits: { streams: { total: 1 } } });
    const first = await capped.app.request(`${BASE}/api/stream`);
    expect(first.status).toBe(200);
    const second = await capped.app.request(`${BASE}/api/stream`);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('30');
    const reader = first.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/event: sites/);
    await reader.cancel();
    const third = await capped.app.request(`${BASE}/api/stream`);
    expect(third.status).toBe(200);
    await third.body!.cancel();
    await capped.close();
  });

  it('answers an unexpected failure with a generic 500 and logs the detail', async () => {
    const logged: unknown[] = [];
    const broken = new Proxy({} as RollupStore, {
      get: (_t, name) => (name === 'close' ? async () => {} : () => Promise.reject(new Error('SQLITE_CORRUPT: /srv/wardwatch/.data/wardwatch.db'))),
    });
    // A site the board knows, so the route goes on to read its history from the (failing) store.
    const board = new StatusBoard(new Map([['S1', { name: 'One', trust: 'RXX' }]]));
    const failing = await appFixture({ store: broken, board, logError: (error) => logged.push(error) });
    const res = await failing.app.request(`${BASE}/api/sites/S1`);
    const text = await res.text();
    expect(res.status, text).toBe(500);
    expect(text).not.toMatch(/SQLITE|\/srv|wardwatch\.db/);
    expect(text).toMatch(/internal error/);
    expect(String(logged[0])).toMatch(/SQLITE_CORRUPT/);
  });
});
