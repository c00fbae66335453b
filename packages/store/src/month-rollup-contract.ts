// What every MonthRollupStore must do, and how the tiers are pruned, run against SQLite and PostgreSQL
// alike. Not exported from the package entry: it imports vitest. The folds here are plain ones (UTC
// days, 30-day "months", sketches counting rows): the store neither knows nor cares how the caller
// builds a day or a month.
import { describe, expect, it } from 'vitest';
import { openedStores } from './opened-stores.fixture.ts';
import { DAY, HOUR, row, sumFold as dayFold } from './tier-folds.fixture.ts';
import type { DayRollupStore } from './day-rollup-store.ts';
import type { MonthFold, MonthRollupRecord, MonthRollupStore } from './month-rollup-store.ts';
import type { RollupStore } from './rollup-store.ts';
import type { AnnotationStore } from './annotation-store.ts';

const M0 = Date.UTC(2026, 0, 1);
const M1 = M0 + 30 * DAY;

type Store = RollupStore & DayRollupStore & MonthRollupStore & AnnotationStore & { dispose?: () => Promise<void> };

/** One row per scope and metric for the month starting at the first day row's 30-day boundary. */
const monthFold: MonthFold = (rows) => {
  const out = new Map<string, MonthRollupRecord>();
  for (const d of rows) {
    const month = M0 + Math.floor((d.day - M0) / (30 * DAY)) * 30 * DAY;
    const key = `${d.scope}|${d.metric}`;
    const m = out.get(key) ?? { scope: d.scope, metric: d.metric, month, end: month + 30 * DAY, days: 0, hours: new Uint8Array(0), count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array([0]) };
    m.days |= 1 << ((d.day - month) / DAY);
    m.count += d.count;
    m.valid += d.valid;
    m.good += d.good;
    m.fast += d.fast;
    m.sketch = new Uint8Array([m.sketch[0]! + 1]);
    // Hours kept for sites only (a bit set's bytes: here the day's first hour, as the test writes it).
    if (d.scope.startsWith('site:')) m.hours = Uint8Array.of(...m.hours, d.hours % 256);
    out.set(key, m);
  }
  return [...out.values()];
};
const brief = (m: MonthRollupRecord) => `${m.scope} ${m.metric} days=${m.days.toString(2)} valid=${m.valid} rows=${m.sketch[0] ?? '-'}${m.hours.length ? ` hours=${[...m.hours].join('.')}` : ''}`;
const foldDays = async (store: Store, from: number, to: number) => {
  for (let d = from; d < to; d += DAY) await store.foldDay(d, d + DAY, dayFold);
};

