// A stored sketch's bins, read straight from its bytes where no store needs capping: as lists of
// values and counts (sketchBins) or reported by key to a visitor (walkSketchBins), for readers that
// merge many sketches by adding counts.
import { isCompact, readCompactBytes } from './compact-bytes.ts';
import { decodeProto, decodeSketch, type ProtoStore } from './sketch-decode.ts';
import { BIN_LIMIT, binValue, systemMapping, valid, type KeyMapping, type ProtoSketch, type SketchInternals } from './sketch.ts';

/** A stored sketch's bins, ascending by value: each bin's representative value and its count. */
export interface SketchBins {
  values: number[];
  counts: number[];
}

/**
 * The bins of a stored sketch, for re-weighting many sketches cheaply (a bootstrap re-merges the
 * same days thousands of times): sketches of one accuracy share their bin values, so adding counts
 * of equal values is merging, and the DDSketch rank rule over the sums gives the merged quantile.
 */
export function sketchBins(bytes: Uint8Array): SketchBins {
  const values: number[] = [];
  const counts: number[] = [];
  if (bytes.length === 0) return { values, counts };
  const fast = isCompact(bytes) ? binsOfCompact(bytes, values, counts) : binsOfMessage(decodeProto(bytes), values, counts);
  if (fast) return fast;
  values.length = 0;
  counts.length = 0;
  const s = decodeSketch(bytes) as unknown as SketchInternals & { mapping: { value(key: number): number } };
  const neg = s.negativeStore;
  for (let key = neg.maxKey; neg.count > 0 && key >= neg.minKey; key--) {
    const n = neg.bins[key - neg.offset] ?? 0;
    if (n > 0) values.push(-s.mapping.value(key)), counts.push(n);
  }
  if (s.zeroCount > 0) values.push(0), counts.push(s.zeroCount);
  const pos = s.store;
  for (let key = pos.minKey; pos.count > 0 && key <= pos.maxKey; key++) {
    const n = pos.bins[key - pos.offset] ?? 0;
    if (n > 0) values.push(s.mapping.value(key)), counts.push(n);
  }
  return { values, counts };
}

/**
 * sketchBins without building a sketch: straight from the decoded message when it is of this
 * system's mapping and no store needs capping (else null, and the sketch path decides). Same bins,
 * same order, the same counts dropped (not positive finite) as decodeSketch gives.
 */
function binsOfMessage(decoded: ProtoSketch, values: number[], counts: number[]): SketchBins | null {
  const mapping = systemMapping();
  const m = decoded.mapping as ProtoSketch['mapping'] | null;
  if (!m || Math.abs(m.gamma - mapping.gamma) > 1e-12 || (m.indexOffset ?? 0) !== 0 || (m.interpolation ?? 0) !== 0) return null;
  const pos = decoded.positiveValues as ProtoStore | null;
  const neg = decoded.negativeValues as ProtoStore | null;
  const pc = pos?.contiguousBinCounts ?? [];
  const nc = neg?.contiguousBinCounts ?? [];
  if (pc.length > BIN_LIMIT || nc.length > BIN_LIMIT) return null;
  const no = neg?.contiguousBinIndexOffset ?? 0;
  for (let i = nc.length - 1; i >= 0; i--) if (valid(nc[i]!)) values.push(-binValue(mapping, no + i)), counts.push(nc[i]!);
  const zeros = decoded.zeroCount;
  if (zeros > 0 && zeros < Infinity) values.push(0), counts.push(zeros);
  const po = pos?.contiguousBinIndexOffset ?? 0;
  for (let i = 0; i < pc.length; i++) if (valid(pc[i]!)) values.push(binValue(mapping, po + i)), counts.push(pc[i]!);
  return { values, counts };
}

/** binsOfMessage for the compact format: straight from its counts when no store needs capping. */
function binsOfCompact(bytes: Uint8Array, values: number[], counts: number[]): SketchBins | null {
  const mapping = systemMapping();
  const { positive, negative, zeroCount } = readCompactBytes(bytes);
  if (positive.n > BIN_LIMIT || negative.n > BIN_LIMIT) return null;
  const nc = negative.counts;
  for (let i = negative.n - 1; i >= 0; i--) if (nc[i]! > 0) values.push(-binValue(mapping, negative.key + i)), counts.push(nc[i]!);
  if (zeroCount > 0) values.push(0), counts.push(zeroCount);
  const pc = positive.counts;
  for (let i = 0; i < positive.n; i++) if (pc[i]! > 0) values.push(binValue(mapping, positive.key + i)), counts.push(pc[i]!);
  return { values, counts };
}

