// One (scope, metric, window) aggregate: SLI counts and the distribution of values. A cell keeps its
// first few values exactly and turns them into a DDSketch only when it grows: most cells (a device's
// minute) hold a handful of values, and a sketch per cell was the processor's main allocation cost.
import type { DDSketch } from '@datadog/sketches-js';
import { ROLLUP_METRICS } from '@wardwatch/schema';
import { acceptValue, acceptValues, encodeSketch, encodeValues, mergeSketch, quantile, quantileRank, quantilesInto, sketchOf } from '@wardwatch/sketch';

// The rollup contract's metric names, in its order: snapshots refer to metrics by index (append only).
export const METRICS = ROLLUP_METRICS;
export type Metric = (typeof METRICS)[number];

/** Values kept exactly before a cell switches to a sketch. */
export const EXACT_VALUES = 64;

/**
 * What merging, subtracting and storing read of a cell: its SLI counts, and its values — exact (in
 * the order they came) or, once many, in a sketch. A `Cell` is one; so is a view of a cell held in
 * columns (cell-columns.ts), valid until the next cell is read from them.
 */
export interface CellParts {
  readonly valid: number;
  readonly good: number;
  readonly fast: number;
  /** Exact values; null once a sketch holds them. */
  readonly values: readonly number[] | null;
  readonly sketch: DDSketch | null;
  /** Values measured (failed checks are counted, not measured). */
  readonly count: number;
}

export class Cell implements CellParts {
  valid = 0;
  good = 0;
  fast = 0;
  /** Exact values while few; null once the cell holds a sketch. */
  values: number[] | null;
  /** Whether `values` is in ascending order (sorted in place on the first quantile read). */
  protected sorted = true;
  sketch: DDSketch | null = null;

  constructor(values: number[] = []) {
    this.values = values;
  }

  /**
   * A cell holding one value, as `new Cell()` then `add` would leave it — without the empty array a
   * new cell starts with and the one-value array that replaces it at once: the per-event path makes
   * a cell for each scope and metric a window meets (about one every other event).
   */
  static first(value: number, good: boolean, fast: boolean): Cell {
    const measured = value === value;
    const cell = new Cell(measured ? [value] : []);
    cell.valid = 1;
    if (good) cell.good = 1;
    if (fast) cell.fast = 1;
    if (measured) cell.sorted = false;
    return cell;
  }

  /** A cell of these counts and values (exact, in the order they came) or sketch (cell-columns.ts). */
  static of(valid: number, good: number, fast: number, values: number[] | null, sketch: DDSketch | null): Cell {
    const cell = new Cell(values ?? []);
    cell.valid = valid;
    cell.good = good;
    cell.fast = fast;
    if (sketch) {
      cell.values = null;
      cell.sketch = sketch;
    } else if (values!.length > 0) cell.sorted = false;
    return cell;
  }

  /** Restores exact values (snapshots). */
  setValues(values: number[]): void {
    this.values = values;
    this.sketch = null;
    this.sorted = false;
  }

  get count(): number {
    return this.sketch ? this.sketch.count : this.values!.length;
  }

  /** `value` NaN means "counted, not measured" (a failed check has no meaningful duration). */
  add(value: number, good: boolean, fast: boolean): void {
    this.valid++;
    if (good) this.good++;
    if (fast) this.fast++;
    if (value !== value) return;
    if (this.sketch) {
      acceptValue(this.sketch, value);
      return;
    }
    this.sorted = false;
    const values = this.values!;
    const n = values.length;
    if (n < SNUG_VALUES) this.values = withValue(values, n, value);
    else if (values.push(value) > EXACT_VALUES) this.promote();
  }

  mergeFrom(other: CellParts): void {
    this.valid += other.valid;
    this.good += other.good;
    this.fast += other.fast;
    if (other.sketch) {
      if (other.sketch.count === 0) return;
      this.promote();
      mergeSketch(this.sketch!, other.sketch);
    } else if (this.sketch) {
      acceptValues(this.sketch, other.values!);
    } else if (other.values!.length > 0) {
      const values = this.values!;
      const theirs = other.values!;
      for (let i = 0; i < theirs.length; i++) values.push(theirs[i]!);
      this.sorted = false;
      if (values.length > EXACT_VALUES) this.promote();
    }
  }

