// API tokens: issued by an admin with a role, trusts and an expiry; the secret is shown once and
// stored hashed; a token acts with its role and trusts; expired and revoked tokens are refused; an
// admin of some trusts cannot mint a wider token; /metrics needs a token of every trust unless the
// auth file opens it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { openStore } from '@wardwatch/store';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { StatusBoard } from '../status-board.ts';
import { ApiTokens, hashApiToken } from './api-tokens.ts';
import { parseAuthConfig } from './config.ts';
import { sessionCookie } from './sessions.fixture.ts';
import { SignOn } from './sign-on.ts';

const BASE = 'http://localhost:8080';
const START = Date.parse('2026-11-30T12:00:00Z');
let now = START;
const config = (metrics?: string) =>
  parseAuthConfig(`
issuer: http://127.0.0.1:1/
clientId: wardwatch
redirectUrl: http://localhost:8080/auth/callback
roles: { claim: groups, viewer: [v] }
${metrics ? `metrics: ${metrics}` : ''}
session: { secret: ${'k'.repeat(40)} }
`);
const signOn = new SignOn({ config: config(), clock: () => now });
const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (id: string, trust: string): ScopeStatus => ({ key: `site:${id}`, scope: 'site', id, trust, site: id, status: 'ok', reason: '', figures, since: 0, asOf: START });

let fixture: AppFixture;
let store: Awaited<ReturnType<typeof openStore>>;
const cookie: Record<string, string> = {};
beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  const board = new StatusBoard();
  board.applyAll([site('RXX01', 'RXX'), site('RYY01', 'RYY')]);
  fixture = await appFixture({ signOn, board, apiTokens: new ApiTokens(store, () => now) });
  for (const [name, trusts] of [['ada', ['*']], ['alex', ['RXX']]] as const) {
    cookie[name] = await sessionCookie(signOn, { sub: name, name, role: 'admin', trusts: [...trusts] });
  }
});
afterAll(async () => {
  await fixture.close();
  await store.close();
});

const asAdmin = (who: string, method: string, path: string, body?: unknown) =>
  fixture.app.request(`${BASE}${path}`, { method, headers: { cookie: cookie[who]!, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
const withToken = (token: string, method: string, path: string, body?: unknown) =>
  fixture.app.request(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
async function issue(who: string, request: unknown) {
  const res = await asAdmin(who, 'POST', '/api/tokens', request);
  return { status: res.status, body: (await res.json()) as { id: string; token: string; error?: string; expiresAt: number } };
}

describe('API tokens', () => {
  it('issues a token once, keeps only its hash, and lists it without the secret', async () => {
    const { status, body } = await issue('ada', { name: 'grafana-north', role: 'viewer', trusts: ['RXX'], expiresInDays: 30 });
    expect(status).toBe(201);
    expect(body.token).toMatch(/^wwt_[\w-]{43}$/);
    expect(body.expiresAt).toBe(START + 30 * 86_400_000);
    const listed = await (await asAdmin('ada', 'GET', '/api/tokens')).text();
    expect(listed).toContain('grafana-north');
    expect(listed).not.toContain(body.token);
    expect(JSON.stringify(await store.apiTokens())).not.toContain(body.token);
    expect(await store.apiTokenByHash(hashApiToken(body.token))).toMatchObject({ id: body.id, role: 'viewer' });
    // In the audit trail: who issued what, never the secret.
    const trail = await (await asAdmin('ada', 'GET', '/api/audit?actor=ada')).text();
    expect(trail).toContain('POST /api/tokens');
    expect(trail).toContain(`→ id ${body.id}`);
    expect(trail).not.toContain(body.token);
  });

  it('acts with its role and trusts', async () => {
    const viewer = (await issue('ada', { name: 'dashboard-script', role: 'viewer', trusts: ['RXX'] })).body.token;
    const sites = await withToken(viewer, 'GET', '/api/sites');
    expect(sites.status).toBe(200);
    expect(((await sites.json()) as Array<{ trust: string }>).map((s) => s.trust)).toEqual(['RXX']);
    expect((await withToken(viewer, 'GET', '/api/sites/RYY01')).status).toBe(404);
    expect((await withToken(viewer, 'POST', '/api/silences', { matchers: { scope: 'site:RXX01' }, startsAt: now, endsAt: now + 60_000 })).status).toBe(403);
    const operator = (await issue('ada', { name: 'change-robot', role: 'operator', trusts: ['RXX'] })).body.token;
    const silence = await withToken(operator, 'POST', '/api/silences', { matchers: { scope: 'site:RXX01' }, startsAt: now, endsAt: now + 60_000 });
    expect(silence.status).toBe(201);
    expect(((await silence.json()) as { createdBy: string }).createdBy).toBe('API token "change-robot"');
  });

  it('refuses an unknown token, an expired one and a revoked one, saying which', async () => {
    expect((await withToken('wwt_not-a-real-token', 'GET', '/api/sites')).status).toBe(401);
    const { body } = await issue('ada', { name: 'short-lived', role: 'viewer', trusts: ['*'], expiresInDays: 1 });
    expect((await withToken(body.token, 'GET', '/api/sites')).status).toBe(200);
    now = START + 86_400_000;
    const expired = await withToken(body.token, 'GET', '/api/sites');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toMatch(/the API token is expired/);
    now = START;
    expect((await asAdmin('ada', 'DELETE', `/api/tokens/${body.id}`)).status).toBe(204);
    const revoked = await withToken(body.token, 'GET', '/api/sites');
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: string }).error).toMatch(/the API token is revoked/);
    expect((await asAdmin('ada', 'DELETE', `/api/tokens/${body.id}`)).status).toBe(404);
  });

  it('lets an admin of some trusts mint only tokens within them, and validates the request', async () => {
    expect((await issue('alex', { name: 'x', role: 'viewer', trusts: ['RYY'] })).status).toBe(403);
    expect((await issue('alex', { name: 'x', role: 'viewer', trusts: ['*'] })).status).toBe(403);
    expect((await issue('alex', { name: 'x', role: 'viewer', trusts: ['RXX'] })).status).toBe(201);
    const bad = await issue('ada', { name: '', role: 'superuser', expiresInDays: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/name: must name what the token is for; got "".*role: must be one of viewer, operator, admin; got "superuser".*expiresInDays: must be at most 366: tokens expire within a year; got 1000/);
    // A wrong type in words, not the validator's.
    const typed = await issue('ada', { name: 'x', role: 'viewer', expiresInDays: 'ninety', trusts: 'RXX' });
    expect(typed.body.error).toBe('invalid token request: trusts: must be a list; got "RXX"; expiresInDays: must be a number; got "ninety"');
  });

  it('guards /metrics with a token of every trust, unless the auth file says metrics: public', async () => {
    expect(config().metrics).toBe('token');
    const anonymous = await fixture.app.request(`${BASE}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toMatch(/RXX|RYY/);
    const some = (await issue('ada', { name: 'prom-rxx', role: 'viewer', trusts: ['RXX'] })).body.token;
    expect((await withToken(some, 'GET', '/metrics')).status).toBe(403);
    const all = (await issue('ada', { name: 'prometheus', role: 'viewer', trusts: ['*'] })).body.token;
    const scraped = await withToken(all, 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/wardwatch_site_status/);

    const opened = await appFixture({ signOn: new SignOn({ config: config('public'), clock: () => now }), board: fixture.board });
    try {
      const open = await opened.app.request(`${BASE}/metrics`);
      expect(open.status).toBe(200);
      expect(await open.text()).toMatch(/trust="RYY"/);
    } finally {
      await opened.close();
    }
  });
});
