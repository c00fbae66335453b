// The day tier's fold, pure: a London day's hourly rollups of sites, wards, access points and site
// applications become one row per scope, metric and day — counts added, sketches merged (DDSketch bins
// add, so the merged sketch's bins are the hours' bins summed), and which hours had a row, so the pack
// still counts hours with data and can tell a complete day from a partial one. The pack reads these
// for whole days (pack-reads.ts) and gives the figures it gives from the hourly rows.
import { mergeStoredSketches } from '@wardwatch/sketch';
import type { DayRollupRecord, RollupRecord } from '@wardwatch/store';
import { londonDayOf } from './before-after-days.ts';
import { dayEnd } from './device-digest.ts';

export { londonDayOf };

const HOUR = 3_600_000;

/** A rollup standing for several hours (a day row read back): the hours it has data in, and its end. */
export type SpanRecord = RollupRecord & { hours?: readonly number[]; end?: number };

/** The end of the time a record covers: a day row its day's, an hourly row its hour's. */
export const spanEnd = (r: SpanRecord): number => r.end ?? r.start + HOUR;

/** Folds hourly rows (any scopes and days) into day rows, one per scope, metric and London day. */
export function foldDayRows(rows: readonly RollupRecord[]): DayRollupRecord[] {
  const groups = new Map<string, { row: DayRollupRecord; sketches: Uint8Array[] }>();
  for (const r of rows) {
    if (r.resolution !== '1h') continue;
    const day = londonDayOf(r.start);
    const key = `${r.scope}\u0000${r.metric}\u0000${day}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { row: { scope: r.scope, metric: r.metric, day, hours: 0, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array(0) }, sketches: [] }));
    const bit = Math.round((r.start - day) / HOUR);
    g.row.hours |= 1 << bit;
    g.row.count += r.count;
    g.row.valid += r.valid;
    g.row.good += r.good;
    g.row.fast += r.fast;
    if (r.sketch.length > 0) g.sketches.push(r.sketch);
  }
  const out: DayRollupRecord[] = [];
  for (const { row, sketches } of groups.values()) {
    if (sketches.length > 0) row.sketch = mergeStoredSketches(sketches);
    out.push(row);
  }
  return out;
}

/** The hour starts a day row's mask names. */
export function hoursOf(day: number, mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 25; i++) if (mask & (1 << i)) out.push(day + i * HOUR);
  return out;
}

/** A day row as the pack reads rollups: one record for the day, with its hours and end. */
export function dayRecord(d: DayRollupRecord): SpanRecord {
  return { scope: d.scope, metric: d.metric, resolution: '1h', start: d.day, count: d.count, valid: d.valid, good: d.good, fast: d.fast, sketch: d.sketch, hours: hoursOf(d.day, d.hours), end: dayEnd(d.day) };
}

/** The London days (their starts) that [from, to) touches. */
export function londonDaysOf(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = londonDayOf(from); d < to; d = dayEnd(d)) out.push(d);
  return out;
}
