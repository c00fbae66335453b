// The route × role table: every route the application has is declared in ROUTE_ACCESS, and walked
// with no session, with each role, and with a tampered cookie: 401 without a live session, 403 below
// the role it needs, through to the route otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import type { Principal } from './claims.ts';
import { parseAuthConfig } from './config.ts';
import { ROLES, roleAtLeast, ROUTE_ACCESS, RouteAccessTable, type Role } from './roles.ts';
import { sessionCookie } from './sessions.fixture.ts';
import { SignOn } from './sign-on.ts';

const BASE = 'http://localhost:8080';
const config = parseAuthConfig(`
issuer: http://127.0.0.1:1/
clientId: wardwatch
redirectUrl: http://localhost:8080/auth/callback
roles: { claim: groups, viewer: [v], operator: [o], admin: [a] }
session: { secret: ${'k'.repeat(40)} }
`);
let now = Date.parse('2026-11-30T12:00:00Z');
const signOn = new SignOn({ config, clock: () => now });
let fixture: AppFixture;

beforeAll(async () => {
  fixture = await appFixture({ signOn });
});
afterAll(() => fixture.close());

/** A session cookie for a principal, minted the way the callback mints one. */
const cookieFor = (role: Role) => sessionCookie(signOn, { sub: `user-${role}`, name: `A ${role}`, role, trusts: ['*'] });

/** The application's own routes (not middleware), with parameters filled in. */
function appRoutes(): Array<{ method: string; pattern: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; pattern: string; path: string }> = [];
  for (const r of fixture.app.routes) {
    if (r.method === 'ALL') continue; // middleware (app.use) and the /api/* not-found answer
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const path = r.path.replace(/:([^/{]+)(\{[^}]*\})?/g, (_m, name: string) => (name === 'key' ? 'ward:RXX01/W01' : 'x')).replace(/\*$/, 'index.html');
    out.push({ method: r.method, pattern: r.path, path });
  }
  return out;
}

