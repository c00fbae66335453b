import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { appResponseSeries } from './series.ts';

const T0 = Date.UTC(2026, 10, 30, 12);
const M = 60_000;
const H = 60 * M;
const row = (start: number, valid: number, good: number, resolution: RollupRecord['resolution'] = '1m'): RollupRecord => ({ scope: 'site:S1', metric: 'app.totalMs', resolution, start, count: 0, valid, good, fast: good, sketch: new Uint8Array() });
const minutes = (from: number, n: number) => Array.from({ length: n }, (_, m) => row(from + m * M, 10, 10));

let store: SqliteRollupStore | undefined;
afterEach(async () => store?.close());

describe('appResponseSeries', () => {
  it('leaves missing windows between stored ones as null points, so a chart shows a gap and not a ramp', async () => {
    store = new SqliteRollupStore(':memory:');
    await store.write([row(T0, 10, 10), row(T0 + M, 10, 9), row(T0 + 4 * M, 10, 5), row(T0 + 5 * M, 10, 10)]);
    const series = await appResponseSeries(store, 'site:S1', T0 - 10 * M, T0 + 10 * M);
    expect(series.t).toEqual([0, 1, 2, 3, 4, 5].map((m) => (T0 + m * M) / 1000));
    expect(series.availability).toEqual([1, 0.9, null, null, 0.5, 1]);
    expect(series.appChecks).toEqual([10, 10, 0, 0, 10, 10]);
    expect(series.p95Ms.slice(2, 4)).toEqual([null, null]);
  });

  it.each([
    ['whole seconds', T0 - 6 * 60 * M, T0, (T0 - 6 * 60 * M) / 1000, T0 / 1000],
    // The server asks to the newest figures' time + 1 ms: the span holds it.
    ['to a millisecond past a second', T0 - 60 * M, T0 + 1, (T0 - 60 * M) / 1000, T0 / 1000 + 1],
    ['from a millisecond past a second', T0 - 60 * M + 1, T0, (T0 - 60 * M) / 1000, T0 / 1000],
  ])('carries the span asked for, in seconds, outside the stored windows too (%s): a chart\'s time axis', async (_name, from, to, fromS, toS) => {
    store = new SqliteRollupStore(':memory:');
    await store.write([row(T0 - 3 * M, 10, 10)]);
    const series = await appResponseSeries(store, 'site:S1', from, to);
    expect([series.from, series.to]).toEqual([fromS, toS]);
    expect(series.t).toEqual([(T0 - 3 * M) / 1000]);
  });

  // Hourly rollups at T0 − 4 h … T0 (the last overlaps the minutes), minutes from where each row says.
  it.each([
    {
      name: 'the minutes begin at T0: the hours before them, whole, then the minutes',
      minutesFrom: T0, hours: [-4, -3, -2, -1, 0], from: T0 - 5 * H, hourly: 4,
      t: [-4 * H, -3 * H, -2 * H, -H, 0, M, 2 * M],
    },
    {
      name: 'an hour missing just before the minutes: a null for each missing minute, then the minutes',
      minutesFrom: T0, hours: [-4, -3], from: T0 - 5 * H, hourly: 2,
      t: [-4 * H, -3 * H, ...Array.from({ length: 120 }, (_, m) => -2 * H + m * M), 0, M, 2 * M],
    },
    {
      name: 'the minutes begin mid-hour: the hour under way left out (it would count them twice)',
      minutesFrom: T0 + 20 * M, hours: [-1, 0], from: T0 - 5 * H, hourly: 1,
      t: [-H, ...Array.from({ length: 20 }, (_, m) => m * M), 20 * M, 21 * M, 22 * M],
    },
    {
      name: 'the minutes begin within the span\'s first hour: minutes only, a gap before them',
      minutesFrom: T0 - 4 * H - 30 * M, hours: [-4, -3], from: T0 - 5 * H, hourly: 0,
      t: [-4 * H - 30 * M, -4 * H - 29 * M, -4 * H - 28 * M],
    },
  ])('$name', async ({ minutesFrom, hours, from, hourly, t }) => {
    store = new SqliteRollupStore(':memory:');
    await store.write([...hours.map((h) => row(T0 + h * H, 600, 600, '1h')), ...minutes(minutesFrom, 3)]);
    const series = await appResponseSeries(store, 'site:S1', from, T0 + 30 * M);
    expect(series.t).toEqual(t.map((d) => (T0 + d) / 1000));
    expect(series.appChecks.filter((c) => c === 600)).toHaveLength(hourly);
    // Missing windows are null points; stored ones have their availability.
    expect(series.availability.filter((a) => a === null).length).toBe(series.appChecks.filter((c) => c === 0).length);
  });

  it('reads no hours where the minutes begin with the span', async () => {
    store = new SqliteRollupStore(':memory:');
    await store.write([row(T0 - 2 * H, 600, 600, '1h'), ...minutes(T0 - 60 * M, 70)]);
    const series = await appResponseSeries(store, 'site:S1', T0 - 60 * M, T0 + 10 * M);
    expect(series.t[0]).toBe((T0 - 60 * M) / 1000);
    expect(series.appChecks.every((c) => c === 10)).toBe(true);
  });

  it('adds nothing before the first or after the last stored window', async () => {
    store = new SqliteRollupStore(':memory:');
    await store.write([row(T0 + 3 * M, 10, 10)]);
    const series = await appResponseSeries(store, 'site:S1', T0 - 10 * M, T0 + 10 * M);
    expect(series.t).toEqual([(T0 + 3 * M) / 1000]);
  });
});
