// Rollups summed per (scope, metric): SLI counts added, sketch bins merged, hours with data counted.
import type { RollupRecord } from '@wardwatch/store';
import { BinCounts } from './bin-counts.ts';
import type { SpanRecord } from './site-days.ts';

export class Tally {
  count = 0;
  valid = 0;
  good = 0;
  fast = 0;
  readonly bins = new BinCounts();
  /**
   * Hours with data, gathered only when asked (the pack asks at site scope alone): until then the
   * hourly rows' starts and the day rows' lists of hours, kept as they came — a month's ~180,000 day
   * rows are four million hours, most of them of wards, access points and applications.
   */
  private hourStarts: number[] = [];
  private hourLists: Array<readonly number[]> = [];
  private hourSet: Set<number> | null = null;

  /** An hourly rollup, or a day row read back (its hours with data listed). */
  add(record: SpanRecord): void {
    this.count += record.count;
    this.valid += record.valid;
    this.good += record.good;
    this.fast += record.fast;
    if (this.hourSet) {
      if (record.hours) for (const h of record.hours) this.hourSet.add(h);
      else this.hourSet.add(record.start);
    } else if (record.hours) this.hourLists.push(record.hours);
    else this.hourStarts.push(record.start);
    if (record.sketch.length > 0) this.bins.addSketch(record.sketch);
  }

  /** The hour starts with data (each once). */
  get hours(): ReadonlySet<number> {
    return this.gathered();
  }

  private gathered(): Set<number> {
    if (!this.hourSet) {
      const set = new Set(this.hourStarts);
      for (const list of this.hourLists) for (const h of list) set.add(h);
      this.hourSet = set;
      this.hourStarts = [];
      this.hourLists = [];
    }
    return this.hourSet;
  }

  /** Counts kept without their sketch (device digests): bins given as value → count, when kept. */
  addCounts(c: { valid: number; good: number; fast: number; bins?: ReadonlyMap<number, number> }): void {
    this.valid += c.valid;
    this.good += c.good;
    this.fast += c.fast;
    if (c.bins) {
      for (const [value, n] of c.bins) {
        this.bins.addBin(value, n);
        this.count += n;
      }
    } else {
      this.count += c.good;
    }
  }

  /** A digest day's counts (walkDigest): a metric without bins counts its good values, as addCounts does. */
  addDigestCounts(valid: number, good: number, fast: number, binned: boolean): void {
    this.valid += valid;
    this.good += good;
    this.fast += fast;
    if (!binned) this.count += good;
  }

  /** A digest's bins (walkDigest), gathered over its days. */
  addDigestBins(bins: BinCounts): void {
    this.bins.merge(bins);
    this.count += bins.count;
  }

  merge(other: Tally): this {
    this.count += other.count;
    this.valid += other.valid;
    this.good += other.good;
    this.fast += other.fast;
    this.bins.merge(other.bins);
    if (this.hourSet || other.hourSet) {
      const set = this.gathered();
      for (const h of other.gathered()) set.add(h);
    } else {
      for (const h of other.hourStarts) this.hourStarts.push(h);
      for (const list of other.hourLists) this.hourLists.push(list);
    }
    return this;
  }
}

/** Tallies by scope, then metric. */
export class TallyIndex {
  readonly byScope = new Map<string, Map<string, Tally>>();

  constructor(records: Iterable<RollupRecord> = [], keep: (record: RollupRecord) => boolean = () => true) {
    for (const record of records) if (keep(record)) this.add(record);
  }

  add(record: RollupRecord): void {
    this.tally(record.scope, record.metric).add(record);
  }

  /** Adds counts kept without a rollup record (device digests). */
  addCounts(scope: string, metric: string, c: Parameters<Tally['addCounts']>[0]): void {
    this.tally(scope, metric).addCounts(c);
  }

  /** The tally of a scope's metric, made empty when it has none yet. */
  tally(scope: string, metric: string): Tally {
    let metrics = this.byScope.get(scope);
    if (!metrics) {
      this.byScope.set(scope, (metrics = new Map()));
      this.sorted = null;
    }
    let tally = metrics.get(metric);
    if (!tally) metrics.set(metric, (tally = new Tally()));
    return tally;
  }

  get(scope: string, metric: string): Tally | undefined {
    return this.byScope.get(scope)?.get(metric);
  }

  /** Scope keys starting with `prefix`, in order. */
  scopes(prefix: string): string[] {
    // The keys sorted once (until a scope is added), and the prefix's run found by binary search:
    // the pack asks per site, and the index holds every device's scope too.
    const keys = (this.sorted ??= [...this.byScope.keys()].sort());
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push(keys[i]!);
    return out;
  }

  private sorted: string[] | null = null;

  /** One tally of `metric` over several scopes. */
  sum(scopes: Iterable<string>, metric: string): Tally {
    const total = new Tally();
    for (const scope of scopes) {
      const t = this.get(scope, metric);
      if (t) total.merge(t);
    }
    return total;
  }
}

export const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