function request(method: string, path: string, cookie?: string) {
  const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
  return fixture.app.request(`${BASE}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body,
  });
}

describe('route × role table', () => {
  it('declares every route the application has, and nothing it lacks', () => {
    const routes = appRoutes().map((r) => `${r.method} ${r.pattern}`);
    const declared = ROUTE_ACCESS.map((r) => `${r.method} ${r.path}`);
    // Hono lists the dashboard's fallback as GET *, the table as GET /*.
    const normalise = (k: string) => k.replace(/ \*$/, ' /*');
    expect(routes.map(normalise).filter((k) => !declared.includes(k))).toEqual([]);
    expect(declared.filter((k) => !routes.map(normalise).includes(k))).toEqual([]);
    expect(routes.length).toBeGreaterThan(15);
  });

  it('lets no viewer change anything: every write needs operator or more, or is a device\'s or the logout', () => {
    const writes = ROUTE_ACCESS.filter((r) => r.method !== 'GET');
    expect(writes.filter((r) => r.access === 'viewer')).toEqual([]);
    expect(writes.filter((r) => r.access === 'public').map((r) => r.path)).toEqual(['/auth/logout']);
    expect(writes.filter((r) => r.access === 'device').map((r) => r.path)).toEqual(['/api/ingest', '/v1/logs', '/v1/*']);
  });

  it('closes a route the table does not know to all but admins', () => {
    const table = new RouteAccessTable();
    expect(table.accessFor('POST', '/api/some-new-thing')).toBe('admin');
    expect(table.accessFor('GET', '/api/scopes/ward:RXX01/W01')).toBe('viewer');
    expect(table.accessFor('HEAD', '/api/sites')).toBe('viewer');
  });

  it('walks every route with every role: 401 without a session, 403 below its role, through otherwise', async () => {
    const cookies = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await cookieFor(r)] as const))) as Record<Role, string>;
    const table = new RouteAccessTable();
    const walked: string[] = [];
    for (const { method, path } of appRoutes()) {
      const access = table.accessFor(method, path);
      const label = `${method} ${path} (${access})`;
      const anonymous = await request(method, path);
      if (access === 'public' || access === 'device') {
        expect(anonymous.status, label).not.toBe(401);
        expect(anonymous.status, label).not.toBe(403);
      } else {
        expect(anonymous.status, label).toBe(401);
        expect(((await anonymous.json()) as { error: string }).error, label).toMatch(/sign in first/);
      }
      for (const role of ROLES) {
        if (method === 'GET' && path === '/api/stream' && roleAtLeast(role, 'viewer')) continue; // an endless stream: see the test below
        const res = await request(method, path, cookies[role]);
        const allowed = access === 'public' || access === 'device' || roleAtLeast(role, access);
        if (allowed) {
          expect([401, 403], `${label} as ${role}: ${res.status}`).not.toContain(res.status);
        } else {
          expect(res.status, `${label} as ${role}`).toBe(403);
          expect(((await res.json()) as { error: string }).error).toMatch(new RegExp(`needs the ${access} role`));
        }
        walked.push(`${label} ${role} ${res.status}`);
      }
    }
    expect(walked.length).toBeGreaterThan(40);
  });

  it('opens the live stream to a viewer', async () => {
    const controller = new AbortController();
    const res = await fixture.app.request(`${BASE}/api/stream`, { headers: { cookie: await cookieFor('viewer') }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
    await res.body?.cancel().catch(() => {});
  });

  it('refuses a tampered cookie: a viewer who rewrites their role to admin gets 401', async () => {
    const cookie = await cookieFor('viewer');
    const [name, signed] = cookie.split('=') as [string, string];
    const decoded = decodeURIComponent(signed);
    const dot = decoded.lastIndexOf('.');
    const body = JSON.parse(Buffer.from(decoded.slice(0, dot), 'base64url').toString()) as Principal;
    const forged = Buffer.from(JSON.stringify({ ...body, role: 'admin' })).toString('base64url');
    const tampered = `${name}=${encodeURIComponent(`${forged}.${decoded.slice(dot + 1)}`)}`;
    expect((await request('GET', '/api/auth/roles', cookie)).status).toBe(403);
    const res = await request('GET', '/api/auth/roles', tampered);
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(/ww_session=;.*Max-Age=0/);
  });

  it('ends a session idle past its timeout, and one older than the absolute timeout however busy', async () => {
    const start = now;
    const cookie = await cookieFor('viewer');
    now = start + config.session.idleTimeout - 1000;
    const fresh = await request('GET', '/api/me', cookie);
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({ sub: 'user-viewer', role: 'viewer', signOn: true });
    const refreshed = fresh.headers.get('set-cookie')!.split(';')[0]!;
    // The old cookie is idle past its timeout; the refreshed one is not.
    now = start + config.session.idleTimeout + 1000;
    expect((await request('GET', '/api/me', cookie)).status).toBe(401);
    expect((await request('GET', '/api/me', refreshed)).status).toBe(200);
    // Kept busy, a session still ends at the absolute timeout.
    let current = refreshed;
    for (now = start; now < start + config.session.absoluteTimeout - 60_000; now += config.session.idleTimeout / 2) {
      const res = await request('GET', '/api/me', current);
      expect(res.status).toBe(200);
      current = res.headers.get('set-cookie')?.split(';')[0] ?? current;
    }
    now = start + config.session.absoluteTimeout;
    const expired = await request('GET', '/api/me', current);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toMatch(/session ended \(too old\)/);
    now = start;
  });

  it('sends a browser that navigates to the dashboard without a session to sign in', async () => {
    const res = await fixture.app.request(`${BASE}/sites`, { headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/auth/login?returnTo=%2Fsites');
  });
});

describe('without sign-in configured', () => {
  it('treats every caller as the local administrator', async () => {
    const open = await appFixture();
    const me = await open.app.request(`${BASE}/api/me`);
    expect(await me.json()).toMatchObject({ sub: 'local', role: 'admin', signOn: false });
    expect((await open.app.request(`${BASE}/api/auth/roles`)).status).toBe(200);
    await open.close();
  });
});