export function describeMonthRollupContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: month rollups and the tiers' retention`, () => {
    const { fresh } = openedStores(open);

    it('folds a month\'s day rows into month rows, a row per scope and metric', async () => {
      const store = await fresh();
      expect(await store.monthFoldState()).toEqual({ folded: [], firstDay: undefined });
      await store.write([
        row('ward:S1/W1', M0 + 2 * HOUR, 2), row('ward:S1/W1', M0 + 3 * DAY, 3), row('ward:S1/W1', M0 + 3 * DAY, 4, 'logon.totalMs'),
        row('ap:3c:a8', M0 + DAY, 6), row('site:S1', M0, 7), row('siteapp:S1/epr', M0, 8), row('ward:S1/W2', M1, 9),
      ]);
      await foldDays(store, M0, M1 + DAY);
      expect(await store.monthFoldState()).toEqual({ folded: [], firstDay: M0 });
      expect(await store.foldMonth(M0, M1, monthFold)).toBe(6);
      const months = await store.monthRollups({ scope: '*', from: 0, to: M1 + 30 * DAY });
      expect(months.map(brief).sort()).toEqual([
        'ap:3c:a8 app.totalMs days=10 valid=6 rows=1',
        'site:S1 app.totalMs days=1 valid=7 rows=1 hours=1',
        'siteapp:S1/epr app.totalMs days=1 valid=8 rows=1',
        'ward:S1/W1 app.totalMs days=1001 valid=5 rows=2',
        'ward:S1/W1 logon.totalMs days=1000 valid=4 rows=1',
      ]);
      expect(months.every((m) => m.month === M0 && m.end === M1)).toBe(true);
      expect(await store.monthFoldState()).toEqual({ folded: [{ month: M0, end: M1, stale: false }], firstDay: M0 });
      // Queries as the other tiers: exact scope, a prefix, a metric, a month range, counts only.
      expect((await store.monthRollups({ scope: 'ward:S1/W1', metric: 'logon.totalMs', from: M0, to: M0 + 1 })).map(brief)).toEqual(['ward:S1/W1 logon.totalMs days=1000 valid=4 rows=1']);
      expect((await store.monthRollups({ scope: 'ward:*', from: M0, to: M1 })).length).toBe(2);
      expect(await store.monthRollups({ scope: 'ward:*', from: M0 + 1, to: M1 })).toEqual([]);
      expect((await store.monthRollups({ scope: 'ap:*', from: M0, to: M1, countsOnly: true })).map((m) => [m.valid, m.sketch.length])).toEqual([[6, 0]]);
      expect((await store.monthRollups({ scope: 'site:S1', from: M0, to: M1, countsOnly: true })).map((m) => [...m.hours])).toEqual([[1]]);
      // Folding again replaces the month's rows (a ward gone from the days is gone from the month).
      await store.foldMonth(M0, M1, (rows) => monthFold(rows.filter((d) => d.scope !== 'ap:3c:a8')));
      expect((await store.monthRollups({ scope: '*', from: M0, to: M1 })).map((m) => m.scope).sort()).toEqual(['site:S1', 'siteapp:S1/epr', 'ward:S1/W1', 'ward:S1/W1']);
    });

    it('marks a folded month stale when one of its days is folded again, until the month is folded again', async () => {
      const store = await fresh();
      await store.write([row('ward:S1/W1', M0 + HOUR, 2)]);
      await foldDays(store, M0, M1);
      await store.foldMonth(M0, M1, monthFold);
      // A late row for day 5: its day folded again.
      await store.write([row('ward:S1/W1', M0 + 5 * DAY + HOUR, 3)]);
      await store.foldDay(M0 + 5 * DAY, M0 + 6 * DAY, dayFold);
      expect((await store.monthFoldState()).folded).toEqual([{ month: M0, end: M1, stale: true }]);
      await store.foldMonth(M0, M1, monthFold);
      expect((await store.monthFoldState()).folded).toEqual([{ month: M0, end: M1, stale: false }]);
      expect((await store.monthRollups({ scope: '*', from: M0, to: M1 })).map(brief)).toEqual(['ward:S1/W1 app.totalMs days=100001 valid=5 rows=2']);
    });

    it('prunes each tier by its own retention: hourly rows once folded, wards\' days a month at a time once it is folded, the history at its own', async () => {
      const store = await fresh();
      const now = M0 + 95 * DAY;
      const retention = { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 30 * DAY };
      // Sites' days kept longer than wards' (70 days after their month against 62).
      const tiers = { history: 120 * DAY, monthScopeDays: 62 * DAY, siteDays: 70 * DAY };
      await store.write([
        row('site:S1', M0 + 5 * DAY, 1), row('ward:S1/W1', M0 + 5 * DAY, 2), row('device:D1', M0 + 5 * DAY, 3),
        row('site:S1', M1 + 5 * DAY, 4), row('ward:S1/W1', M1 + 5 * DAY, 5), row('ap:3c:a8', M1 + 6 * DAY, 6),
        row('site:S1', now - DAY, 7),
      ]);
      // Only the first month's days folded: the second month's hourly rows are kept though old.
      await foldDays(store, M0, M1);
      await store.prune(now, retention, tiers);
      const hourly = async () => (await store.query({ scope: '*', resolution: '1h', from: 0, to: now })).map((r) => `${r.scope} ${r.valid}`).sort();
      expect(await hourly()).toEqual(['ap:3c:a8 6', 'site:S1 4', 'site:S1 7', 'ward:S1/W1 5']);
      // Days folded, the first month not yet: its ward's day row stays.
      await foldDays(store, M1, M1 + 30 * DAY);
      await store.prune(now, retention, tiers);
      expect(await hourly()).toEqual(['site:S1 7']);
      const days = async () => (await store.dayRollups({ scope: '*', from: 0, to: now })).map((d) => `${d.scope} ${d.valid}`).sort();
      expect(await days()).toEqual(['ap:3c:a8 6', 'site:S1 1', 'site:S1 4', 'ward:S1/W1 2', 'ward:S1/W1 5']);
      // Both months folded: the first month ended over 62 days ago, and its ward days go (not yet 70:
      // its site's stay); the second month's all stay.
      await store.foldMonth(M0, M1, monthFold);
      await store.foldMonth(M1, M1 + 30 * DAY, monthFold);
      await store.prune(now, retention, tiers);
      expect(await days()).toEqual(['ap:3c:a8 6', 'site:S1 1', 'site:S1 4', 'ward:S1/W1 5']);
      // Past 70 days the site's go too.
      await store.prune(now + 6 * DAY, retention, tiers);
      expect(await days()).toEqual(['ap:3c:a8 6', 'site:S1 4', 'ward:S1/W1 5']);
      // A stale month keeps its days.
      await store.write([row('ward:S1/W1', M1 + 7 * DAY, 1)]);
      await store.foldDay(M1 + 7 * DAY, M1 + 8 * DAY, dayFold);
      await store.prune(now + 30 * DAY, retention, tiers);
      expect((await days()).filter((d) => d.startsWith('ward'))).toEqual(['ward:S1/W1 1', 'ward:S1/W1 5']);
      // Past the history's retention: day rows, month rows and folded months go.
      await store.prune(now + 200 * DAY, retention, tiers);
      expect(await days()).toEqual([]);
      expect(await store.monthRollups({ scope: '*', from: 0, to: now + 200 * DAY })).toEqual([]);
      expect((await store.monthFoldState()).folded).toEqual([]);
    });

    it('keeps the day rows around a recorded change at their scope when their month\'s days are pruned', async () => {
      const store = await fresh();
      await store.write([row('ward:S1/W1', M0 + 5 * DAY, 1), row('ward:S1/W1', M0 + 20 * DAY, 2), row('ward:S1/W2', M0 + 20 * DAY, 3)]);
      await foldDays(store, M0, M1);
      await store.foldMonth(M0, M1, monthFold);
      // A change at W1 on day 50: its 36 days before reach back to day 14.
      await store.addAnnotation({ id: 'c1', trust: 'T', scope: 'ward:S1/W1', kind: 'change', title: 'SSO', start: M0 + 50 * DAY, createdAt: 0 });
      await store.addAnnotation({ id: 'm1', trust: 'T', scope: 'ward:S1/W2', kind: 'maintenance', title: 'Wi-Fi', start: M0 + 20 * DAY, end: M0 + 21 * DAY, createdAt: 0 });
      await store.prune(M0 + 200 * DAY, { '1m': DAY, '5m': DAY, '1h': DAY }, { history: 400 * DAY, monthScopeDays: 62 * DAY, siteDays: 92 * DAY });
      expect((await store.dayRollups({ scope: '*', from: 0, to: M1 })).map((d) => `${d.scope} ${d.valid}`)).toEqual(['ward:S1/W1 2']);
    });
  });
}
