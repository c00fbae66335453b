import { describe, expect, it } from 'vitest';
import { turnsDuring } from '../../../tests/helpers/event-loop-turns.ts';
import { encodeValues, mergeRollupRecords } from '@wardwatch/sketch';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { BinCounts } from './bin-counts.ts';
import { foldSiteDays, DAY_FOLD_AFTER_MS } from './site-day-compaction.ts';
import { dayRecord, foldDayRows, hoursOf, londonDaysOf } from './site-days.ts';
import { PackReads } from './pack-reads.ts';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

const row = (start: number, values: number[], scope = 'site:S1', metric = 'logon.totalMs'): RollupRecord => ({
  scope, metric, resolution: '1h', start, count: values.length, valid: values.length + 1, good: values.length, fast: values.filter((v) => v <= 30_000).length, sketch: encodeValues(values),
});
const bins = (sketches: Uint8Array[]) => {
  const b = new BinCounts();
  for (const s of sketches) b.addSketch(s);
  return [...b.entries()].sort((x, y) => x[0] - y[0]);
};

describe('foldDayRows: London days', () => {
  // Each case: the London day, its first hour (UTC) and its length in hours.
  it.each([
    ['a GMT day', '2026-11-15', '2026-11-15T00:00:00Z', 24],
    ['a BST day (starts 23:00 UTC the day before)', '2026-07-01', '2026-06-30T23:00:00Z', 24],
    ['the March day the clocks go forward', '2026-03-29', '2026-03-29T00:00:00Z', 23],
    ['the October day the clocks go back', '2026-10-25', '2026-10-24T23:00:00Z', 25],
  ])('%s (%s): every hour of the day in one row, the hours around it in their own days', (_name, _date, first, hours) => {
    const start = utc(first);
    const rows = [row(start - HOUR, [40_000])];
    for (let h = 0; h < hours; h++) rows.push(row(start + h * HOUR, [10_000 + 100 * h, 31_000 + h]));
    rows.push(row(start + hours * HOUR, [50_000]));
    const days = foldDayRows(rows).sort((a, b) => a.day - b.day);
    expect(days.map((d) => d.day)).toEqual([londonDaysOf(start - HOUR, start)[0], start, start + hours * HOUR]);
    const day = days[1]!;
    expect(day.hours).toBe(2 ** hours - 1);
    expect(hoursOf(day.day, day.hours)).toEqual(rows.slice(1, -1).map((r) => r.start));
    expect([day.count, day.valid, day.good, day.fast]).toEqual([2 * hours, 3 * hours, 2 * hours, hours]);
    // The merged sketch's bins are the hours' bins added: the pack reads the same distribution.
    expect(bins([day.sketch])).toEqual(bins(rows.slice(1, -1).map((r) => r.sketch)));
    const record = dayRecord(day);
    expect([record.start, record.end! - record.start, record.hours]).toEqual([start, hours * HOUR, hoursOf(start, day.hours)]);
  });

  it('keeps scopes and metrics apart, marks the hours with rows only, and leaves a lone sketch as it was', () => {
    const day = utc('2026-11-15T00:00:00Z');
    const rows = [row(day + 3 * HOUR, [20_000]), row(day + 9 * HOUR, [25_000]), row(day + 9 * HOUR, [700], 'siteapp:S1/epr', 'app.totalMs'), row(day + 9 * HOUR, [], 'site:S1', 'app.totalMs'), { ...row(day, [1]), resolution: '5m' as const }];
    const out = foldDayRows(rows).map((d) => [d.scope, d.metric, d.hours, d.count, d.sketch.length > 0]);
    expect(out).toEqual([
      ['site:S1', 'logon.totalMs', (1 << 3) | (1 << 9), 2, true],
      ['siteapp:S1/epr', 'app.totalMs', 1 << 9, 1, true],
      ['site:S1', 'app.totalMs', 1 << 9, 0, false],
    ]);
    expect(foldDayRows([rows[2]!])[0]!.sketch).toBe(rows[2]!.sketch);
  });
});

