// Quantiles of a sketch: the nearest rank (quantileRank) and the library's bin values, with the bins
// walked once for several quantiles and each bin's value from the shared cache.
import type { DDSketch } from '@datadog/sketches-js';
import { decodeSketch } from './sketch-decode.ts';
import { MAPPING, sketchBinValue, type SketchInternals } from './sketch.ts';

/**
 * The 0-based position of the value at quantile q among `count` values in order: the nearest rank,
 * ⌈q·n⌉ − 1 — the least value with at least a share q of all values at or below it. So "p95 ≤ 30 s"
 * holds exactly when at least 95 % of the values are within 30 s, and a status judged on a p95
 * agrees with an SLO counting the share within the same threshold. (DDSketch's own rule, q·(n − 1)
 * rounded down, made the second-slowest of ten logons their p95: one logon in ten over 120 s read as
 * a p95 of 20 s while the 95 % SLO burnt.)
 */
export function quantileRank(q: number, count: number): number {
  // (0.95 × 20 is 19 in binary floating point too; the allowance keeps a whole q·n whole.)
  return Math.max(0, Math.ceil(q * count - 1e-9) - 1);
}

/**
 * The value at quantile q, or null for an empty sketch: the nearest rank (quantileRank) and the
 * library's bin values — for a sketch of this system's mapping each bin's value is taken from the
 * cache sketchBinValue keeps (a power of γ per quantile otherwise), and the bins walked without a call
 * per bin for the store's length. Statuses read three or four quantiles a scope at every evaluation.
 */
export function quantile(sketch: DDSketch, q: number): number | null {
  if (sketch.count === 0) return null;
  const s = sketch as unknown as SketchInternals;
  if (!(q >= 0 && q <= 1)) return null;
  const rank = quantileRank(q, s.count);
  // Another mapping: the library's walk, asked for a rank half a value past ours so that its rule (the
  // first bin whose running count passes q·(n − 1)) lands on it.
  if (s.mapping !== MAPPING) return sketch.getValueAtQuantile(s.count > 1 ? Math.min(1, (rank + 0.5) / (s.count - 1)) : 0);
  const negative = s.negativeStore;
  if (rank < negative.count) return -sketchBinValue(keyAtRank(negative, negative.count - rank - 1, false));
  if (rank < s.zeroCount + negative.count) return 0;
  return sketchBinValue(keyAtRank(s.store, rank - s.zeroCount - negative.count, true));
}

/**
 * DenseStore.keyAtRank: the key of the bin where the running count passes `rank`. From the lowest key
 * in use: the bins below it are empty (a store grows, re-centres and collapses keeping every count
 * between its lowest and highest keys), and the walk through them added nothing.
 */
function keyAtRank(store: SketchInternals['store'], rank: number, lower: boolean): number {
  const bins = store.bins;
  let running = 0;
  for (let i = Math.max(0, store.minKey - store.offset); i < bins.length; i++) {
    running += bins[i]!;
    if (lower ? running > rank : running >= rank + 1) return i + store.offset;
  }
  return store.maxKey;
}

/** Whether quantile `q` of `count` values lies among the positive bins. */
function inPositiveBins(q: number, count: number, negatives: number, zeroCount: number): boolean {
  return q >= 0 && q <= 1 && !(quantileRank(q, count) < zeroCount + negatives);
}

/**
 * The values at quantiles `qs` (ascending, each in [0, 1]) into `out`, or nulls for an empty sketch:
 * what `quantile` gives for each, from one walk of the positive bins for all of them (a scope's p50,
 * p95 and p99 walked the same bins three times).
 */
export function quantilesInto(sketch: DDSketch, qs: readonly number[], out: Array<number | null>): void {
  const s = sketch as unknown as SketchInternals;
  const negatives = s.negativeStore.count;
  const { zeroCount, store } = s;
  const count = s.count;
  // Another mapping, ranks among the negative values or zeros (qs ascend: a prefix), a quantile
  // outside [0, 1]: one by one.
  let i = 0;
  if (s.mapping !== MAPPING || s.count === 0) i = qs.length;
  while (i < qs.length && !inPositiveBins(qs[i]!, count, negatives, zeroCount)) i++;
  for (let k = 0; k < i; k++) out[k] = quantile(sketch, qs[k]!);
  const bins = store.bins;
  let running = 0;
  let at = Math.max(0, store.minKey - store.offset);
  for (; i < qs.length; i++) {
    const q = qs[i]!;
    if (!inPositiveBins(q, count, negatives, zeroCount)) {
      out[i] = quantile(sketch, q);
      continue;
    }
    const rank = quantileRank(q, count) - zeroCount - negatives;
    // Ranks ascend: the bin that passes this one is at or after the one that passed the last.
    while (at < bins.length && !(running + bins[at]! > rank)) running += bins[at++]!;
    out[i] = sketchBinValue(at < bins.length ? at + store.offset : store.maxKey);
  }
}

export function sketchQuantiles(bytes: Uint8Array, qs: number[]): (number | null)[] {
  if (bytes.length === 0) return qs.map(() => null);
  const sketch = decodeSketch(bytes);
  return qs.map((q) => quantile(sketch, q));
}
