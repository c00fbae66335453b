// The month tier's fold, pure: a London month's day rows of sites, wards, access points and site
// applications become one row per scope, metric and month — counts added, sketches merged (bins add,
// so the month's distribution is the days' together, to the bin), which days had a row, and for a
// site the hours with data (the pack counts those at the site's own scope: its coverage, the trend's).
// The pack and the export read these for a month whose day rows are gone (pack-reads.ts).
import { mergeStoredSketches } from '@wardwatch/sketch';
import type { DayRollupRecord, MonthRollupRecord } from '@wardwatch/store';
import { dateNumberOf } from './digest-bytes.ts';
import { monthStartOf } from './device-digest.ts';
import { londonMonth, monthOf } from './months.ts';
import { hoursOf, spanEnd, type SpanRecord } from './site-days.ts';

const HOUR = 3_600_000;

/** Folds day rows (any scopes and months) into month rows, one per scope, metric and London month. */
export function foldMonthRows(rows: readonly DayRollupRecord[]): MonthRollupRecord[] {
  const groups = new Map<string, { row: MonthRollupRecord; sketches: Uint8Array[] }>();
  for (const d of rows) {
    const month = monthStartOf(d.day);
    const key = `${d.scope}\u0000${d.metric}\u0000${month}`;
    let g = groups.get(key);
    if (!g) {
      const end = londonMonth(monthOf(month)).to;
      // A site's hours with data as a bit set over the month's hours (745 at most: 94 bytes).
      const hours = d.scope.startsWith('site:') ? new Uint8Array(Math.ceil((end - month) / HOUR / 8)) : new Uint8Array(0);
      groups.set(key, (g = { row: { scope: d.scope, metric: d.metric, month, end, days: 0, hours, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array(0) }, sketches: [] }));
    }
    g.row.days += 2 ** (dateNumberOf(d.day) - dateNumberOf(month));
    if (g.row.hours.length > 0) {
      for (const h of hoursOf(d.day, d.hours)) {
        const i = Math.round((h - month) / HOUR);
        g.row.hours[i >> 3]! |= 0x80 >> (i & 7);
      }
    }
    g.row.count += d.count;
    g.row.valid += d.valid;
    g.row.good += d.good;
    g.row.fast += d.fast;
    if (d.sketch.length > 0) g.sketches.push(d.sketch);
  }
  const out: MonthRollupRecord[] = [];
  for (const { row, sketches } of groups.values()) {
    if (sketches.length > 0) row.sketch = mergeStoredSketches(sketches);
    out.push(row);
  }
  return out;
}

/** A month row as the pack reads rollups: one record for the month, with its hours with data where kept (a site's). */
export function monthRecord(m: MonthRollupRecord): SpanRecord {
  const hours: number[] = [];
  for (let i = 0; i < m.hours.length * 8; i++) if (m.hours[i >> 3]! & (0x80 >> (i & 7))) hours.push(m.month + i * HOUR);
  return { scope: m.scope, metric: m.metric, resolution: '1h', start: m.month, count: m.count, valid: m.valid, good: m.good, fast: m.fast, sketch: m.sketch, hours, end: m.end };
}

export { spanEnd };
