// The month tier's fold, pure: a London month's day rows of wards and access points become one row per
// scope, metric and month — counts added, sketches merged (bins add, so the month's distribution is the
// days' together, to the bin) and which days had a row. The pack reads these for a month whose ward
// and access-point day rows are gone (pack-reads.ts); their hours with data are not kept (the pack
// counts hours with data at the site's own scope, whose day rows stay).
import { decodeSketch, encodeSketch } from '@wardwatch/sketch';
import type { DayRollupRecord, MonthRollupRecord } from '@wardwatch/store';
import { dateNumberOf } from './digest-bytes.ts';
import { monthStartOf } from './device-digest.ts';
import { londonMonth, monthOf } from './months.ts';
import { spanEnd, type SpanRecord } from './site-days.ts';

/** Folds day rows (any scopes and months) into month rows, one per scope, metric and London month. */
export function foldMonthRows(rows: readonly DayRollupRecord[]): MonthRollupRecord[] {
  const groups = new Map<string, { row: MonthRollupRecord; sketches: Uint8Array[] }>();
  for (const d of rows) {
    const month = monthStartOf(d.day);
    const key = `${d.scope}\u0000${d.metric}\u0000${month}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { row: { scope: d.scope, metric: d.metric, month, end: londonMonth(monthOf(month)).to, days: 0, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array(0) }, sketches: [] }));
    g.row.days += 2 ** (dateNumberOf(d.day) - dateNumberOf(month));
    g.row.count += d.count;
    g.row.valid += d.valid;
    g.row.good += d.good;
    g.row.fast += d.fast;
    if (d.sketch.length > 0) g.sketches.push(d.sketch);
  }
  const out: MonthRollupRecord[] = [];
  for (const { row, sketches } of groups.values()) {
    if (sketches.length === 1) row.sketch = sketches[0]!;
    else if (sketches.length > 1) {
      const merged = decodeSketch(sketches[0]!);
      for (let i = 1; i < sketches.length; i++) merged.merge(decodeSketch(sketches[i]!));
      row.sketch = encodeSketch(merged);
    }
    out.push(row);
  }
  return out;
}

/** A month row as the pack reads rollups: one record for the month (its end the month's; no hours kept). */
export function monthRecord(m: MonthRollupRecord): SpanRecord {
  return { scope: m.scope, metric: m.metric, resolution: '1h', start: m.month, count: m.count, valid: m.valid, good: m.good, fast: m.fast, sketch: m.sketch, hours: [], end: m.end };
}

export { spanEnd };
