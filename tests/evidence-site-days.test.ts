// The day tier gives the same evidence pack: a simulated trust's September and October (the month the
// clocks go back: 745 hours, with rows in the hours around the change) read from the hourly rollups,
// then from the day rows the processor's housekeeping folds them into — every figure the same, to
// rounding — with a maintenance window configured and one recorded after the fold, a change compared
// before and after, and a late correction both before and after its day is folded again.
import { describe, expect, it } from 'vitest';
import { encodeValues, mergeRollupRecords } from '@wardwatch/sketch';
import { SqliteRollupStore, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { buildEvidencePack, foldSiteDays, loadPackInputs, londonMonth, parseEvidenceConfig } from '@wardwatch/evidence';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';

const SEP = londonMonth('2026-09');
const OCT = londonMonth('2026-10');
const HOUR = 3_600_000;
const config = parseEvidenceConfig(
  'applications: { checkIntervalS: 300 }\ntrendMonths: 2\nmaintenance:\n  - { from: 2026-10-04T22:30:00Z, to: 2026-10-05T08:10:00Z, label: core switch upgrade }\n',
);
const NOW = Date.UTC(2026, 10, 20);

/** The store as a reader without the day tier sees it: every figure from the hourly rows. */
const hourlyOnly = (store: SqliteRollupStore): RollupStore =>
  new Proxy(store, { get: (target, key) => (key === 'dayRollups' ? undefined : typeof Reflect.get(target, key) === 'function' ? Reflect.get(target, key).bind(target) : Reflect.get(target, key)) });

async function packOf(store: RollupStore) {
  const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: 'test', now: NOW });
  return buildEvidencePack(inputs, config);
}

/** Numbers to 9 significant digits: bins summed in another order may differ in the last place. */
const rounded = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));
const same = (p: Awaited<ReturnType<typeof packOf>>) => rounded({ ...p, generatedAt: 0 });

/** Logons at S1 in the night hours around the October clock change, which the trust's 07–19 UTC day leaves empty. */
const nightRows = (): RollupRecord[] =>
  ['2026-10-24T22:00:00Z', '2026-10-24T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', '2026-10-25T23:00:00Z', '2026-10-26T00:00:00Z'].map((iso, i) => {
    const values = [40_000 + 1000 * i, 20_000];
    return { scope: 'site:S1', metric: 'logon.totalMs', resolution: '1h', start: Date.parse(iso), count: 2, valid: 2, good: 2, fast: 1, sketch: encodeValues(values) };
  });

async function trustStore() {
  const store = new SqliteRollupStore(':memory:');
  await writeTrust(store, { from: SEP.from, to: OCT.to, seed: 5, badHours: (start) => start >= Date.parse('2026-10-05T06:00:00Z') && start < Date.parse('2026-10-05T08:00:00Z') });
  await store.write(nightRows());
  await store.addAnnotation({ id: 'c1', trust: 'RXX', scope: 'site:S1', kind: 'change', title: 'SSO live', start: Date.UTC(2026, 9, 12, 9), createdAt: OCT.from });
  return store;
}

/** Runs a test on a fresh trust store, closed after it whatever happens. */
async function withTrustStore(test: (store: SqliteRollupStore) => Promise<void>): Promise<void> {
  const store = await trustStore();
  try {
    await test(store);
  } finally {
    await store.close();
  }
}

async function foldAll(store: SqliteRollupStore): Promise<number> {
  let days = 0;
  for (;;) {
    const run = await foldSiteDays(store, NOW);
    if (run.days === 0 && run.months === 0) return days;
    days += run.days;
  }
}