describe('foldSiteDays', () => {
  const D1 = utc('2026-10-24T23:00:00Z'); // London 25 October, 25 hours
  const D2 = utc('2026-10-26T00:00:00Z');
  const D3 = utc('2026-10-27T00:00:00Z');

  it('folds ended days an hour after they end, then a day noted by a late correction again', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await store.write([row(D1, [20_000]), row(D1 + 24 * HOUR, [21_000]), row(D2 + 5 * HOUR, [22_000]), row(D3, [23_000]), row(D1, [1], 'device:X', 'app.totalMs')]);
      // Before D2 has been over for an hour: D1 only.
      expect(await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS - 1)).toEqual({ days: 1, rows: 2, months: 0, dayRows: 0 });
      expect(await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS)).toEqual({ days: 1, rows: 1, months: 0, dayRows: 0 });
      expect(await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS)).toEqual({ days: 0, rows: 0, months: 0, dayRows: 0 });
      const first = await store.dayRollups({ scope: 'site:S1', from: D1, to: D3 });
      expect(first.map((d) => [d.day, d.count])).toEqual([[D1, 2], [D2, 1]]);
      // A late event for 25 October merged into its hour as the processor merges corrections.
      const [stored] = await store.lookup([{ scope: 'site:S1', metric: 'logon.totalMs', resolution: '1h', start: D1 + 24 * HOUR }]);
      await store.write([mergeRollupRecords(stored!, row(D1 + 24 * HOUR, [60_000]))]);
      expect((await store.dayFoldState()).refold).toEqual([D1 + 24 * HOUR]);
      expect(await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS)).toEqual({ days: 1, rows: 2, months: 0, dayRows: 0 });
      const again = await store.dayRollups({ scope: 'site:S1', from: D1, to: D2 });
      expect(again.map((d) => [d.count, d.hours])).toEqual([[3, 1 | (1 << 24)]]);
      expect(bins([again[0]!.sketch])).toEqual(bins([encodeValues([20_000, 21_000, 60_000])]));
      expect((await store.dayFoldState()).refold).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('gives the thread a turn between days: a timer set before a long fold runs during it, not after', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await store.write([row(D1 - 20 * 24 * HOUR, [20_000]), row(D2, [20_000])]);
      // The other work of the thread: the server's requests, where the processor shares it.
      const { result: run, turns } = await turnsDuring(() => foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS));
      expect(run.days).toBe(22);
      expect(turns).toBeGreaterThanOrEqual(run.days);
    } finally {
      await store.close();
    }
  });

  it('spreads a long history over calls, the oldest days first', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await store.write([row(D1 - 40 * 24 * HOUR, [20_000]), row(D2, [20_000])]);
      expect((await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS, 31)).days).toBe(31);
      expect((await foldSiteDays(store, D3 + DAY_FOLD_AFTER_MS, 31)).days).toBe(11);
      expect((await store.dayFoldState()).foldedTo).toBe(D3);
      expect((await store.dayRollups({ scope: '*', from: 0, to: D3 })).map((d) => d.day)).toEqual([londonDaysOf(D1 - 40 * 24 * HOUR, D1 - 39 * 24 * HOUR)[0], D2]);
    } finally {
      await store.close();
    }
  });
});

describe('PackReads', () => {
  const D1 = utc('2026-10-24T23:00:00Z');
  const D2 = utc('2026-10-26T00:00:00Z');
  const D3 = utc('2026-10-27T00:00:00Z');
  const D4 = utc('2026-10-28T00:00:00Z');
  const shape = (rs: Array<RollupRecord & { end?: number }>) => rs.map((r) => `${(r.start - D1) / HOUR}${r.end ? `-${(r.end - D1) / HOUR}` : ''}`).sort();

  it('reads day rows for clean days, hourly rows for days not folded, noted for a refold, or under maintenance', async () => {
    const store = new SqliteRollupStore(':memory:');
    try {
      await store.write([row(D1 + 8 * HOUR, [1]), row(D1 + 9 * HOUR, [1]), row(D2 + 8 * HOUR, [1]), row(D3 + 8 * HOUR, [1]), row(D4 + 8 * HOUR, [1])]);
      await foldSiteDays(store, D4 + DAY_FOLD_AFTER_MS);
      let reads = await PackReads.open(store, []);
      expect(shape(await reads.read('site:S1', D1, D4 + 24 * HOUR))).toEqual(['0-25', '25-49', '49-73', '81']);
      // A maintenance window on 26 October: its hourly rows, all still there.
      reads = await PackReads.open(store, [{ from: D2 + 10 * HOUR, to: D2 + 11 * HOUR }]);
      expect(shape(await reads.read('site:S1', D1, D4))).toEqual(['0-25', '33', '49-73']);
      // A correction noted on 27 October and not refolded yet: its hourly rows.
      await store.write([row(D3 + 8 * HOUR, [1, 2])]);
      reads = await PackReads.open(store, []);
      const read = await reads.read('site:S1', D1, D4);
      expect(shape(read)).toEqual(['0-25', '25-49', '57']);
      expect(read.find((r) => r.start === D3 + 8 * HOUR)!.count).toBe(2);
      // Hourly rows gone (as a retention shorter than the day tier's would leave it) and 26 October's
      // only partly: the day row, which the pack leaves out whole where a window applies.
      (store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }).db.prepare(`DELETE FROM rollups WHERE resolution = '1h' AND start < ?`).run(D2 + 9 * HOUR);
      reads = await PackReads.open(store, [{ from: D2 + 10 * HOUR, to: D2 + 11 * HOUR }]);
      expect(shape(await reads.read('site:S1', D1, D2 + 24 * HOUR))).toEqual(['0-25', '25-49']);
    } finally {
      await store.close();
    }
  });
});
