// Earlier months for the trend, one record per scope and metric: a month's hourly rollups merged
// (counts added, sketch bins added — exactly what merging the sketches gives). A month that late
// corrections can no longer reach is kept in a cache, so the next pack does not read it again.
import { encodeSketch, newSketch } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { BinCounts } from './bin-counts.ts';
import type { MonthPeriod } from './months.ts';
import type { SpanRecord } from './site-days.ts';

export interface MonthSummary {
  /** One record per scope and metric, start = the month's start, resolution '1h'. */
  records: RollupRecord[];
  /** Hour starts with data at the site's own scope. */
  hours: number[];
}

/** Merged months by "site|month|maintenance windows": give one to loadPackInputs to keep them between packs. */
export type HistoryCache = Map<string, MonthSummary>;

/** Corrections reach back 7 days (the agent spool's limit) plus the processor's lateness: a day more is safe. */
export const MONTH_FINAL_AFTER_MS = 8 * 86_400_000;

export function mergeMonth(records: readonly SpanRecord[], period: MonthPeriod): MonthSummary {
  const groups = new Map<string, { scope: string; metric: string; count: number; valid: number; good: number; fast: number; sketches: Uint8Array[] }>();
  const hours = new Set<number>();
  for (const r of records) {
    const key = `${r.scope}\u0000${r.metric}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { scope: r.scope, metric: r.metric, count: 0, valid: 0, good: 0, fast: 0, sketches: [] }));
    g.count += r.count;
    g.valid += r.valid;
    g.good += r.good;
    g.fast += r.fast;
    if (r.sketch.length > 0) g.sketches.push(r.sketch);
    if (r.scope.startsWith('site:')) for (const h of r.hours ?? [r.start]) hours.add(h);
  }
  const out: RollupRecord[] = [];
  for (const g of groups.values()) {
    // A month read from its month row is one sketch already: kept as stored (the same bins).
    let sketch: Uint8Array = g.sketches.length === 1 ? g.sketches[0]! : new Uint8Array(0);
    const bins = new BinCounts();
    if (g.sketches.length > 1) for (const s of g.sketches) bins.addSketch(s);
    if (bins.count > 0) {
      // Each bin's value lies inside its own bin, so accepting it lands the count on the same key.
      const s = newSketch();
      for (const [value, count] of bins.entries()) s.accept(value, count);
      sketch = encodeSketch(s);
    }
    out.push({ scope: g.scope, metric: g.metric, resolution: '1h', start: period.from, count: g.count, valid: g.valid, good: g.good, fast: g.fast, sketch });
  }
  return { records: out, hours: [...hours] };
}