describe('the day tier in the evidence pack', () => {
  it('gives the figures the hourly rollups give, in the month the clocks go back', () =>
    withTrustStore(async (store) => {
      const hourly = await packOf(store);
      // Every day from the first hourly row (1 September) to 18 November: 19 November ends at NOW,
      // and is folded an hour later.
      expect(await foldAll(store)).toBe(30 + 31 + 18);
      expect((await store.dayFoldState()).foldedTo).toBe(Date.UTC(2026, 10, 19));
      expect((await store.dayRollups({ scope: 'site:S1', metric: 'logon.totalMs', from: OCT.from, to: OCT.to })).length).toBe(31);
      const folded = await packOf(store);
      expect(same(folded)).toEqual(same(hourly));
      // What the comparison covers: the DST month's hours, maintenance, small sites, before and after.
      expect(hourly.method.period.hours).toBe(745);
      // 07–19 UTC every day, the six night hours, less the window's 07:00 and 08:00 on 5 October.
      expect(hourly.method.coverage.hoursWithData).toBe(31 * 12 + 6 - 2);
      expect(hourly.method.maintenance.hoursExcluded).toBe(11);
      expect(hourly.method.suppressed.map((s) => s.scope)).toContain('site:S3');
      expect(hourly.beforeAfter.comparisons).toHaveLength(1);
      expect(hourly.trend.months.map((m) => m.hoursWithData)).toEqual([30 * 12, 31 * 12 + 6 - 2]);
      expect(folded.method.assumptions.some((a) => a.includes('left out whole'))).toBe(false);
    }), 120_000);

  it('leaves out the hours of a maintenance window recorded after the fold, as the hourly rollups do', () =>
    withTrustStore(async (store) => {
      await foldAll(store);
      await store.addAnnotation({ id: 'm1', trust: 'RXX', scope: 'site:S1', kind: 'maintenance', title: 'Wi-Fi controller', start: Date.UTC(2026, 9, 25, 0, 30), end: Date.UTC(2026, 9, 25, 9), createdAt: NOW });
      await store.addAnnotation({ id: 'm2', trust: 'RXX', scope: 'site:S2', kind: 'maintenance', title: 'EPR upgrade', start: Date.UTC(2026, 8, 9, 9), end: Date.UTC(2026, 8, 9, 10), createdAt: NOW });
      const folded = await packOf(store);
      const hourly = await packOf(hourlyOnly(store));
      expect(same(folded)).toEqual(same(hourly));
      expect(hourly.method.maintenance.hoursExcluded).toBe(11 + 9);
      // The window took S1's night logons at 00:00 and 01:00 UTC with it.
      expect(hourly.method.coverage.hoursWithData).toBe(31 * 12 + 6 - 2 - 2);
    }), 120_000);

  it('reads a late correction from its hour until its day is folded again, then from the day', () =>
    withTrustStore(async (store) => {
      await foldAll(store);
      const at = Date.UTC(2026, 9, 14, 9);
      const keys = ['site:S2', 'ward:S2/W1'].map((scope) => ({ scope, metric: 'logon.totalMs', resolution: '1h' as const, start: at }));
      const late = (r: RollupRecord) => mergeRollupRecords(r, { ...r, count: 3, valid: 3, good: 3, fast: 0, sketch: encodeValues([90_000, 95_000, 120_000]) });
      await store.write((await store.lookup(keys)).map(late));
      expect((await store.dayFoldState()).refold).toEqual([at]);
      const pending = await packOf(store);
      const hourly = await packOf(hourlyOnly(store));
      expect(same(pending)).toEqual(same(hourly));
      expect((await foldSiteDays(store, NOW)).days).toBe(1);
      expect(same(await packOf(store))).toEqual(same(hourly));
      // The correction is in: S2 lost more time than before it.
      const before = await trustStore();
      try {
        const s2 = (p: typeof hourly) => p.logons.find((r) => r.scope === 'site:S2')!;
        const unchanged = await packOf(before);
        expect(s2(hourly).logons).toBe(s2(unchanged).logons + 3);
        expect(s2(hourly).hoursLost).toBeGreaterThan(s2(unchanged).hoursLost);
      } finally {
        await before.close();
      }
    }), 120_000);

  it('with the hourly rows gone, keeps the day rows\' figures and leaves a maintenance day out whole', () =>
    withTrustStore(async (store) => {
      await foldAll(store);
      const full = await packOf(store);
      // Hourly rows deleted (as a retention shorter than the day tier's would); the configured window
      // then takes 4 and 5 October whole (London days: 22:30 UTC on the 4th is still the 4th).
      (store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }).db.prepare(`DELETE FROM rollups WHERE resolution = '1h' AND scope NOT LIKE 'device:%'`).run();
      const gone = await packOf(store);
      const note = gone.method.assumptions.find((a) => a.includes('left out whole at the window'));
      expect(note).toMatch(/\(\d+ scope-days this month\)/);
      // Of those two days' 24 hours with data, the hourly rows had left out only 07:00 and 08:00 UTC.
      expect(gone.method.coverage.hoursWithData).toBe(full.method.coverage.hoursWithData - (2 * 12 - 2));
      expect(gone.logons.find((r) => r.scope === 'site:S2')!.logons).toBeLessThan(full.logons.find((r) => r.scope === 'site:S2')!.logons);
      // September had no window: its figures in the trend do not move.
      expect(rounded(gone.trend.months[0])).toEqual(rounded(full.trend.months[0]));
      // A trust without a directory of sites: they are found in the day rows, not only the hours.
      const noSites = { ...trustDirectory(), sites: [] };
      const found = await buildEvidencePack(await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: noSites, softwareVersion: 'test', now: NOW }), config);
      const siteScopes = (p: typeof full) => p.logons.filter((r) => r.scope.startsWith('site:')).map((r) => r.scope).sort();
      expect(siteScopes(found)).toEqual(siteScopes(gone));
      expect(siteScopes(found).length).toBeGreaterThan(1);
    }), 120_000);

  it('with wards\' and access points\' day rows pruned after their month is folded, reads their month rows: the same pack', () =>
    withTrustStore(async (store) => {
      const plain = parseEvidenceConfig('applications: { checkIntervalS: 300 }\ntrendMonths: 2\n');
      const pack = async () => buildEvidencePack(await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config: plain, directory: trustDirectory(), softwareVersion: 'test', now: NOW }), plain);
      const hourly = await buildEvidencePack(await loadPackInputs(hourlyOnly(store), { trust: 'RXX', month: '2026-10' }, { config: plain, directory: trustDirectory(), softwareVersion: 'test', now: NOW }), plain);
      await foldAll(store);
      const byDay = await pack();
      expect((await store.monthFoldState()).folded.map((m) => m.month)).toEqual([SEP.from, OCT.from]);
      // The change compared before and after by day, whole months folded or not (12 October: its four
      // weeks after hold the rest of October, 13–31, where the trust's data ends).
      expect(rounded(byDay.beforeAfter)).toEqual(rounded(hourly.beforeAfter));
      expect(hourly.beforeAfter.comparisons[0]!.figures.find((f) => f.figure === 'logon.p50')!.unitsAfter).toBe(19);
      const wardDays = async () => (await store.dayRollups({ scope: 'ward:*', from: SEP.from, to: OCT.to, countsOnly: true })).length;
      expect(await wardDays()).toBeGreaterThan(0);
      // Pruned as the housekeeping would once the wards' days are 10 days old (62 by default).
      await store.prune(NOW, { '1m': 2 * 86_400_000, '5m': 14 * 86_400_000, '1h': 400 * 86_400_000 }, { history: 400 * 86_400_000, monthScopeDays: 10 * 86_400_000, siteDays: 10 * 86_400_000 });
      expect(await wardDays()).toBe(0);
      expect((await store.monthRollups({ scope: 'ward:*', from: OCT.from, to: OCT.to, countsOnly: true })).length).toBeGreaterThan(0);
      const byMonth = await pack();
      expect(same(byMonth)).toEqual(same(byDay));
      expect(rounded(byMonth.beforeAfter)).toEqual(rounded(hourly.beforeAfter));
      // Wards and access points are in it: their figures came from the month rows.
      expect(byDay.summary.worst.wards.length).toBeGreaterThan(0);
      expect(JSON.stringify(byMonth)).toContain('ward:S1/');
    }), 120_000);
});
