import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { appResponseSeries } from './series.ts';

const T0 = Date.UTC(2026, 10, 30, 12);
const M = 60_000;
const row = (start: number, valid: number, good: number): RollupRecord => ({ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start, count: 0, valid, good, fast: good, sketch: new Uint8Array() });

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

  it('adds nothing before the first or after the last stored window', async () => {
    store = new SqliteRollupStore(':memory:');
    await store.write([row(T0 + 3 * M, 10, 10)]);
    const series = await appResponseSeries(store, 'site:S1', T0 - 10 * M, T0 + 10 * M);
    expect(series.t).toEqual([(T0 + 3 * M) / 1000]);
  });
});
