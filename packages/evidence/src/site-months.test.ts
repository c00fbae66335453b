import { describe, expect, it } from 'vitest';
import { encodeValues } from '@wardwatch/sketch';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { BinCounts } from './bin-counts.ts';
import { dayEnd } from './device-digest.ts';
import { MONTH_FINAL_AFTER_MS } from './history-months.ts';
import { londonMonth } from './months.ts';
import { PackReads } from './pack-reads.ts';
import { DAY_FOLD_AFTER_MS, foldSiteDays } from './site-day-compaction.ts';
import { foldDayRows } from './site-days.ts';
import { foldMonthRows, monthRecord } from './site-months.ts';

const HOUR = 3_600_000;
const OCT = londonMonth('2026-10'); // 31 days, 745 hours (the clocks go back on the 25th)
const NOV = londonMonth('2026-11');
const row = (start: number, values: number[], scope = 'ward:S1/W1', metric = 'logon.totalMs'): RollupRecord => ({
  scope, metric, resolution: '1h', start, count: values.length, valid: values.length + 1, good: values.length, fast: values.filter((v) => v <= 30_000).length, sketch: encodeValues(values),
});
const bins = (sketches: Uint8Array[]) => {
  const b = new BinCounts();
  for (const s of sketches) b.addSketch(s);
  return [...b.entries()].sort((x, y) => x[0] - y[0]);
};
const days = (month: { from: number; to: number }) => {
  const out: number[] = [];
  for (let d = month.from; d < month.to; d = dayEnd(d)) out.push(d);
  return out;
};
/** Folds a month's days (sqlite store) as the housekeeping does, and runs it to `now`. */
async function housekeeping(store: SqliteRollupStore, now: number) {
  for (let i = 0; i < 10; i++) {
    const run = await foldSiteDays(store, now);
    if (run.days === 0 && run.months === 0) return;
  }
}

describe('foldMonthRows: London months', () => {
  it.each([['October (31 days, a 25-hour day)', OCT], ['November', NOV]])('%s: every day of the month in one row, the days around it in their own months', (_name, month) => {
    const inside = days(month);
    const hours = inside.map((d, i) => row(d + (i % 24) * HOUR, [10_000 + 100 * i, 31_000 + i]));
    const dayRows = foldDayRows([row(month.from - HOUR, [40_000]), ...hours, row(month.to, [50_000])]);
    const months = foldMonthRows(dayRows).sort((a, b) => a.month - b.month);
    expect(months.map((m) => [m.month, m.end])).toEqual([[londonMonth(month === OCT ? '2026-09' : '2026-10').from, month.from], [month.from, month.to], [month.to, londonMonth(month === OCT ? '2026-11' : '2026-12').to]]);
    const m = months[1]!;
    expect(m.days).toBe(2 ** inside.length - 1);
    expect([m.count, m.valid, m.good, m.fast]).toEqual([2 * inside.length, 3 * inside.length, 2 * inside.length, inside.length]);
    // The merged sketch's bins are the days' (and so the hours') bins added.
    expect(bins([m.sketch])).toEqual(bins(hours.map((h) => h.sketch)));
    expect(monthRecord(m)).toMatchObject({ start: month.from, end: month.to, hours: [], count: m.count });
    // At a site, the month's hours with data, each once (October's 745 hours in 94 bytes).
    const site = foldMonthRows(foldDayRows(hours.map((h) => ({ ...h, scope: 'site:S1' })))).find((r) => r.month === month.from)!;
    expect(site.hours.length).toBe(Math.ceil(month.hours / 8));
    expect(monthRecord(site).hours).toEqual(hours.map((h) => h.start));
  });

  it('keeps scopes and metrics apart, marks the days with rows only, and leaves a lone sketch as it was', () => {
    const d = days(OCT);
    const dayRows = foldDayRows([row(d[2]!, [20_000]), row(d[9]!, [25_000]), row(d[9]!, [-62], 'ap:3c:a8', 'wifi.signalDbm'), row(d[30]!, [], 'ward:S1/W1', 'app.totalMs')]);
    expect(foldMonthRows(dayRows).map((m) => [m.scope, m.metric, m.days, m.count])).toEqual([
      ['ward:S1/W1', 'logon.totalMs', (1 << 2) | (1 << 9), 2],
      ['ap:3c:a8', 'wifi.signalDbm', 1 << 9, 1],
      ['ward:S1/W1', 'app.totalMs', 2 ** 30, 0],
    ]);
    const lone = dayRows.find((r) => r.scope === 'ap:3c:a8')!;
    expect(foldMonthRows([lone])[0]!.sketch).toBe(lone.sketch);
  });
});

