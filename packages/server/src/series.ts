// Columnar chart series for a scope, read from stored 1-minute (or coarser) rollups, gaps as nulls.
import type { Series } from '@wardwatch/schema';
import { sketchQuantiles } from '@wardwatch/sketch';
import { RESOLUTION_MS, type Resolution, type RollupRecord, type RollupStore } from '@wardwatch/store';

const HOUR = RESOLUTION_MS['1h'];

/** Picks the finest resolution that keeps a chart under ~400 points. */
export function resolutionFor(spanMs: number): Resolution {
  if (spanMs / RESOLUTION_MS['1m'] <= 400) return '1m';
  if (spanMs / RESOLUTION_MS['5m'] <= 400) return '5m';
  return '1h';
}

/**
 * The scope's application response time and availability over [from, to), at the finest resolution
 * that keeps the chart readable. Where that resolution's rollups begin an hour or more after the span
 * does, and hourly ones reach further back, the span's earlier part is drawn from those: whole hours
 * that end by the first finer window, so no time is counted twice. A store holds hours longer than
 * minutes (the retention's tiers; a demo's history is written by the hour), and a 6-hour chart
 * showing its last hour alone would read as if nothing came before. The rest of the span, held by no
 * rollup at all, is left empty: the series says the span asked for (`from`, `to`), and a chart's time
 * axis shows all of it.
 */
export async function appResponseSeries(store: RollupStore, scope: string, from: number, to: number, coarsest?: Resolution): Promise<Series> {
  // Some scopes are stored only at coarse resolutions (devices: hourly): never ask for finer.
  const finest = resolutionFor(to - from);
  const resolution = coarsest && RESOLUTION_MS[coarsest] > RESOLUTION_MS[finest] ? coarsest : finest;
  const metric = 'app.totalMs';
  const rows = await store.query({ scope, metric, resolution, from, to });
  const finerFrom = rows[0]?.start ?? to;
  const earlier = resolution !== '1h' && finerFrom - from >= HOUR
    ? (await store.query({ scope, metric, resolution: '1h', from, to: finerFrom })).filter((r) => r.start + HOUR <= finerFrom)
    : [];
  const series: Series = { from: Math.floor(from / 1000), to: Math.ceil(to / 1000), t: [], p50Ms: [], p95Ms: [], p99Ms: [], availability: [], appChecks: [] };
  let next: number | undefined;
  const add = (row: RollupRecord) => {
    const step = RESOLUTION_MS[row.resolution];
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
  };
  earlier.forEach(add);
  rows.forEach(add);
  return series;
}
