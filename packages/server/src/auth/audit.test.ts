// The audit trail through the application: each change recorded with who, when, from where and what
// (a silence made and deleted, an annotation), each change refused for the caller's role or trusts
// with why, sign-in events, and GET /api/audit for admins as JSON and as CSV a spreadsheet cannot run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@wardwatch/schema';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { auditSignOn } from './audit.ts';
import type { Role } from './roles.ts';
import { requestWith, sessionCookie, testSignOn } from './sessions.fixture.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const signOn = testSignOn(() => NOW);
let fixture: AppFixture;
beforeAll(async () => {
  fixture = await appFixture({ signOn });
});
afterAll(() => fixture.close());

const cookieFor = (role: Role, name: string, trusts = ['*']) => sessionCookie(signOn, { sub: name.toLowerCase(), name, role, trusts });

const send = (method: string, path: string, cookie: string, body?: unknown) =>
  requestWith(fixture.app, cookie, method, path, body, { 'x-forwarded-for': '10.9.8.7' });

describe('the audit trail', () => {
  it('records each change with who, when, from where and what, and one refused for its role; serves it to admins', async () => {
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
      'Vic POST /api/silences 403',
      'Olive POST /api/annotations 201',
      `Olive DELETE /api/silences/${id} 204`,
      'Olive POST /api/silences 201',
    ]);
    expect(entries[0]).toMatchObject({ action: 'change', actor: 'vic', role: 'viewer' });
    expect(entries[0]!.detail).toMatch(/^refused: needs the operator role; has viewer; asked: \{"matchers":\{\}/);
    const silence = entries[3]!;
    expect(silence).toMatchObject({ action: 'change', actor: 'olive', role: 'operator', at: expect.any(Number) });
    expect(silence.detail).toContain('"scope":"site:RXX01"');
    expect(silence.detail).toMatch(new RegExp(`→ id ${id}$`));
    expect(silence.ip).toMatch(/forwarded for 10\.9\.8\.7/);
  });

  it('records a change refused for the caller\'s trusts (a 404 to them) with who, the route and the true reason', async () => {
    const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
    fixture.board.applyAll(['RXX', 'RYY'].map((trust) => ({ key: `site:${trust}01`, scope: 'site' as const, id: `${trust}01`, trust, site: `${trust}01`, status: 'ok' as const, reason: '', figures, since: 0, asOf: NOW })));
    const admin = await cookieFor('admin', 'Ada');
    const xena = await cookieFor('operator', 'Xena', ['RXX']);
    const theirs = await send('POST', '/api/silences', admin, { matchers: { scope: 'site:RYY01' }, startsAt: NOW, endsAt: NOW + 3_600_000 });
    const { id } = (await theirs.json()) as { id: string };
    const annotation = (await (await send('POST', '/api/annotations', admin, { trust: 'RYY', scope: 'site:RYY01', title: 'Switch replaced', start: NOW })).json()) as { id: string };

    expect((await send('DELETE', `/api/silences/${id}`, xena)).status).toBe(404);
    expect((await send('POST', '/api/silences', xena, { matchers: { scope: 'site:RYY01' }, startsAt: NOW, endsAt: NOW + 60_000 })).status).toBe(404);
    expect((await send('POST', '/api/annotations', xena, { trust: 'RYY', scope: 'site:RYY01', title: 'Not mine', start: NOW })).status).toBe(404);
    expect((await send('DELETE', `/api/annotations/${annotation.id}`, xena)).status).toBe(404);
    expect((await send('DELETE', '/api/silences/no-such', xena)).status).toBe(404);
    expect((await send('POST', '/api/tokens', xena, { name: 'mine', role: 'viewer', trusts: ['RXX'] })).status).toBe(403);

    const entries = (await (await send('GET', '/api/audit?actor=xena', admin)).json()) as AuditEntry[];
    expect(entries.map((e) => [e.target, e.status, e.detail.replace(/; asked: .*$/s, '')])).toEqual([
      ['POST /api/tokens', 403, 'refused: needs the admin role; has operator'],
      ['DELETE /api/silences/no-such', 404, 'refused: no silence with id "no-such"'],
      [`DELETE /api/annotations/${annotation.id}`, 404, `refused: annotation ${annotation.id} is of trust RYY, not one of theirs (RXX)`],
      ['POST /api/annotations', 404, 'refused: trust RYY is not one of theirs (RXX)'],
      ['POST /api/silences', 404, 'refused: scope site:RYY01 is of trust RYY, not one of theirs'],
      [`DELETE /api/silences/${id}`, 404, `refused: silence ${id} is on site:RYY01 of trust RYY, not one of their trusts`],
    ]);
    expect(entries.every((e) => e.action === 'change' && e.actorName === 'Xena' && e.role === 'operator' && e.ip.includes('10.9.8.7'))).toBe(true);
    expect(entries[4]!.detail).toContain('asked: {"matchers":{"scope":"site:RYY01"}');
    // Nothing was changed by any of them.
    expect(((await (await send('GET', '/api/annotations?trust=RYY', admin)).json()) as unknown[])).toHaveLength(1);

    // Those refusals name RYY's site and silence: an admin of RXX alone reads neither the trail nor the
    // role mapping (every trust's groups), or the trail would tell them what the 404s hid.
    const rxxAdmin = await cookieFor('admin', 'Alex', ['RXX']);
    for (const path of ['/api/audit', '/api/audit?format=csv', '/api/auth/roles']) {
      const refused = await send('GET', path, rxxAdmin);
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toMatch(/covers every trust: it is for admins granted every trust/);
    }
    expect((await send('GET', '/api/auth/roles', admin)).status).toBe(200);
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
