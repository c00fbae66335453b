// Merged sketch bins of many stored rollups: quantiles, counts and sums of excess over any threshold,
// read from the bins the processor stored (a trust can change a target and re-run past months).
import { quantileRank, RELATIVE_ACCURACY, sketchBinKey, sketchBinValue, walkSketchBins, type SketchBinVisitor } from '@wardwatch/sketch';
import { KeyCounts } from './key-counts.ts';

/** Ratio of a bin's upper bound to its lower bound (DDSketch's logarithmic mapping). */
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
/** A bin's representative value is 2·upper/(1+γ); its range is (upper/γ, upper]. */
const UPPER_PER_VALUE = (1 + GAMMA) / 2;

/**
 * Counts by bin. Sketches of one accuracy share their bins, so adding the counts of a bin's key is
 * exactly merging the sketches (no re-encoding, no decoding twice). Counts are kept by the bin's key
 * in the sketches' mapping (positive values, negative ones by their magnitude's key, and the zero
 * bin), each sign on a typed array: a pack adds millions of bins, and a Map entry per bin value was
 * its largest cost. A key becomes its value only when a figure is read, and every figure walks the
 * bins in ascending value, so the same counts give the same figures whatever order they came in.
 */
export class BinCounts implements SketchBinVisitor {
  private readonly pos = new KeyCounts();
  private readonly neg = new KeyCounts();
  private zeros = 0;
  private total = 0;

  /** Adds a stored (serialised) sketch, walking its bytes. */
  addSketch(bytes: Uint8Array): this {
    if (bytes.length > 0) walkSketchBins(bytes, this);
    return this;
  }

  /** A bin of positive values by its key in the sketches' mapping (walkSketchBins). */
  positive(key: number, count: number): void {
    this.pos.add(key, count);
    this.total += count;
  }

  /** A bin of negative values by the key of their magnitude. */
  negative(key: number, count: number): void {
    this.neg.add(key, count);
    this.total += count;
  }

  /** Room for a sketch's keys, made at once (walkSketchBins says each store's span before its bins). */
  span(sign: 1 | -1, lowKey: number, highKey: number): void {
    (sign > 0 ? this.pos : this.neg).reserve(lowKey, highKey);
  }

  /** Values in the zero bin. */
  zero(count: number): void {
    this.zeros += count;
    this.total += count;
  }

  /** A bin given by its value (a bin's representative value lies inside it, so it finds its key). */
  addBin(value: number, count: number): void {
    sketchBinKey(value, found);
    if (found.sign > 0) this.positive(found.key, count);
    else if (found.sign < 0) this.negative(found.key, count);
    else this.zero(count);
  }

  merge(other: BinCounts): this {
    this.pos.addAll(other.pos);
    this.neg.addAll(other.neg);
    this.zeros += other.zeros;
    this.total += other.total;
    return this;
  }

  /** These counts less another's (bin by bin, never below 0): e.g. all checks less the real ones. */
  minus(other: BinCounts): BinCounts {
    const out = new BinCounts();
    out.total += out.neg.setLess(this.neg, other.neg);
    const z = this.zeros - other.zeros;
    if (z > 0) (out.zeros = z), (out.total += z);
    out.total += out.pos.setLess(this.pos, other.pos);
    return out;
  }

  /** Empties the counts, keeping the arrays (a scratch gathering one device's bins at a time). */
  clear(): void {
    this.pos.clear();
    this.neg.clear();
    this.zeros = 0;
    this.total = 0;
  }

  /** Each bin's value and count, ascending by value. */
  *entries(): IterableIterator<[number, number]> {
    const n = this.neg.counts;
    for (let i = n.length - 1; i >= 0; i--) if (n[i] !== 0) yield [-sketchBinValue(this.neg.from + i), n[i]!];
    if (this.zeros !== 0) yield [0, this.zeros];
    const p = this.pos.counts;
    for (let i = 0; i < p.length; i++) if (p[i] !== 0) yield [sketchBinValue(this.pos.from + i), p[i]!];
  }