describe('foldSiteDays: the month tier', () => {
  it('folds a month of wards and access points once it is folded by day and past corrections, and not before', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      const d = days(OCT);
      await store.write([row(d[0]!, [20_000]), row(d[30]! + 5 * HOUR, [21_000]), row(d[4]!, [-60], 'ap:3c:a8', 'wifi.signalDbm'), row(d[4]!, [20_000], 'site:S1'), row(NOV.from + HOUR, [22_000])]);
      // A day before corrections end: days folded, no month.
      await housekeeping(store, OCT.to + MONTH_FINAL_AFTER_MS - 1);
      expect(await store.monthRollups({ scope: '*', from: 0, to: NOV.to })).toEqual([]);
      await housekeeping(store, OCT.to + MONTH_FINAL_AFTER_MS + DAY_FOLD_AFTER_MS);
      const months = await store.monthRollups({ scope: '*', from: 0, to: NOV.to });
      expect(months.map((m) => [m.scope, m.metric, m.month, m.count, m.days])).toEqual([
        ['ap:3c:a8', 'wifi.signalDbm', OCT.from, 1, 1 << 4],
        ['site:S1', 'logon.totalMs', OCT.from, 1, 1 << 4],
        ['ward:S1/W1', 'logon.totalMs', OCT.from, 2, 1 | 2 ** 30],
      ]);
      // A site's month keeps its hours with data; the others' do not.
      expect(monthRecord(months[1]!).hours).toEqual([d[4]]);
      expect(months[2]!.hours.length).toBe(0);
      expect((await store.monthFoldState()).folded).toEqual([{ month: OCT.from, end: OCT.to, stale: false }]);
      // Nothing more to fold until November is past its corrections too.
      expect((await foldSiteDays(store, OCT.to + MONTH_FINAL_AFTER_MS + DAY_FOLD_AFTER_MS)).months).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('leaves a month with a day noted for a refold, or under a recorded maintenance window, by day; folds a stale month again', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      const d = days(OCT);
      const now = NOV.to + MONTH_FINAL_AFTER_MS + DAY_FOLD_AFTER_MS;
      await store.write([row(d[0]!, [20_000]), row(NOV.from, [20_000])]);
      await store.addAnnotation({ id: 'm1', trust: 'RXX', scope: 'site:S1', kind: 'maintenance', title: 'Wi-Fi upgrade', start: NOV.from + 5 * 86_400_000, end: NOV.from + 5 * 86_400_000 + HOUR, createdAt: 0 });
      await housekeeping(store, now);
      expect((await store.monthFoldState()).folded).toEqual([{ month: OCT.from, end: OCT.to, stale: false }]);
      // A late row for 10 October: noted, then refolded by day — the month is stale and folded again.
      await store.write([row(d[9]!, [23_000])]);
      expect((await store.dayFoldState()).refold).toEqual([d[9]]);
      const run = await foldSiteDays(store, now);
      expect([run.days, run.months]).toEqual([1, 1]);
      expect((await store.monthRollups({ scope: 'ward:*', from: OCT.from, to: OCT.to })).map((m) => m.count)).toEqual([2]);
      expect((await store.monthFoldState()).folded).toEqual([{ month: OCT.from, end: OCT.to, stale: false }]);
      // The window withdrawn: November folds.
      await store.deleteAnnotation('m1');
      expect((await foldSiteDays(store, now)).months).toBe(1);
      expect((await store.monthFoldState()).folded.map((m) => m.month)).toEqual([OCT.from, NOV.from]);
    } finally {
      await store.close();
    }
  });
});

