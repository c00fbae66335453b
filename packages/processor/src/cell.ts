// One (scope, metric, window) aggregate: SLI counts and a quantile sketch of the values.
import type { DDSketch } from '@datadog/sketches-js';
import { newSketch } from './sketch.ts';

export const METRICS = ['app.totalMs', 'logon.totalMs', 'wifi.signalDbm', 'net.rttMs', 'health.cpuPct'] as const;
export type Metric = (typeof METRICS)[number];

export class Cell {
  readonly sketch: DDSketch = newSketch();
  valid = 0;
  good = 0;
  fast = 0;

  /** `value` NaN means "counted, not sketched" (a failed check has no meaningful duration). */
  add(value: number, good: boolean, fast: boolean): void {
    this.valid++;
    if (good) this.good++;
    if (fast) this.fast++;
    if (value === value) this.sketch.accept(value);
  }

  mergeFrom(other: Cell): void {
    this.valid += other.valid;
    this.good += other.good;
    this.fast += other.fast;
    if (other.sketch.count > 0) this.sketch.merge(other.sketch);
  }
}

/** The cells of one scope in one window, by metric index (see METRICS). */
export type ScopeCells = Array<Cell | undefined>;

export const METRIC_INDEX: Record<Metric, number> = {
  'app.totalMs': 0,
  'logon.totalMs': 1,
  'wifi.signalDbm': 2,
  'net.rttMs': 3,
  'health.cpuPct': 4,
};

export function cellOf(cells: ScopeCells, metric: number): Cell {
  let cell = cells[metric];
  if (!cell) cells[metric] = cell = new Cell();
  return cell;
}
