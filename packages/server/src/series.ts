// Columnar chart series for a scope, read from stored 1-minute (or coarser) rollups, gaps as nulls.
import type { Series } from '@wardwatch/schema';
import { sketchQuantiles } from '@wardwatch/sketch';
import { RESOLUTION_MS, type Resolution, type RollupStore } from '@wardwatch/store';

/** Picks the finest resolution that keeps a chart under ~400 points. */
export function resolutionFor(spanMs: number): Resolution {
  if (spanMs / RESOLUTION_MS['1m'] <= 400) return '1m';
  if (spanMs / RESOLUTION_MS['5m'] <= 400) return '5m';
  return '1h';
}

export async function appResponseSeries(store: RollupStore, scope: string, from: number, to: number, coarsest?: Resolution): Promise<Series> {
  // Some scopes are stored only at coarse resolutions (devices: hourly): never ask for finer.
  const finest = resolutionFor(to - from);
  const resolution = coarsest && RESOLUTION_MS[coarsest] > RESOLUTION_MS[finest] ? coarsest : finest;
  const rows = await store.query({ scope, metric: 'app.totalMs', resolution, from, to });
  const series: Series = { t: [], p50Ms: [], p95Ms: [], p99Ms: [], availability: [], appChecks: [] };
  const step = RESOLUTION_MS[resolution];
  let next: number | undefined;
  for (const row of rows) {
    // A window with no rollup between two that have one is a gap: a null point, so the chart breaks
    // the line there instead of drawing a ramp across the missing time.
    for (; next !== undefined && next < row.start; next += step) {
      series.t.push(Math.floor(next / 1000));
      series.p50Ms.push(null);
      series.p95Ms.push(null);
      series.p99Ms.push(null);
      series.availability.push(null);
      series.appChecks.push(0);
    }
    next = row.start + step;
    const [p50, p95, p99] = sketchQuantiles(row.sketch, [0.5, 0.95, 0.99]);
    series.t.push(Math.floor(row.start / 1000));
    series.p50Ms.push(p50 ?? null);
    series.p95Ms.push(p95 ?? null);
    series.p99Ms.push(p99 ?? null);
    series.availability.push(row.valid > 0 ? row.good / row.valid : null);
    series.appChecks.push(row.valid);
  }
  return series;
}
