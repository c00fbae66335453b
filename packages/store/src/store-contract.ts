// The behaviour every RollupStore must show, run against SQLite and PostgreSQL alike. Not exported
// from the package entry: it imports vitest.
import { describe, expect, it } from 'vitest';
import { openedStores } from './opened-stores.fixture.ts';
import type { RollupRecord, RollupStore } from './rollup-store.ts';
import { hasRollupChangeLog, type RollupChangeLog } from './rollup-change-log.ts';
import type { AnnotationStore } from './annotation-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { ApiTokenStore } from './api-token-store.ts';
import type { SilenceStore } from './silence-store.ts';
import type { AssignmentStore } from './assignment-store.ts';

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const MIN = 60_000;

export function record(overrides: Partial<RollupRecord> = {}): RollupRecord {
  return {
    scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start: T0, count: 3, valid: 4, good: 3, fast: 2,
    sketch: new Uint8Array([1, 2, 3, 250, 0, 7]), ...overrides,
  };
}

export function describeStoreContract(name: string, open: () => Promise<RollupStore & AnnotationStore & AuditStore & ApiTokenStore & SilenceStore & AssignmentStore & { dispose?: () => Promise<void> }>): void {
  describe(`${name}: store contract`, () => {
    const { fresh } = openedStores(open);

    it('round-trips records, sketch bytes included', async () => {
      const store = await fresh();
      const written = [record(), record({ metric: 'logon.totalMs', sketch: new Uint8Array(0) }), record({ start: T0 + MIN, count: 0 })];
      await store.write(written);
      const read = await store.query({ scope: 'site:S1', resolution: '1m', from: T0, to: T0 + 2 * MIN });
      expect(read).toEqual([written[0], written[1], written[2]].sort((a, b) => a.start - b.start || a.metric.localeCompare(b.metric)));
      expect(read[0]!.sketch).toBeInstanceOf(Uint8Array);
    });

    it('replaces a window written again instead of adding to it', async () => {
      const store = await fresh();
      await store.write([record({ valid: 4 })]);
      await store.write([record({ valid: 9, good: 9, fast: 9, sketch: new Uint8Array([9]) })]);
      const read = await store.query({ scope: 'site:S1', resolution: '1m', from: T0, to: T0 + MIN });
      expect(read).toHaveLength(1);
      expect(read[0]).toMatchObject({ valid: 9, good: 9, fast: 9, sketch: new Uint8Array([9]) });
    });

    it.each([
      ['exact scope', 'ward:S1/W1', ['ward:S1/W1']],
      ['prefix does not match a neighbour', 'ward:S1/*', ['ward:S1/W1', 'ward:S1/W2']],
      ['prefix of a kind', 'ward:*', ['ward:S1/W1', 'ward:S1/W2', 'ward:S10/W1', 'ward:S2/W1']],
    ])('queries by %s', async (_name, scope, expected) => {
      const store = await fresh();
      await store.write(['ward:S1/W1', 'ward:S1/W2', 'ward:S10/W1', 'ward:S2/W1', 'site:S1'].map((s) => record({ scope: s })));
      const read = await store.query({ scope, resolution: '1m', from: T0, to: T0 + MIN });
      expect(read.map((r) => r.scope)).toEqual(expected);
    });

    it.each([
      ['site:*', false, ['site:S1', 'site:S10', 'site:S2']],
      ['site:*', true, ['site:S1', 'site:S10', 'site:S2']],
      ['*', false, ['site:S1', 'site:S10', 'site:S2', 'siteapp:S1/epr', 'ward:S1/W1']],
    ])('queries the prefix %s for one metric: every scope in it, that metric and time range only (counts only: %s)', async (scope, countsOnly, scopes) => {
      const store = await fresh();
      const written: RollupRecord[] = [];
      // site:S3 holds only the other metric; siteapp: and ward: scopes are outside "site:*"; 5-minute rows are another resolution.
      for (const s of ['site:S1', 'site:S10', 'site:S2', 'siteapp:S1/epr']) {
        for (const metric of ['app.totalMs', 'logon.totalMs']) {
          for (const m of [0, 1, 2, 3]) written.push(record({ scope: s, metric, start: T0 + m * MIN, valid: m + 1, sketch: new Uint8Array([m, s.length]) }));
        }
      }
      written.push(
        record({ scope: 'site:S3', metric: 'logon.totalMs', start: T0 + MIN }),
        record({ scope: 'site:S1', resolution: '5m', start: T0 + MIN }),
        ...[1, 2].map((m) => record({ scope: 'ward:S1/W1', start: T0 + m * MIN })),
      );
      await store.write(written);
      const read = await store.query({ scope, metric: 'app.totalMs', resolution: '1m', from: T0 + MIN, to: T0 + 3 * MIN, countsOnly });
      const expected = [T0 + MIN, T0 + 2 * MIN].flatMap((start) =>
        scopes.map((s) => written.find((r) => r.scope === s && r.metric === 'app.totalMs' && r.resolution === '1m' && r.start === start)!),
      );
      expect(read).toEqual(countsOnly ? expected.map((r) => ({ ...r, sketch: new Uint8Array(0) })) : expected);
    });

    it('returns counts without sketches when asked for counts only', async () => {
      const store = await fresh();
      await store.write([record(), record({ start: T0 + MIN, valid: 7 })]);
      const read = await store.query({ scope: 'site:*', resolution: '1m', from: T0, to: T0 + 2 * MIN, countsOnly: true });
      expect(read).toEqual([
        { ...record(), sketch: new Uint8Array(0) },
        { ...record({ start: T0 + MIN, valid: 7 }), sketch: new Uint8Array(0) },
      ]);
    });

    it('treats time ranges as half-open and filters by resolution and metric', async () => {
      const store = await fresh();
      await store.write([0, 1, 2, 3].map((m) => record({ start: T0 + m * MIN })));
      await store.write([record({ resolution: '5m' }), record({ metric: 'wifi.signalDbm' })]);
      const read = await store.query({ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', from: T0 + MIN, to: T0 + 3 * MIN });
      expect(read.map((r) => r.start)).toEqual([T0 + MIN, T0 + 2 * MIN]);
    });

    it('looks rows up by their primary key, leaving out keys with no row', async () => {
      const store = await fresh();
      const stored = [
        record(),
        record({ start: T0 + MIN, valid: 7 }),
        record({ metric: 'logon.totalMs', sketch: new Uint8Array(0) }),
        record({ resolution: '5m', valid: 5 }),
        record({ scope: 'site:S10', valid: 10 }),
      ];
      await store.write(stored);
      const key = ({ scope, metric, resolution, start }: RollupRecord) => ({ scope, metric, resolution, start });
      const found = await store.lookup([
        key(stored[1]!),
        key(stored[3]!),
        key(record({ start: T0 + 2 * MIN })), // no row there
        key(record({ scope: 'site:S' })), // a prefix of a stored scope is not that scope
        key(stored[4]!),
      ]);
      const order = (a: RollupRecord, b: RollupRecord) => a.scope.localeCompare(b.scope) || a.resolution.localeCompare(b.resolution) || a.start - b.start;
      expect(found.sort(order)).toEqual([stored[1]!, stored[3]!, stored[4]!].sort(order));
      expect(found.every((r) => r.sketch instanceof Uint8Array)).toBe(true);
      expect(await store.lookup([])).toEqual([]);
    });

    it('looks up thousands of keys in one call', async () => {
      const store = await fresh();
      const stored = Array.from({ length: 6000 }, (_, i) => record({ scope: `device:D${i % 300}`, start: T0 + Math.floor(i / 300) * MIN, valid: i }));
      await store.write(stored);
      const asked = stored.filter((_, i) => i % 2 === 0).map(({ scope, metric, resolution, start }) => ({ scope, metric, resolution, start }));
      const found = await store.lookup([...asked, ...asked.map((k) => ({ ...k, metric: 'wifi.signalDbm' }))]);
      expect(found.map((r) => r.valid).sort((a, b) => a - b)).toEqual(stored.filter((_, i) => i % 2 === 0).map((r) => r.valid));
    });

    it('writes a checkpoint with the records, atomically', async () => {
      const store = await fresh();
      expect(await store.checkpoint('g', 't', 3)).toBeUndefined();
      await store.write([record()], { group: 'g', topic: 't', partition: 3, offset: '42', state: new Uint8Array([7, 7]) });
      expect(await store.checkpoint('g', 't', 3)).toEqual({ group: 'g', topic: 't', partition: 3, offset: '42', state: new Uint8Array([7, 7]) });
      await store.write([], { group: 'g', topic: 't', partition: 3, offset: '43', state: null });
      expect(await store.checkpoint('g', 't', 3)).toMatchObject({ offset: '43', state: null });

      // A write that fails part-way leaves neither its records nor its checkpoint behind.
      const bad = record({ start: T0 + 5 * MIN, valid: -1 }); // violates valid >= 0
      await expect(store.write([record({ start: T0 + 4 * MIN }), bad], { group: 'g', topic: 't', partition: 3, offset: '99', state: null })).rejects.toThrow();
      expect((await store.checkpoint('g', 't', 3))!.offset).toBe('43');
      expect(await store.query({ scope: 'site:S1', resolution: '1m', from: T0 + 4 * MIN, to: T0 + 6 * MIN })).toEqual([]);
    });

    it('keeps a checkpoint\'s named parts: puts replace, names not kept go, a write without parts drops them all', async () => {
      const store = await fresh();
      const bytes = (...b: number[]) => new Uint8Array(b);
      const at = (offset: string, parts?: { put: Array<{ name: string; bytes: Uint8Array }>; keep: string[] }) => ({ group: 'g', topic: 't', partition: 1, offset, state: bytes(1), ...(parts ? { parts } : {}) });
      await store.write([], at('1', { put: [{ name: 'a', bytes: bytes(1, 1) }, { name: 'b', bytes: bytes(2) }], keep: ['a', 'b'] }));
      // Another partition's parts are its own.
      await store.write([], { ...at('1', { put: [{ name: 'a', bytes: bytes(9) }], keep: ['a'] }), partition: 2 });
      expect((await store.checkpoint('g', 't', 1))!.parts).toEqual({ put: [{ name: 'a', bytes: bytes(1, 1) }, { name: 'b', bytes: bytes(2) }], keep: ['a', 'b'] });
      // b replaced, a dropped (not kept), c added; a kept name not put stays as it was.
      await store.write([], at('2', { put: [{ name: 'b', bytes: bytes(3) }, { name: 'c', bytes: bytes(4) }], keep: ['b', 'c'] }));
      await store.write([], at('3', { put: [], keep: ['b', 'c'] }));
      expect(await store.checkpoint('g', 't', 1)).toEqual({ ...at('3'), parts: { put: [{ name: 'b', bytes: bytes(3) }, { name: 'c', bytes: bytes(4) }], keep: ['b', 'c'] } });
      // A failed write leaves the parts as they were.
      const bad = record({ valid: -1 });
      await expect(store.write([bad], at('4', { put: [{ name: 'd', bytes: bytes(5) }], keep: ['d'] }))).rejects.toThrow();
      expect((await store.checkpoint('g', 't', 1))!.parts!.keep).toEqual(['b', 'c']);
      await store.write([], at('5'));
      expect(await store.checkpoint('g', 't', 1)).toEqual(at('5'));
      expect((await store.checkpoint('g', 't', 2))!.parts!.keep).toEqual(['a']);
    });

    it('logs the earliest window written at each resolution, and a prune\'s cut-off', async () => {
      const store = await fresh();
      expect(hasRollupChangeLog(store)).toBe(true);
      const log = store as unknown as RollupChangeLog;
      const before = await log.rollupChanges(-Infinity);
      expect(before).toMatchObject({ from: {}, deletedBefore: {} });
      await store.write([record({ start: T0 + 5 * MIN }), record({ scope: 'site:S2', start: T0 + 2 * MIN }), record({ resolution: '1h', start: T0 })]);
      await store.write([record({ resolution: '1h', start: T0 + 60 * MIN })]);
      const after = await log.rollupChanges(before.at - 1000);
      expect(after).toMatchObject({ from: { '1m': T0 + 2 * MIN, '1h': T0 }, deletedBefore: {} });
      expect(after.at).toBeGreaterThanOrEqual(before.at);
      // Asked from past every write's stamp: nothing.
      expect((await log.rollupChanges(after.at + 60_000)).from).toEqual({});
      await store.prune(T0 + 10 * 86_400_000, { '1m': 86_400_000, '5m': 86_400_000, '1h': 400 * 86_400_000 });
      // Minutes deleted (the 5-minute retention found none, the hours are kept).
      expect(await log.rollupChanges(after.at - 1000)).toMatchObject({ from: { '1m': T0 + 2 * MIN, '1h': T0 }, deletedBefore: { '1m': T0 + 9 * 86_400_000 } });
    });

    it('leaves out the entries a reader knows from its last answer, and reports the rest', async () => {
      const store = await fresh();
      const log = store as unknown as RollupChangeLog;
      const before = await log.rollupChanges(-Infinity);
      await store.write([record({ resolution: '1h', start: T0 }), record({ start: T0 + 5 * MIN })]);
      const first = await log.rollupChanges(before.at - 1000);
      expect(first.from).toEqual({ '1m': T0 + 5 * MIN, '1h': T0 });
      expect(first.seen.length).toBeGreaterThan(0);
      // Asked again from as far back, knowing what it saw: nothing changed since.
      const again = await log.rollupChanges(before.at - 1000, new Set(first.seen));
      expect(again).toMatchObject({ from: {}, deletedBefore: {} });
      expect(new Set(again.seen)).toEqual(new Set(first.seen));
      // A write after it: only its own windows, though the known entries are still in the log.
      await store.write([record({ scope: 'site:S2', start: T0 + 9 * MIN })]);
      const third = await log.rollupChanges(before.at - 1000, new Set(again.seen));
      expect(third.from).toEqual({ '1m': T0 + 9 * MIN });
      expect(third.seen.length).toBe(first.seen.length + 1);
      // And a reader that knows nothing is told everything, as before.
      expect((await log.rollupChanges(before.at - 1000)).from).toEqual({ '1m': T0 + 5 * MIN, '1h': T0 });
    });

    it('prunes each resolution by its own retention', async () => {
      const store = await fresh();
      const now = T0 + 10 * 86_400_000;
      await store.write([
        record({ start: now - 3 * 86_400_000 }),
        record({ start: now - 3_600_000 }),
        record({ resolution: '1h', start: now - 3 * 86_400_000 }),
      ]);
      const deleted = await store.prune(now, { '1m': 2 * 86_400_000, '5m': 14 * 86_400_000, '1h': 400 * 86_400_000 });
      expect(deleted).toBe(1);
      // Rows years apart and hours apart, at the cut-off's edge: every one past it goes, the one at it stays.
      const DAY = 86_400_000;
      await store.write([
        record({ resolution: '5m', start: now - 900 * DAY }),
        record({ resolution: '5m', start: now - 30 * DAY }),
        record({ resolution: '5m', start: now - 30 * DAY + 5 * MIN }),
        record({ resolution: '5m', start: now - 14 * DAY - 5 * MIN }),
        record({ resolution: '5m', start: now - 14 * DAY }),
      ]);
      expect(await store.prune(now, { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 400 * DAY })).toBe(4);
      expect((await store.query({ scope: 'site:S1', resolution: '5m', from: 0, to: now })).map((r) => r.start)).toEqual([now - 14 * DAY]);
      // More rows at one start than a store deletes in one statement (SQLite: some thousands), then a few later.
      const crowded = now - 20 * DAY;
      await store.write([
        ...Array.from({ length: 4500 }, (_, i) => record({ scope: `ward:S1/W${i}`, resolution: '5m', start: crowded })),
        ...Array.from({ length: 10 }, (_, i) => record({ scope: `ward:S1/W${i}`, resolution: '5m', start: crowded + (i + 1) * 5 * MIN })),
      ]);
      expect(await store.prune(now, { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 400 * DAY })).toBe(4510);
      expect(await store.query({ scope: 'ward:S1/*', resolution: '5m', from: 0, to: now })).toEqual([]);
      expect(await store.query({ scope: 'site:S1', resolution: '1m', from: 0, to: now })).toHaveLength(1);
      expect(await store.query({ scope: 'site:S1', resolution: '1h', from: 0, to: now })).toHaveLength(1);
    });

    it('keeps silences across a restart: stored, replaced by id, the ended ones left out, deleted', async () => {
      const store = await fresh();
      const window = { id: 's1', kind: 'maintenance' as const, matchers: { scope: 'site:RXX01' }, startsAt: T0, endsAt: T0 + 60 * MIN, comment: 'Wi-Fi upgrade', createdBy: 'Ada' };
      const ended = { ...window, id: 's0', startsAt: T0 - 120 * MIN, endsAt: T0 - 60 * MIN };
      const page = { id: 's2', kind: 'silence' as const, matchers: { slo: 'site-app-latency', severity: 'page' as const }, startsAt: T0 + MIN, endsAt: T0 + 30 * MIN, comment: '', createdBy: '' };
      for (const s of [page, ended, window]) await store.putSilence(s);
      expect(await store.storedSilences(T0)).toEqual([window, page]);
      await store.putSilence({ ...window, comment: 'Wi-Fi upgrade, extended', endsAt: T0 + 90 * MIN });
      expect((await store.storedSilences(T0)).map((s) => s.comment)).toEqual(['Wi-Fi upgrade, extended', '']);
      expect(await store.storedSilences(T0 + 31 * MIN)).toHaveLength(1);
      expect(await store.deleteSilence('s1')).toBe(true);
      expect(await store.deleteSilence('s1')).toBe(false);
      expect((await store.storedSilences(T0)).map((s) => s.id)).toEqual(['s2']);
    });

    it('keeps alert assignments across a restart: stored, replaced by fingerprint, oldest first, deleted', async () => {
      const store = await fresh();
      const network = { assignee: 'Network team', note: 'WAN link at RXX01', assignedBy: 'Ada', assignedAt: T0 + 2 * MIN };
      const desk = { assignee: 'Service desk', note: '', assignedBy: '', assignedAt: T0 + MIN };
      await store.putAssignment('aaaa000000000001', network);
      await store.putAssignment('aaaa000000000002', desk);
      expect(await store.storedAssignments()).toEqual([
        { fingerprint: 'aaaa000000000002', assignment: desk },
        { fingerprint: 'aaaa000000000001', assignment: network },
      ]);
      const handedOn = { ...network, assignee: 'J. Smith (network)', assignedAt: T0 + 3 * MIN };
      await store.putAssignment('aaaa000000000001', handedOn);
      expect((await store.storedAssignments()).map((s) => s.assignment.assignee)).toEqual(['Service desk', 'J. Smith (network)']);
      expect(await store.deleteAssignment('aaaa000000000002')).toBe(true);
      expect(await store.deleteAssignment('aaaa000000000002')).toBe(false);
      expect(await store.storedAssignments()).toEqual([{ fingerprint: 'aaaa000000000001', assignment: handedOn }]);
    });

    it('keeps API tokens by the hash of their secret, lists them, and revokes once', async () => {
      const store = await fresh();
      const grafana = { id: 't1', name: 'grafana', role: 'viewer' as const, trusts: ['RXX', 'RYY'], createdBy: 'ada', createdAt: T0, expiresAt: T0 + 90 * 86_400_000, revokedAt: null };
      const script = { ...grafana, id: 't2', name: 'silencer', role: 'operator' as const, trusts: ['*'] };
      await store.addApiToken(grafana, 'hash-1');
      await store.addApiToken(script, 'hash-2');
      expect(await store.apiTokenByHash('hash-1')).toEqual(grafana);
      expect(await store.apiTokenByHash('hash-3')).toBeUndefined();
      expect(await store.apiTokens()).toEqual([grafana, script]);
      expect(await store.revokeApiToken('t1', T0 + MIN)).toBe(true);
      expect(await store.revokeApiToken('t1', T0 + 2 * MIN)).toBe(false);
      expect(await store.revokeApiToken('nope', T0)).toBe(false);
      expect((await store.apiTokenByHash('hash-1'))?.revokedAt).toBe(T0 + MIN);
    });

    it('keeps the audit trail: appended, read newest first, by time, actor and action, limited', async () => {
      const store = await fresh();
      const entry = (at: number, action: 'login' | 'change', actor: string, detail = '') =>
        ({ at, action, actor, actorName: `${actor} name`, role: 'operator', ip: '10.0.0.1', target: action === 'login' ? '/auth/callback' : 'POST /api/silences', status: action === 'login' ? 302 : 201, detail });
      const first = entry(T0, 'login', 'alice');
      const second = entry(T0 + MIN, 'change', 'alice', '{"matchers":{"scope":"site:RXX01"}}');
      const third = entry(T0 + MIN, 'change', 'bob', '{"id":"x"}'); // same instant: kept in the order appended
      for (const e of [first, second, third]) await store.appendAudit(e);
      expect(await store.auditEntries()).toEqual([third, second, first]);
      expect(await store.auditEntries({ actor: 'alice' })).toEqual([second, first]);
      expect(await store.auditEntries({ action: 'login' })).toEqual([first]);
      expect(await store.auditEntries({ from: T0 + MIN })).toEqual([third, second]);
      expect(await store.auditEntries({ to: T0 + MIN })).toEqual([first]);
      expect(await store.auditEntries({ limit: 1 })).toEqual([third]);
    });

    it('keeps annotations: stored, found by trust, scope, kind and time, replaced by id, deleted', async () => {
      const store = await fresh();
      const sso = { id: 'a1', trust: 'RXX', scope: 'site:RXX03', kind: 'change' as const, title: 'SSO live', note: 'Imprivata', start: T0, createdBy: 'it', createdAt: T0 + 5 };
      const window = { id: 'a2', trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance' as const, title: 'Wi-Fi upgrade', start: T0 + 10 * MIN, end: T0 + 70 * MIN, createdAt: T0 };
      const other = { id: 'a3', trust: 'RYY', scope: 'trust', kind: 'change' as const, title: 'New EPR', start: T0 - MIN, createdAt: T0 };
      for (const a of [window, sso, other]) await store.addAnnotation(a);
      expect(await store.annotations()).toEqual([other, sso, window]);
      expect(await store.annotations({ trust: 'RXX' })).toEqual([sso, window]);
      expect(await store.annotations({ scope: 'site:RXX01' })).toEqual([window]);
      expect(await store.annotations({ id: 'a3' })).toEqual([other]);
      expect(await store.annotations({ kind: 'maintenance' })).toEqual([window]);
      // Overlapping [from, to): a window that ends after `from`, a change at or after `from`.
      expect(await store.annotations({ trust: 'RXX', from: T0 + 60 * MIN, to: T0 + 2 * 60 * MIN })).toEqual([window]);
      expect(await store.annotations({ trust: 'RXX', from: T0, to: T0 + MIN })).toEqual([sso]);
      expect(await store.annotations({ trust: 'RXX', from: T0 + MIN, to: T0 + 10 * MIN })).toEqual([]);
      await store.addAnnotation({ ...sso, title: 'SSO live (all wards)' });
      expect((await store.annotations({ scope: 'site:RXX03' })).map((a) => a.title)).toEqual(['SSO live (all wards)']);
      expect(await store.deleteAnnotation('a1')).toBe(true);
      expect(await store.deleteAnnotation('a1')).toBe(false);
      expect((await store.annotations()).map((a) => a.id)).toEqual(['a3', 'a2']);
    });
  });
}