describe('PackReads: month rows', () => {
  it('reads a ward\'s month row once its day rows are gone, its day rows while they are there, never both (a month touched by a maintenance window)', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      const d = days(OCT);
      await store.write([row(d[0]!, [20_000]), row(d[3]!, [25_000]), row(d[3]!, [20_000], 'ward:S1/W2'), row(d[3]!, [20_000], 'site:S1')]);
      await housekeeping(store, NOV.to);
      // A window on a day without rows: the month is read by day (a clean month is read whole: below).
      const window = [{ from: d[20]! + 2 * HOUR, to: d[20]! + 3 * HOUR }];
      const read = async (scope: string) => (await (await PackReads.open(store, window)).read(scope, OCT.from, OCT.to)).map((r) => `${r.scope} ${r.end! - r.start === OCT.to - OCT.from ? 'month' : 'day'} ${r.count}`).sort();
      expect(await read('ward:S1/*')).toEqual(['ward:S1/W1 day 1', 'ward:S1/W1 day 1', 'ward:S1/W2 day 1']);
      // One of W1's two days gone (as a store pruning day by day would leave it): W1's month row in
      // place of what is left, never both; W2's days still cover its month row.
      const db = (store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }).db;
      db.prepare(`DELETE FROM day_rollups WHERE scope = 'ward:S1/W1' AND day = ?`).run(d[0]);
      expect(await read('ward:S1/*')).toEqual(['ward:S1/W1 month 2', 'ward:S1/W2 day 1']);
      // The day rows pruned as the housekeeping prunes them, 62 days on; one ward's only.
      await store.prune(OCT.to + 70 * 86_400_000, { '1m': 1, '5m': 1, '1h': 62 * 86_400_000 });
      expect(await read('ward:S1/*')).toEqual(['ward:S1/W1 month 2', 'ward:S1/W2 month 1']);
      expect(await read('*')).toEqual(['site:S1 day 1', 'ward:S1/W1 month 2', 'ward:S1/W2 month 1']);
      expect(await read('site:S1')).toEqual(['site:S1 day 1']);
      // A span that is not the whole month takes no month row.
      expect((await (await PackReads.open(store, [])).read('ward:S1/*', OCT.from, OCT.to - HOUR)).length).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('reads a whole folded month from its month rows alone while its day rows are there, unless a day is under a window, noted for a refold, or the month stale', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      const d = days(OCT);
      await store.write([row(d[0]!, [20_000]), row(d[3]!, [25_000]), row(d[3]!, [20_000], 'ward:S1/W2'), row(d[3]!, [20_000], 'site:S1'), row(d[0]! + HOUR, [30_000]), row(NOV.from + HOUR, [21_000])]);
      await housekeeping(store, NOV.to + MONTH_FINAL_AFTER_MS);
      const read = async (scope: string, windows: Array<{ from: number; to: number }> = [], from = OCT.from, to = OCT.to) =>
        (await (await PackReads.open(store, windows)).read(scope, from, to)).map((r) => `${r.scope} ${r.end! - r.start > 25 * HOUR ? 'month' : r.end !== undefined ? 'day' : 'hour'} ${r.count}`).sort();
      expect(await read('ward:S1/*')).toEqual(['ward:S1/W1 month 3', 'ward:S1/W2 month 1']);
      expect(await read('site:S1')).toEqual(['site:S1 month 1']);
      // Two months: each by its month rows.
      expect(await read('ward:S1/W1', [], OCT.from, NOV.to)).toEqual(['ward:S1/W1 month 1', 'ward:S1/W1 month 3']);
      // The same counts and bins as the days the month holds.
      const whole = await (await PackReads.open(store, [])).read('ward:S1/W1', OCT.from, OCT.to);
      const byDay = await (await PackReads.open(store, [{ from: d[9]!, to: d[9]! + HOUR }])).read('ward:S1/W1', OCT.from, OCT.to);
      expect(byDay.length).toBe(2);
      expect(bins(whole.map((r) => r.sketch))).toEqual(bins(byDay.map((r) => r.sketch)));
      expect(whole.reduce((s, r) => s + r.valid, 0)).toBe(byDay.reduce((s, r) => s + r.valid, 0));
      // A window on any day of the month: by day, the window's day by its hours still kept (the pack leaves out the window's).
      expect(await read('ward:S1/*', [{ from: d[3]! + HOUR, to: d[3]! + 2 * HOUR }])).toEqual(['ward:S1/W1 day 2', 'ward:S1/W1 hour 1', 'ward:S1/W2 hour 1']);
      // A late correction: its day noted for a refold, the month by day (the hourly rows until refolded).
      await store.write([row(d[3]! + 5 * HOUR, [22_000])]);
      expect(await read('ward:S1/W1')).toEqual(['ward:S1/W1 day 2', 'ward:S1/W1 hour 1', 'ward:S1/W1 hour 1']);
      // The day folded again: the month stale until it is folded again, by day meanwhile; then whole again.
      await store.foldDay(d[3]!, dayEnd(d[3]!), foldDayRows);
      expect((await store.monthFoldState()).folded.find((m) => m.month === OCT.from)?.stale).toBe(true);
      expect(await read('ward:S1/W1')).toEqual(['ward:S1/W1 day 2', 'ward:S1/W1 day 2']);
      await housekeeping(store, NOV.to + MONTH_FINAL_AFTER_MS);
      expect(await read('ward:S1/W1')).toEqual(['ward:S1/W1 month 4']);
    } finally {
      await store.close();
    }
  });
});
