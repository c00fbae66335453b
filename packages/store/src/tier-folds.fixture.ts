// Plain rows and a plain day fold for the tier contracts (day-rollup-contract.ts,
// month-rollup-contract.ts): UTC days, a sketch that counts rows — the store neither knows nor cares
// how the caller builds a day. Imports nothing from vitest, but is for tests only.
import type { DayFold, DayRollupRecord } from './day-rollup-store.ts';
import type { RollupRecord } from './rollup-store.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A rollup whose counts are all `valid` and whose one-byte sketch is `valid` too. */
export const row = (scope: string, start: number, valid = 1, metric = 'app.totalMs', resolution: RollupRecord['resolution'] = '1h'): RollupRecord => ({
  scope, metric, resolution, start, count: valid, valid, good: valid, fast: valid, sketch: new Uint8Array([valid]),
});

/** Sums each scope and metric's rows per UTC day; the sketch is the number of rows. */
export const sumFold: DayFold = (rows) => {
  const out = new Map<string, DayRollupRecord>();
  for (const r of rows) {
    const day = r.start - (r.start % DAY);
    const key = `${r.scope}|${r.metric}|${day}`;
    const d = out.get(key) ?? { scope: r.scope, metric: r.metric, day, hours: 0, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array([0]) };
    d.hours |= 1 << ((r.start - day) / HOUR);
    d.count += r.count;
    d.valid += r.valid;
    d.good += r.good;
    d.fast += r.fast;
    d.sketch = new Uint8Array([d.sketch[0]! + 1]);
    out.set(key, d);
  }
  return [...out.values()];
};
