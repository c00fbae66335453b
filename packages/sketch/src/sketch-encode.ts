// A sketch's stored bytes: the compact format (compact-bytes.ts), or the library's protobuf message
// when the compact one cannot hold it (sketch-bytes.ts); and the same bytes straight from a list of
// values, without building the sketch.
import type { DDSketch } from '@datadog/sketches-js';
import { emptySpan, writeSketchBytes, type StoreSpan } from './sketch-bytes.ts';
import { MAPPING_LOG_1PCT_ACCURACY, writeCompactBytes } from './compact-bytes.ts';
import { keyRange, keysOf } from './sketch-build.ts';
import { BIN_LIMIT, proto, RELATIVE_ACCURACY, systemMapping, type SketchInternals } from './sketch.ts';

/** The compact format names its mapping by a byte; it is written only when that is this system's. */
const COMPACT = RELATIVE_ACCURACY === MAPPING_LOG_1PCT_ACCURACY;

/**
 * A sketch's stored bytes: the compact format (compact-bytes.ts), or the library's protobuf message
 * when the compact one cannot hold it (another mapping, or counts that are not whole numbers).
 */
export function encodeSketch(sketch: DDSketch): Uint8Array {
  if (sketch.count === 0) return new Uint8Array(0);
  const s = sketch as unknown as SketchInternals;
  if (s.mapping.gamma !== systemMapping().gamma) return sketch.toProto();
  // Only the bins from the lowest to the highest key in use: the store grows in chunks of 128, so the
  // whole array is mostly zeros (a handful of values took over 1 KB; they now take a few bytes).
  const positive = spanOf(s.store, positiveSpan);
  const negative = spanOf(s.negativeStore, negativeSpan);
  return (COMPACT && writeCompactBytes(positive, negative, s.zeroCount)) || writeSketchBytes(mappingField(), positive, negative, s.zeroCount);
}

/**
 * The protobuf bytes of a sketch (the format encodeSketch wrote before the compact one, and still
 * writes when that cannot hold a sketch): for tests and benchmarks comparing the two.
 */
export function encodeSketchProtobuf(sketch: DDSketch): Uint8Array {
  if (sketch.count === 0) return new Uint8Array(0);
  const s = sketch as unknown as SketchInternals;
  if (s.mapping.gamma !== systemMapping().gamma) return sketch.toProto();
  return writeSketchBytes(mappingField(), spanOf(s.store, positiveSpan), spanOf(s.negativeStore, negativeSpan), s.zeroCount);
}

/** The encoded mapping field every sketch of this accuracy starts with (written by the library, once). */
let mappingBytes: Uint8Array | undefined;
function mappingField(): Uint8Array {
  return (mappingBytes ??= proto.DDSketch.encode(proto.DDSketch.create({ mapping: systemMapping().toProto() })).finish());
}

// Reused for every encoding (nothing keeps them past the call).
const positiveSpan: StoreSpan = { bins: [], from: 0, n: 0, key: 0 };
const negativeSpan: StoreSpan = { bins: [], from: 0, n: 0, key: 0 };

function spanOf(st: SketchInternals['store'], span: StoreSpan): StoreSpan {
  if (st.count === 0) return emptySpan();
  span.bins = st.bins;
  span.from = st.minKey - st.offset;
  span.n = st.maxKey - st.minKey + 1;
  span.key = st.minKey;
  return span;
}

// Scratch for encodeValues: counts by key (at most BIN_LIMIT per sign).
const positiveCounts = new Float64Array(BIN_LIMIT);
const negativeCounts = new Float64Array(BIN_LIMIT);


/**
 * Counts by key from the lowest key to the highest, as a trimmed store encodes them: keys more than
 * BIN_LIMIT below the highest fall into the lowest bin kept, as the collapsing store puts them.
 */
function binsOf(keys: Float64Array, n: number, counts: Float64Array, span: StoreSpan): StoreSpan {
  if (n === 0) return emptySpan();
  const keySpan = keyRange(keys, n);
  const max = keySpan.max;
  let min = keySpan.min;
  if (max - min + 1 > BIN_LIMIT) min = max - BIN_LIMIT + 1;
  const width = max - min + 1;
  counts.fill(0, 0, width);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    counts[k < min ? 0 : k - min]!++;
  }
  span.bins = counts;
  span.from = 0;
  span.n = width;
  span.key = min;
  return span;
}

/**
 * The bytes encodeSketch gives for a sketch of these values, without building the sketch: most
 * cells hold a handful of values, and a DDSketch with its stores for each was the cost of storing a
 * window (tests compare the two byte for byte).
 */
export function encodeValues(values: readonly number[]): Uint8Array {
  if (values.length === 0) return new Uint8Array(0);
  const { positives, negatives, zeroCount, positiveKeys, negativeKeys } = keysOf(values);
  const positive = binsOf(positiveKeys, positives, positiveCounts, positiveSpan);
  const negative = binsOf(negativeKeys, negatives, negativeCounts, negativeSpan);
  return (COMPACT && writeCompactBytes(positive, negative, zeroCount)) || writeSketchBytes(mappingField(), positive, negative, zeroCount);
}
