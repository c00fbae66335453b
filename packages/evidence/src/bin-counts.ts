// Merged sketch bins of many stored rollups: quantiles, counts and sums of excess over any threshold,
// read from the bins the processor stored (a trust can change a target and re-run past months).
import { RELATIVE_ACCURACY, sketchBins } from '@wardwatch/sketch';

/** Ratio of a bin's upper bound to its lower bound (DDSketch's logarithmic mapping). */
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
/** A bin's representative value is 2·upper/(1+γ); its range is (upper/γ, upper]. */
const UPPER_PER_VALUE = (1 + GAMMA) / 2;

/**
 * Counts by bin value. Sketches of one accuracy share their bin values, so adding the counts of equal
 * values is exactly merging the sketches (no re-encoding, no decoding twice).
 */
export class BinCounts {
  private readonly counts = new Map<number, number>();
  private total = 0;

  /** Adds a stored (serialised) sketch. */
  addSketch(bytes: Uint8Array): this {
    if (bytes.length === 0) return this;
    const { values, counts } = sketchBins(bytes);
    for (let i = 0; i < values.length; i++) this.addBin(values[i]!, counts[i]!);
    return this;
  }

  addBin(value: number, count: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
    this.total += count;
  }

  merge(other: BinCounts): this {
    for (const [value, count] of other.counts) this.addBin(value, count);
    return this;
  }

  /** These counts less another's (bin by bin, never below 0): e.g. all checks less the real ones. */
  minus(other: BinCounts): BinCounts {
    const out = new BinCounts();
    for (const [value, count] of this.counts) {
      const left = count - (other.counts.get(value) ?? 0);
      if (left > 0) out.addBin(value, left);
    }
    return out;
  }

  /** Each bin's value and count (unordered). */
  entries(): IterableIterator<[number, number]> {
    return this.counts.entries();
  }

  get count(): number {
    return this.total;
  }

  /** The value at quantile q by DDSketch's rank rule (the lowest bin whose cumulative count passes q·(n−1)), or null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = q * (this.total - 1);
    let seen = 0;
    const bins = this.sorted();
    for (const [value, count] of bins) {
      seen += count;
      if (seen > rank) return value;
    }
    return bins[bins.length - 1]![0];
  }

  /**
   * How many values lie above `threshold` and the sum of (v − threshold) over them. Values are taken
   * as spread evenly across each bin's range: a bin wholly above counts from its mean, the bin the
   * threshold cuts counts only the part above (so the answer moves smoothly with the threshold).
   */
  excessOver(threshold: number): { over: number; excess: number } {
    let over = 0;
    let excess = 0;
    for (const [value, count] of this.counts) {
      if (value <= 0) {
        if (value > threshold) (over += count), (excess += count * (value - threshold));
        continue;
      }
      const upper = value * UPPER_PER_VALUE;
      const lower = upper / GAMMA;
      if (upper <= threshold) continue;
      if (lower >= threshold) {
        over += count;
        excess += count * ((lower + upper) / 2 - threshold);
      } else {
        const width = upper - lower;
        over += (count * (upper - threshold)) / width;
        excess += (count * (upper - threshold) ** 2) / (2 * width);
      }
    }
    return { over, excess };
  }

  /** Share of values above `threshold` (0 when empty). */
  shareOver(threshold: number): number {
    return this.total === 0 ? 0 : this.excessOver(threshold).over / this.total;
  }

  /** Sum of all values (each bin at its mean). */
  sum(): number {
    return this.excessOver(0).excess;
  }

  private sorted(): Array<[number, number]> {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }
}

/** The merged bins of stored rollups. */
export function binsOf(sketches: Iterable<{ sketch: Uint8Array }>): BinCounts {
  const bins = new BinCounts();
  for (const record of sketches) bins.addSketch(record.sketch);
  return bins;
}