  /** The value at quantile q (the nearest rank, as a sketch's: quantileRank), or null when empty. */
  quantile(q: number): number | null {
    if (this.sketch) return quantile(this.sketch, q);
    const values = this.values!;
    if (values.length === 0) return null;
    if (!this.sorted) {
      sortAscending(values);
      this.sorted = true;
    }
    return values[quantileRank(q, values.length)]!;
  }

  /**
   * The values at quantiles `qs` (ascending) into `out`: what `quantile` gives for each — a sketch's
   * bins walked once for all of them.
   */
  quantilesInto(qs: readonly number[], out: Array<number | null>): void {
    if (this.sketch) {
      quantilesInto(this.sketch, qs, out);
      return;
    }
    for (let i = 0; i < qs.length; i++) out[i] = this.quantile(qs[i]!);
  }

  /** The serialised sketch of the cell, for storage (small cells encoded without building one). */
  encode(): Uint8Array {
    return encodeCell(this);
  }

  /** A sketch of the values (built on demand for small cells). */
  toSketch(): DDSketch {
    return this.sketch ?? sketchOf(this.values!);
  }

  protected promote(): void {
    if (this.sketch) return;
    this.sketch = this.toSketch();
    this.values = null;
  }
}

/** The serialised sketch of a cell's values, for storage (small cells encoded without building one). */
export function encodeCell(cell: CellParts): Uint8Array {
  return cell.sketch ? encodeSketch(cell.sketch) : encodeValues(cell.values!);
}

/**
 * Below this many values a cell's array is replaced by one of exactly the length it holds instead of
 * pushed to: a push into a short array reserves 16 slots more than it holds, and most cells keep one
 * to four values for the whole status horizon — the reserve was a quarter of the processor's heap,
 * copied by every scavenge that met it.
 */
const SNUG_VALUES = 4;

/** `values` (of length `n` < SNUG_VALUES) with `value` after them, in an array of exactly that length. */
function withValue(values: number[], n: number, value: number): number[] {
  switch (n) {
    case 0:
      return [value];
    case 1:
      return [values[0]!, value];
    case 2:
      return [values[0]!, values[1]!, value];
    default:
      return [values[0]!, values[1]!, values[2]!, value];
  }
}

const ascending = (a: number, b: number) => a - b;

/**
 * Sorts in place, stably, as `sort((a, b) => a - b)` does. A cell's exact values are few (at most
 * EXACT_VALUES) and often mostly in order already: an insertion sort allocates nothing, where the
 * built-in sort with a comparator boxed a number per comparison (a fifth of the processor's garbage).
 */
export function sortAscending(values: number[]): void {
  const n = values.length;
  if (n > EXACT_VALUES) {
    values.sort(ascending);
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
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
  'app.dnsMs': 5,
  'app.realMs': 6,
  'logon.winlogonMs': 7,
  'logon.profileMs': 8,
  'logon.groupPolicyMs': 9,
  'logon.preShellMs': 10,
  'logon.shellMs': 11,
  'logon.appLogonMs': 12,
  'logon.logonTasksMs': 13,
  'logon.subscribersMs': 14,
  'logon.gpScriptsMs': 15,
  'health.memPct': 16,
  'health.diskFreePct': 17,
  'health.bootMs': 18,
};

// The metrics the processor's code names, as their indexes in a scope's cells (stream-processor.ts
// counts into them, scope-figures.ts reads figures out of them).
export const APP = METRIC_INDEX['app.totalMs'];
export const LOGON = METRIC_INDEX['logon.totalMs'];
export const WIFI = METRIC_INDEX['wifi.signalDbm'];
export const NET = METRIC_INDEX['net.rttMs'];
export const HEALTH = METRIC_INDEX['health.cpuPct'];
export const DNS = METRIC_INDEX['app.dnsMs'];
export const APP_REAL = METRIC_INDEX['app.realMs'];
export const MEM = METRIC_INDEX['health.memPct'];
export const DISK = METRIC_INDEX['health.diskFreePct'];
export const BOOT = METRIC_INDEX['health.bootMs'];
export const APP_LOGON = METRIC_INDEX['logon.appLogonMs'];

/** Metric index of each logon phase, in LOGON_PHASES order. */
export const LOGON_PHASE_METRICS = [7, 8, 9, 10, 11, 12, 13, 14, 15] as const;

export function cellOf(cells: ScopeCells, metric: number): Cell {
  let cell = cells[metric];
  if (!cell) cells[metric] = cell = new Cell();
  return cell;
}