/**
 * What walkSketchBins reports: each bin in use of a stored sketch, by its key in this system's
 * mapping — so a reader that sums many sketches indexes its counts by key (no value, no array, no
 * Map per sketch; sketchBinValue gives a key's value when it is needed).
 */
export interface SketchBinVisitor {
  /** A bin of positive values: the value is sketchBinValue(key). */
  positive(key: number, count: number): void;
  /** A bin of negative values, by the key of the value's magnitude: the value is −sketchBinValue(key). */
  negative(key: number, count: number): void;
  /** The values too close to 0 for a key. */
  zero(count: number): void;
  /**
   * Before a store's bins, when the walk knows them: the lowest and highest key it spans (1: the
   * positive store, −1: the negative), so a reader can make room for them at once.
   */
  span?(sign: 1 | -1, lowKey: number, highKey: number): void;
}

/**
 * The bins sketchBins gives (the same bins and counts, the same ones dropped), reported by key in the
 * order negative (highest key first), zero, positive (lowest first) — ascending by value. Read straight
 * from the stored bytes where no store needs capping; else from the decoded sketch. A sketch of another
 * accuracy (never written by this system) has each bin's value put in this mapping's bin holding it.
 */
export function walkSketchBins(bytes: Uint8Array, visitor: SketchBinVisitor): void {
  if (bytes.length === 0) return;
  if (isCompact(bytes)) {
    const { positive, negative, zeroCount } = readCompactBytes(bytes);
    if (positive.n <= BIN_LIMIT && negative.n <= BIN_LIMIT) {
      if (visitor.span) {
        if (negative.n > 0) visitor.span(-1, negative.key, negative.key + negative.n - 1);
        if (positive.n > 0) visitor.span(1, positive.key, positive.key + positive.n - 1);
      }
      const nc = negative.counts;
      for (let i = negative.n - 1; i >= 0; i--) if (nc[i]! > 0) visitor.negative(negative.key + i, nc[i]!);
      if (zeroCount > 0) visitor.zero(zeroCount);
      const pc = positive.counts;
      for (let i = 0; i < positive.n; i++) if (pc[i]! > 0) visitor.positive(positive.key + i, pc[i]!);
      return;
    }
  } else {
    const decoded = decodeProto(bytes);
    const m = decoded.mapping as ProtoSketch['mapping'] | null;
    const pos = decoded.positiveValues as ProtoStore | null;
    const neg = decoded.negativeValues as ProtoStore | null;
    const pc = pos?.contiguousBinCounts ?? [];
    const nc = neg?.contiguousBinCounts ?? [];
    if (m && Math.abs(m.gamma - systemMapping().gamma) <= 1e-12 && (m.indexOffset ?? 0) === 0 && (m.interpolation ?? 0) === 0 && pc.length <= BIN_LIMIT && nc.length <= BIN_LIMIT) {
      const no = neg?.contiguousBinIndexOffset ?? 0;
      const po = pos?.contiguousBinIndexOffset ?? 0;
      if (visitor.span) {
        if (nc.length > 0) visitor.span(-1, no, no + nc.length - 1);
        if (pc.length > 0) visitor.span(1, po, po + pc.length - 1);
      }
      for (let i = nc.length - 1; i >= 0; i--) if (valid(nc[i]!)) visitor.negative(no + i, nc[i]!);
      const zeros = decoded.zeroCount;
      if (zeros > 0 && zeros < Infinity) visitor.zero(zeros);
      for (let i = 0; i < pc.length; i++) if (valid(pc[i]!)) visitor.positive(po + i, pc[i]!);
      return;
    }
  }
  // A store wider than the bin limit (its lowest bins collapse as decodeSketch does), or another mapping.
  const s = decodeSketch(bytes) as unknown as SketchInternals & { mapping: KeyMapping };
  const ours = s.mapping.gamma === systemMapping().gamma;
  const keyOf = (key: number) => (ours ? key : systemMapping().key(s.mapping.value(key)));
  const neg = s.negativeStore;
  for (let key = neg.maxKey; neg.count > 0 && key >= neg.minKey; key--) {
    const n = neg.bins[key - neg.offset] ?? 0;
    if (n > 0) visitor.negative(keyOf(key), n);
  }
  if (s.zeroCount > 0) visitor.zero(s.zeroCount);
  const pos = s.store;
  for (let key = pos.minKey; pos.count > 0 && key <= pos.maxKey; key++) {
    const n = pos.bins[key - pos.offset] ?? 0;
    if (n > 0) visitor.positive(keyOf(key), n);
  }
}
