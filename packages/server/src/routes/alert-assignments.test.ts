// Assigning a firing alert to a person or a team: operators only (the route table), their trusts'
// alerts only (another trust's answers 404), who and when set by the server, shown on the alert,
// recorded in the audit trail like an acknowledgement, kept in the store across a restart and
// forgotten there once the alert resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_FIRING_FOR_MS, type AlertAssignment, type AlertsResponse, type AuditEntry, type ScopeStatus } from '@wardwatch/schema';
import { DEFAULT_SLOS, evaluateBurnRates, fingerprint } from '@wardwatch/slo';
import { openStore, type RollupRecord } from '@wardwatch/store';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { requestWith, sessionCookie, TEST_BASE as BASE, testSignOn } from '../auth/sessions.fixture.ts';
import { StatusBoard } from '../status-board.ts';
import { readSharedAlertState } from '../shared-alert-state.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const MIN = 60_000;
const signOn = testSignOn(() => NOW, { trustClaim: true });

const SLO = DEFAULT_SLOS.find((s) => s.name === 'site-logon-latency')!;
const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (trust: string, id: string): ScopeStatus => ({ key: `site:${id}`, scope: 'site', id, trust, site: id, status: 'ok', reason: '', figures, since: 0, asOf: NOW });
/** The logon SLO burning fast at a site: every logon slow over the last hour. */
const burning = (scope: string, at = NOW) => evaluateBurnRates(SLO, scope, () => ({ valid: 100, good: 0 }), at);
const ours = fingerprint(SLO.name, 'site:RXX01', 'page');
const theirs = fingerprint(SLO.name, 'site:RYY01', 'page');

let fixture: AppFixture;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  const board = new StatusBoard();
  board.applyAll([site('RXX', 'RXX01'), site('RYY', 'RYY01')]);
  fixture = await appFixture({ signOn, board });
  fixture.slos.book.update(NOW, [burning('site:RXX01'), burning('site:RYY01')]);
  for (const [name, trusts, role] of [['xena', ['RXX'], 'operator'], ['yuri', ['RYY'], 'operator'], ['vic', ['RXX'], 'viewer'], ['ada', ['*'], 'admin']] as const) {
    cookies[name] = await sessionCookie(signOn, { sub: name, name: `${name} (${role})`, role, trusts: [...trusts] });
  }
});
afterAll(() => fixture.close());

const send = (who: string, method: string, path: string, body?: unknown) => requestWith(fixture.app, cookies[who]!, method, path, body);
const assign = (who: string, print: string, body: unknown) => send(who, 'PUT', `/api/alerts/${print}/assignment`, body);
const alerts = async (who: string) => (await (await send(who, 'GET', '/api/alerts')).json()) as AlertsResponse;
const audit = async () => ((await (await send('ada', 'GET', '/api/audit')).json()) as { entries?: AuditEntry[] } | AuditEntry[]);
const entries = async () => {
  const body = await audit();
  return Array.isArray(body) ? body : (body.entries ?? []);
};

