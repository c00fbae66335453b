// Good and valid event counts over any [from, to) for a target scope, answered from rollups held in
// memory (prefix sums per series, so each answer is two binary searches). Pure: no clock, no I/O.
import type { Resolution, RollupRecord } from '@wardwatch/store';
import { INDICATOR_SOURCES, targetScopesOf } from './targets.ts';
import type { IndicatorKind } from './definition.ts';

export interface SliCounts {
  good: number;
  valid: number;
}

const SIX_HOURS = 6 * 3_600_000;
const RESOLUTION_MS: Record<Resolution, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };
/** Finer resolutions first: the tail a coarse rollup has not reached yet is counted from these. */
const FINEST_FIRST: readonly Resolution[] = ['1m', '5m', '1h'];
const COARSEST_FIRST: readonly Resolution[] = [...FINEST_FIRST].reverse();
const THREE_DAYS = 3 * 86_400_000;

/** 1m rollups for windows up to 6 h, 5m up to 3 d, 1h beyond; the next ones when the first has no data. */
export function resolutionsFor(windowMs: number): Resolution[] {
  if (windowMs <= SIX_HOURS) return ['1m', '5m', '1h'];
  if (windowMs <= THREE_DAYS) return ['5m', '1h', '1m'];
  return ['1h', '5m', '1m'];
}

interface Bucket {
  valid: number;
  good: number;
  fast: number;
}

class CountSeries {
  private readonly buckets = new Map<number, Bucket>();
  private starts: number[] = [];
  /** Prefix sums: index i holds the totals of buckets before starts[i]. */
  private valid: number[] = [0];
  private good: number[] = [0];
  private fast: number[] = [0];
  private dirty = false;

  /** `target`: the target scope the series counts for ("trust", "site:S1", "app:epr"). */
  constructor(readonly target: string) {}

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  add(record: RollupRecord): void {
    const bucket = this.buckets.get(record.start);
    if (bucket) {
      bucket.valid += record.valid;
      bucket.good += record.good;
      bucket.fast += record.fast;
    } else {
      this.buckets.set(record.start, { valid: record.valid, good: record.good, fast: record.fast });
    }
    this.dirty = true;
  }

  /** Drops the buckets whose start lies outside [from, to) (rows to be read again, or out of every span). */
  keepWithin(from: number, to: number): void {
    for (const start of this.buckets.keys()) {
      if (start < from || start >= to) {
        this.buckets.delete(start);
        this.dirty = true;
      }
    }
  }

  /** Totals of buckets whose start lies in [from, to); undefined when none does. */
  sum(from: number, to: number, goodCount: 'good' | 'fast'): SliCounts | undefined {
    if (this.dirty) this.freeze();
    const lo = lowerBound(this.starts, from);
    const hi = lowerBound(this.starts, to);
    if (hi <= lo) return undefined;
    const good = goodCount === 'fast' ? this.fast : this.good;
    return { good: good[hi]! - good[lo]!, valid: this.valid[hi]! - this.valid[lo]! };
  }

  /** Each bucket whose start lies in [from, to), in start order, with its counts. */
  forEach(from: number, to: number, goodCount: 'good' | 'fast', each: (start: number, counts: SliCounts) => void): void {
    if (this.dirty) this.freeze();
    const good = goodCount === 'fast' ? this.fast : this.good;
    for (let i = lowerBound(this.starts, from); i < this.starts.length && this.starts[i]! < to; i++) {
      each(this.starts[i]!, { good: good[i + 1]! - good[i]!, valid: this.valid[i + 1]! - this.valid[i]! });
    }
  }

  /** Start of the first bucket in [from, to), or undefined when none. */
  firstStart(from: number, to: number): number | undefined {
    if (this.dirty) this.freeze();
    const lo = lowerBound(this.starts, from);
    const start = lo < this.starts.length ? this.starts[lo]! : undefined;
    return start !== undefined && start < to ? start : undefined;
  }

  /** Start of the last bucket in [from, to), or undefined when none. */
  lastStart(from: number, to: number): number | undefined {
    if (this.dirty) this.freeze();
    const hi = lowerBound(this.starts, to);
    const start = hi > 0 ? this.starts[hi - 1]! : undefined;
    return start !== undefined && start >= from ? start : undefined;
  }