  get count(): number {
    return this.total;
  }

  /** The value at quantile q by the sketches' rank rule (the nearest rank: quantileRank), or null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = quantileRank(q, this.total);
    let seen = 0;
    let last = 0;
    const n = this.neg.counts;
    for (let i = n.length - 1; i >= 0; i--) {
      if (n[i] === 0) continue;
      seen += n[i]!;
      last = -sketchBinValue(this.neg.from + i);
      if (seen > rank) return last;
    }
    if (this.zeros !== 0) {
      seen += this.zeros;
      last = 0;
      if (seen > rank) return 0;
    }
    const p = this.pos.counts;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) continue;
      seen += p[i]!;
      last = sketchBinValue(this.pos.from + i);
      if (seen > rank) return last;
    }
    return last;
  }

  /**
   * How many values lie above `threshold` and the sum of (v − threshold) over them. Values are taken
   * as spread evenly across each bin's range: a bin wholly above counts from its mean, the bin the
   * threshold cuts counts only the part above (so the answer moves smoothly with the threshold).
   * Negative values and the zero bin count at their value.
   */
  excessOver(threshold: number): { over: number; excess: number } {
    const { over, excess } = this.excess(threshold, null);
    return { over, excess };
  }

  /**
   * What minus(other) would give for its count and excessOver(threshold) — the excess summed in the
   * same order, to the last bit — without making the difference (time lost asks it of every
   * application's checks less its real timings, several times a pack).
   */
  excessOverLess(other: BinCounts, threshold: number): { count: number; over: number; excess: number } {
    return this.excess(threshold, other);
  }

  private excess(threshold: number, less: BinCounts | null): { count: number; over: number; excess: number } {
    let over = 0;
    let excess = 0;
    let negatives = 0;
    let positives = 0;
    const n = this.neg.counts;
    const nFrom = this.neg.from;
    for (let i = n.length - 1; i >= 0; i--) {
      const count = less ? n[i]! - countAt(less.neg, nFrom + i) : n[i]!;
      if (!(count > 0)) continue;
      negatives += count;
      const value = -sketchBinValue(nFrom + i);
      if (value > threshold) (over += count), (excess += count * (value - threshold));
    }
    const zeros = less ? this.zeros - less.zeros : this.zeros;
    if (zeros > 0 && 0 > threshold) (over += zeros), (excess += zeros * (0 - threshold));
    const p = this.pos.counts;
    const pFrom = this.pos.from;
    for (let i = 0; i < p.length; i++) {
      const count = less ? p[i]! - countAt(less.pos, pFrom + i) : p[i]!;
      if (!(count > 0)) continue;
      positives += count;
      const upper = sketchBinValue(pFrom + i) * UPPER_PER_VALUE;
      if (upper <= threshold) continue;
      const lower = upper / GAMMA;
      if (lower >= threshold) {
        over += count;
        excess += count * ((lower + upper) / 2 - threshold);
      } else {
        const width = upper - lower;
        over += (count * (upper - threshold)) / width;
        excess += (count * (upper - threshold) ** 2) / (2 * width);
      }
    }
    return { count: negatives + (zeros > 0 ? zeros : 0) + positives, over, excess };
  }

  /** Share of values above `threshold` (0 when empty). */
  shareOver(threshold: number): number {
    return this.total === 0 ? 0 : this.excessOver(threshold).over / this.total;
  }

  /** Sum of all values (each bin at its mean). */
  sum(): number {
    return this.excessOver(0).excess;
  }
}

/** A key's count in `k` (0 outside its array). */
function countAt(k: KeyCounts, key: number): number {
  const j = key - k.from;
  return j >= 0 && j < k.counts.length ? k.counts[j]! : 0;
}

/** Where addBin's key lookup writes (one object, not one a call). */
const found = { sign: 0, key: 0 };

/** The merged bins of stored rollups. */
export function binsOf(sketches: Iterable<{ sketch: Uint8Array }>): BinCounts {
  const bins = new BinCounts();
  for (const record of sketches) bins.addSketch(record.sketch);
  return bins;
}
