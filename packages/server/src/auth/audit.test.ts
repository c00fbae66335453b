// The audit trail through the application: each change recorded with who, when, from where and what
// (a silence made and deleted, an annotation), nothing for a refused change, sign-in events, and
// GET /api/audit for admins as JSON and as CSV a spreadsheet cannot run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { AuditEntry } from '@wardwatch/schema';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { auditSignOn } from './audit.ts';
import { parseAuthConfig } from './config.ts';
import type { Role } from './roles.ts';
import { SignOn } from './sign-on.ts';

const BASE = 'http://localhost:8080';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const signOn = new SignOn({
  config: parseAuthConfig(`
issuer: http://127.0.0.1:1/
clientId: wardwatch
redirectUrl: http://localhost:8080/auth/callback
roles: { claim: groups, viewer: [v], operator: [o], admin: [a] }
session: { secret: ${'k'.repeat(40)} }
`),
  clock: () => NOW,
});
let fixture: AppFixture;
beforeAll(async () => {
  fixture = await appFixture({ signOn });
});
afterAll(() => fixture.close());

async function cookieFor(role: Role, name: string): Promise<string> {
  const minter = new Hono();
  minter.get('/', async (c) => {
    await signOn.sessions.start(c, { sub: name.toLowerCase(), name, role, trusts: ['*'] });
    return c.body(null, 204);
  });
  return (await minter.request('/')).headers.get('set-cookie')!.split(';')[0]!;
}

const send = (method: string, path: string, cookie: string, body?: unknown) =>
  fixture.app.request(`${BASE}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-forwarded-for': '10.9.8.7' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('the audit trail', () => {
  it('records each change with who, when, from where and what; not a refused one; serves it to admins', async () => {
    const operator = await cookieFor('operator', 'Olive');
    const viewer = await cookieFor('viewer', 'Vic');
    const admin = await cookieFor('admin', 'Ada');

    const made = await send('POST', '/api/silences', operator, { matchers: { scope: 'site:RXX01' }, startsAt: NOW, endsAt: NOW + 3_600_000, comment: '=HYPERLINK("x")' });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    expect((await send('DELETE', `/api/silences/${id}`, operator)).status).toBe(204);
    expect((await send('POST', '/api/annotations', operator, { trust: 'RXX', scope: 'site:RXX01', title: 'Switch replaced', start: NOW })).status).toBe(201);
    expect((await send('POST', '/api/silences', viewer, { matchers: {}, startsAt: NOW, endsAt: NOW + 1 })).status).toBe(403);

    expect((await send('GET', '/api/audit', operator)).status).toBe(403);
    const res = await send('GET', '/api/audit', admin);
    expect(res.status).toBe(200);
    const entries = (await res.json()) as AuditEntry[];
    expect(entries.map((e) => `${e.actorName} ${e.target} ${e.status}`)).toEqual([
      'Olive POST /api/annotations 201',
      `Olive DELETE /api/silences/${id} 204`,
      'Olive POST /api/silences 201',
    ]);
    const silence = entries[2]!;
    expect(silence).toMatchObject({ action: 'change', actor: 'olive', role: 'operator', at: expect.any(Number) });
    expect(silence.detail).toContain('"scope":"site:RXX01"');
    expect(silence.detail).toMatch(new RegExp(`→ id ${id}$`));
    expect(silence.ip).toMatch(/forwarded for 10\.9\.8\.7/);
  });

  it('exports CSV with formulas defused, and filters by actor and action', async () => {
    const admin = await cookieFor('admin', 'Ada');
    const csv = await send('GET', '/api/audit?format=csv&actor=olive', admin);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('at,time,action,actor,actorName,role,ip,target,status,detail');
    expect(lines).toHaveLength(4);
    expect(text).toContain('""comment"":""=HYPERLINK(');
    expect(text).not.toMatch(/(^|,)"=/m);
    expect((await send('GET', '/api/audit?action=nonsense', admin)).status).toBe(400);
    expect((await send('GET', '/api/audit?from=yesterday', admin)).status).toBe(400);
    expect(await (await send('GET', '/api/audit?action=login', admin)).json()).toEqual([]);
  });

  it('records sign-ins, refusals and logouts from the sign-on', async () => {
    const record = auditSignOn(fixtureStore());
    record({ event: 'login', sub: 'alice', name: 'Alice', role: 'operator', ip: '127.0.0.1', at: NOW + 1 });
    record({ event: 'login-refused', sub: 'dave', reason: 'no wardwatch role', ip: '127.0.0.1', at: NOW + 2 });
    record({ event: 'logout', sub: 'alice', name: 'Alice', ip: '127.0.0.1', at: NOW + 3 });
    await new Promise((r) => setTimeout(r, 50));
    const admin = await cookieFor('admin', 'Ada');
    const signIns = (await (await send('GET', `/api/audit?from=${NOW + 1}&to=${NOW + 4}`, admin)).json()) as AuditEntry[];
    expect(signIns.map((e) => [e.action, e.actor, e.status, e.detail])).toEqual([
      ['logout', 'alice', 200, ''],
      ['login-refused', 'dave', 403, 'no wardwatch role'],
      ['login', 'alice', 302, ''],
    ]);
  });
});

function fixtureStore() {
  return fixture.store as unknown as Parameters<typeof auditSignOn>[0];
}