  private freeze(): void {
    this.starts = [...this.buckets.keys()].sort((a, b) => a - b);
    const n = this.starts.length;
    this.valid = new Array<number>(n + 1);
    this.good = new Array<number>(n + 1);
    this.fast = new Array<number>(n + 1);
    this.valid[0] = this.good[0] = this.fast[0] = 0;
    for (let i = 0; i < n; i++) {
      const b = this.buckets.get(this.starts[i]!)!;
      this.valid[i + 1] = this.valid[i]! + b.valid;
      this.good[i + 1] = this.good[i]! + b.good;
      this.fast[i + 1] = this.fast[i]! + b.fast;
    }
    this.dirty = false;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SliCounter {
  private readonly series = new Map<string, CountSeries>();
  /** The series of each resolution (the same objects as `series`). */
  private readonly byResolution = new Map<Resolution, CountSeries[]>();

  constructor(records: Iterable<RollupRecord> = []) {
    this.add(records);
  }

  /** Adds rollups; a record whose scope feeds no target (ward, device, access point) is ignored. */
  add(records: Iterable<RollupRecord>): void {
    for (const record of records) {
      for (const target of targetScopesOf(record.scope)) {
        const key = `${target}\u0000${record.metric}\u0000${record.resolution}`;
        let series = this.series.get(key);
        if (!series) {
          this.series.set(key, (series = new CountSeries(target)));
          let ofResolution = this.byResolution.get(record.resolution);
          if (!ofResolution) this.byResolution.set(record.resolution, (ofResolution = []));
          ofResolution.push(series);
        }
        series.add(record);
      }
    }
  }

  /**
   * Keeps only the rollups of `resolution` whose window starts in [from, to): the rest of that
   * resolution is dropped, to be read again (a changed tail) or because no span reaches it any more.
   */
  keepWithin(resolution: Resolution, from: number, to: number): void {
    for (const series of this.byResolution.get(resolution) ?? []) series.keepWithin(from, to);
  }

  /**
   * Where an indicator's data for a target scope begins in [from, to): the earliest rollup's start,
   * told as finely as the rollups kept allow — an hourly rollup starting at 20:00 holds data from
   * 20:33 when the minutes say so — undefined without one. A budget's window that starts before it
   * holds less data than its length (a new installation): the budget is of the data there is, and
   * "on the 58 min of data so far" must not read "2 h".
   */
  dataSince(scope: string, indicator: IndicatorKind, from: number, to: number): number | undefined {
    const { metric } = INDICATOR_SOURCES[indicator];
    let since: number | undefined;
    let window = 0;
    for (const resolution of COARSEST_FIRST) {
      const first = this.series.get(`${scope}\u0000${metric}\u0000${resolution}`)?.firstStart(from, to);
      if (first === undefined) continue;
      // Earlier data at this resolution, or a finer look inside the coarser window the data begins in.
      if (since === undefined || first < since + window) {
        since = first;
        window = RESOLUTION_MS[resolution];
      }
    }
    return since;
  }

  /** Each 1-minute rollup of an indicator for a target scope starting in [from, to), in order, with its counts. */
  forEachMinute(scope: string, indicator: IndicatorKind, from: number, to: number, each: (start: number, counts: SliCounts) => void): void {
    const { metric, goodCount } = INDICATOR_SOURCES[indicator];
    this.series.get(`${scope}\u0000${metric}\u00001m`)?.forEach(from, to, goodCount, each);
  }

  /** Target scopes seen in the rollups ("trust", "site:S1", "app:epr"), for expanding "*" selectors. */
  scopes(): string[] {
    const targets = new Set<string>();
    for (const series of this.series.values()) if (!series.empty) targets.add(series.target);
    return [...targets].sort();
  }

  /**
   * Good and valid events of an indicator for a target scope over [from, to): from the resolution
   * that suits the span and has data (rollups whose window starts in the range); past the end of its
   * last rollup, where a coarser window is not final yet (the current hour), from the finest rollups
   * that have the rest; and before its first rollup, from whole coarser windows that end by then. So
   * a 28-day budget counts whole hours and then the minutes since the last one, exactly as the budget
   * history's last point does (one figure, two routes); and a 3-day burn rate counts three days where
   * the 5-minute rollups hold only the last hour (a store filled with hourly history, then minutes),
   * rather than calling that hour's rate the three days'.
   */
  counts(scope: string, indicator: IndicatorKind, from: number, to: number): SliCounts {
    const { metric, goodCount } = INDICATOR_SOURCES[indicator];
    const seriesOf = (resolution: Resolution) => this.series.get(`${scope}\u0000${metric}\u0000${resolution}`);
    for (const resolution of resolutionsFor(to - from)) {
      const series = seriesOf(resolution);
      // Only windows that end by `to`: a window still open at `to` — an hour of history written up
      // to the present, counted as of a settled minute a few minutes back — would count events after
      // it, which the budget history's points never do; its part before `to` comes from finer rollups.
      const end = to - RESOLUTION_MS[resolution] + 1;
      const sum = series?.sum(from, end, goodCount);
      if (!sum) continue;
      const counts = { ...sum };
      const add = (part: SliCounts | undefined): boolean => {
        if (!part) return false;
        counts.good += part.good;
        counts.valid += part.valid;
        return true;
      };
      const covered = series!.lastStart(from, end)! + RESOLUTION_MS[resolution];
      if (covered < to) {
        for (const finer of FINEST_FIRST) {
          if (RESOLUTION_MS[finer] >= RESOLUTION_MS[resolution] || add(seriesOf(finer)?.sum(covered, to, goodCount))) break;
        }
      }
      // Coarser windows only: a finer resolution is kept for less time than this one, so it has
      // nothing older. A coarse window is counted only when it ends by the first of this resolution's.
      const first = series!.firstStart(from, end)!;
      for (const coarser of FINEST_FIRST) {
        const size = RESOLUTION_MS[coarser];
        if (size > RESOLUTION_MS[resolution] && first - size >= from && add(seriesOf(coarser)?.sum(from, first - size + 1, goodCount))) break;
      }
      return counts;
    }
    return { good: 0, valid: 0 };
  }
}
