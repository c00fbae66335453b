// Robust statistics for peer comparison: medians and the median absolute deviation, which a few
// broken peers cannot drag the way they drag a mean and a standard deviation.

/**
 * The values in ascending order, in a copy. Small lists (a ward's devices) by insertion sort, large
 * ones (the devices of every other site) as a Float64Array, which sorts numerically without a
 * comparator call per comparison: attribution sorts the estate's devices many times over, and the
 * built-in sort with `(a, b) => a - b` was most of its time.
 */
function sortedCopy(values: readonly number[]): Float64Array | number[] {
  const n = values.length;
  if (n > 32) return Float64Array.from(values).sort();
  const sorted = values.slice();
  for (let i = 1; i < n; i++) {
    const v = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > v) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = v;
  }
  return sorted;
}

function middle(sorted: Float64Array | number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return middle(sortedCopy(values));
}

/**
 * The lower median: for an even count, the smaller of the middle pair. A group's typical member by
 * this measure is slow only when more than half its members are, so one slow device of two does not
 * make its access point look slow.
 */
export function lowerMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return sortedCopy(values)[(values.length - 1) >> 1]!;
}

/** Median absolute deviation scaled to estimate a standard deviation for normal data (× 1.4826). */
export function mad(values: readonly number[]): number | null {
  const centre = median(values);
  if (centre === null) return null;
  return madAround(values, centre);
}

/** The scaled MAD of `values` (not empty) about their median `centre`, already known. */
function madAround(values: readonly number[], centre: number): number {
  const deviations = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i]! - centre);
  return 1.4826 * middle(sortedCopy(deviations));
}

export interface OutlierRule {
  /** How many scaled MADs above the peers' median a value must be. */
  deviations: number;
  /** And at least this far above the median in absolute terms (noise floor). */
  minExcess: number;
  /** And at least this multiple of the median (1 = no ratio test). */
  minRatio: number;
}

/**
 * Whether `value` stands out above its peers. Needs at least two peers: one peer is an anecdote.
 * All three tests must pass, so tight peers (MAD ≈ 0) do not turn noise into verdicts.
 */
export function standsOut(value: number, peers: readonly number[], rule: OutlierRule): boolean {
  if (peers.length < 2) return false;
  const centre = median(peers)!;
  return above(value, centre, madAround(peers, centre), rule);
}

/** The rule's three tests against a peer group's median and scaled MAD. */
function above(value: number, centre: number, spread: number, rule: OutlierRule): boolean {
  return value > centre + Math.max(rule.deviations * spread, rule.minExcess) && value >= centre * rule.minRatio;
}

/**
 * A large peer group's values, sorted once, whose median and MAD are read without sorting again —
 * the same numbers median() and the MAD inside standsOut() give for the same values (the middle of
 * the same sorted values and of the same deviations).
 */
export class SortedSample {
  /** `sorted` must be ascending. */
  constructor(readonly sorted: Float64Array) {}

  static of(values: readonly number[]): SortedSample {
    return new SortedSample(Float64Array.from(values).sort());
  }

  get length(): number {
    return this.sorted.length;
  }

  median(): number | null {
    return this.sorted.length === 0 ? null : middle(this.sorted);
  }

  /** The scaled MAD about `centre` (the median): the deviations walked outwards from it in ascending order, up to the middle one. */
  madAbout(centre: number): number {
    const v = this.sorted;
    const n = v.length;
    let hi = lowerBound(v, n, centre); // first value ≥ centre
    let lo = hi - 1;
    const want = n >> 1; // index of the (upper) middle deviation
    let previous = 0;
    let current = 0;
    for (let k = 0; k <= want; k++) {
      previous = current;
      const below = lo >= 0 ? Math.abs(v[lo]! - centre) : Infinity;
      const above = hi < n ? Math.abs(v[hi]! - centre) : Infinity;
      if (below <= above) {
        current = below;
        lo--;
      } else {
        current = above;
        hi++;
      }
    }
    return 1.4826 * (n % 2 ? current : (previous + current) / 2);
  }

  /** A copy without `values` (each once); undefined when one of them is not in the sample. */
  without(values: readonly number[]): SortedSample | undefined {
    if (values.length === 0) return this;
    if (values.length > this.sorted.length) return undefined;
    const remove = Float64Array.from(values).sort();
    const out = new Float64Array(this.sorted.length - remove.length);
    let r = 0;
    let o = 0;
    for (let i = 0; i < this.sorted.length; i++) {
      const x = this.sorted[i]!;
      if (r < remove.length && remove[r] === x) r++;
      else out[o++] = x;
    }
    return r === remove.length ? new SortedSample(out) : undefined;
  }
}

/** The first index below `count` whose value is ≥ `x` in ascending `sorted` (`count` when none is). */
export function lowerBound(sorted: Float64Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** standsOut() over a sorted sample. */
export function standsOutOf(value: number, peers: SortedSample, rule: OutlierRule): boolean {
  if (peers.length < 2) return false;
  const centre = peers.median()!;
  return above(value, centre, peers.madAbout(centre), rule);
}