describe('PUT /api/alerts/:fingerprint/assignment', () => {
  it('gives a firing alert to a team: who assigned it and when are the server’s; the alert shows it', async () => {
    const res = await assign('xena', ours, { assignee: '  Network team ', note: 'WAN link at RXX01', assignedBy: 'someone else' });
    expect(res.status).toBe(400); // the body names only assignee and note
    const ok = await assign('xena', ours, { assignee: '  Network team ', note: 'WAN link at RXX01' });
    expect(ok.status).toBe(200);
    const assignment = (await ok.json()) as AlertAssignment;
    expect(assignment).toEqual({ assignee: 'Network team', note: 'WAN link at RXX01', assignedBy: 'xena (operator)', assignedAt: NOW });
    // The page is assigned; the ticket of the same SLO and site (another alert) is not.
    const firing = (await alerts('xena')).firing;
    expect(firing.map((a) => [a.severity, a.fingerprint, a.assignment])).toEqual([
      ['page', ours, assignment],
      ['ticket', fingerprint(SLO.name, 'site:RXX01', 'ticket'), null],
    ]);
    // Handed on: the new assignee replaces the old.
    const handed = await assign('xena', ours, { assignee: 'J. Smith' });
    expect(((await handed.json()) as AlertAssignment).note).toBe('');
    expect((await alerts('ada')).firing.find((a) => a.fingerprint === ours)!.assignment!.assignee).toBe('J. Smith');
  });

  it.each([
    ['no assignee', {}],
    ['a blank assignee', { assignee: '   ' }],
    ['an assignee too long', { assignee: 'x'.repeat(201) }],
    ['a note too long', { assignee: 'Desk', note: 'x'.repeat(501) }],
    ['an assignee not text', { assignee: 7 }],
  ])('refuses %s with 400, saying what to send', async (_what, body) => {
    const res = await assign('xena', ours, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^invalid assignment: .*send \{"assignee"/);
  });

  it('says what an assignee must be, in words: "assignee: must be text; got 7"', async () => {
    const res = await assign('xena', ours, { assignee: 7 });
    expect(((await res.json()) as { error: string }).error).toBe('invalid assignment: assignee: must be text; got 7; send {"assignee": "Network team", "note": "…"}');
  });

  it('is for operators: a viewer is refused by the route table (403)', async () => {
    expect((await assign('vic', ours, { assignee: 'Desk' })).status).toBe(403);
    expect((await send('vic', 'DELETE', `/api/alerts/${ours}/assignment`)).status).toBe(403);
  });

  it('answers 404 for another trust’s alert, exactly as for one that is not firing', async () => {
    const foreign = await assign('yuri', ours, { assignee: 'Desk' });
    const absent = await assign('yuri', '0000000000000000', { assignee: 'Desk' });
    expect(foreign.status).toBe(404);
    expect(absent.status).toBe(404);
    expect((await foreign.text()).replace(ours, '…')).toBe((await absent.text()).replace('0000000000000000', '…'));
    expect((await alerts('xena')).firing.find((a) => a.fingerprint === ours)!.assignment!.assignee).toBe('J. Smith');
  });

  it('is recorded in the audit trail with who, what and the answer, the refusals too', async () => {
    const trail = await entries();
    const assigned = trail.filter((e) => e.target === `PUT /api/alerts/${ours}/assignment` && e.status === 200);
    expect(assigned.map((e) => [e.actor, e.role])).toEqual([['xena', 'operator'], ['xena', 'operator']]);
    expect(assigned.some((e) => e.detail.includes('Network team'))).toBe(true);
    expect(trail.some((e) => e.actor === 'vic' && e.status === 403 && e.target === `PUT /api/alerts/${ours}/assignment`)).toBe(true);
    expect(trail.some((e) => e.actor === 'yuri' && e.status === 404 && e.detail.startsWith('refused: alert'))).toBe(true);
  });
});

describe('DELETE /api/alerts/:fingerprint/assignment', () => {
  it('takes the alert back; a second time there is nobody to take it from', async () => {
    await assign('yuri', theirs, { assignee: 'RYY desk' });
    expect((await send('xena', 'DELETE', `/api/alerts/${theirs}/assignment`)).status).toBe(404);
    expect((await send('yuri', 'DELETE', `/api/alerts/${theirs}/assignment`)).status).toBe(204);
    expect((await alerts('yuri')).firing.find((a) => a.fingerprint === theirs)!.assignment).toBeNull();
    const again = await send('yuri', 'DELETE', `/api/alerts/${theirs}/assignment`);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: string }).error).toMatch(/assigned to nobody/);
  });
});

describe('assignments across a restart', () => {
  it('are stored, restored to the alert when it fires again, and forgotten once it resolves', async () => {
    const kept = await openStore('sqlite::memory:');
    try {
      const before = await appFixture({ assignments: kept });
      before.slos.book.update(NOW, [burning('site:RXX01')]);
      const put = await before.app.request(`${BASE}/api/alerts/${ours}/assignment`, { method: 'PUT', headers: { host: 'localhost', 'content-type': 'application/json' }, body: JSON.stringify({ assignee: 'Network team' }) });
      expect(put.status).toBe(200);
      // The local administrator (no sign-in) is named by nobody.
      expect(((await put.json()) as AlertAssignment).assignedBy).toBe('');
      await before.close();

      let now = NOW;
      const after = await appFixture({ store: kept, assignments: kept, clock: () => now });
      expect(await readSharedAlertState(after.slos, kept)).toBe(true);
      expect(await kept.storedAssignments()).toHaveLength(1);
      after.slos.book.update(NOW + MIN, [burning('site:RXX01', NOW + MIN)]);
      expect(after.slos.book.get(ours)!.assignment!.assignee).toBe('Network team');

      // The logons turn fast: the evaluations (from the store's rollups) hold the alert, then resolve
      // it once KEEP_FIRING_FOR_MS has passed, and the store forgets who had it.
      const minute = NOW - (NOW % MIN);
      const records: RollupRecord[] = [];
      for (let m = 90; m >= -20; m--) records.push({ scope: 'site:RXX01', metric: 'logon.totalMs', resolution: '1m', start: minute - m * MIN, count: 0, valid: 20, good: 20, fast: 20, sketch: new Uint8Array() });
      await kept.write(records);
      now = NOW + 5 * MIN;
      await after.slos.evaluateNow();
      expect(after.slos.book.get(ours)!.assignment!.assignee).toBe('Network team');
      expect(await kept.storedAssignments()).toHaveLength(1);
      now += KEEP_FIRING_FOR_MS;
      await after.slos.evaluateNow();
      expect(after.slos.book.get(ours)).toBeUndefined();
      expect(after.slos.book.resolved().find((a) => a.fingerprint === ours)!.assignment!.assignee).toBe('Network team');
      expect(await kept.storedAssignments()).toEqual([]);
    } finally {
      await kept.close();
    }
  });
});
