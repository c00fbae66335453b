// DDSketch helpers: one relative accuracy for the whole system, (de)serialisation for the store, and
// quantiles from stored bytes. Quantiles are always read from (merged) sketches, never averaged.
// Stored bytes are written in the compact format (compact-bytes.ts) and read in it or in the
// library's protobuf message, which rows were written as before it (sketch-bytes.ts).
// Every sketch — built, merged or decoded — keeps at most BIN_LIMIT bins per sign: past that the
// lowest bins collapse into one (DDSketch's collapsing-lowest store), so the high quantiles the
// status rules and SLOs read stay within the relative accuracy, and no value range can blow up state.
import { createRequire } from 'node:module';
import { DDSketch } from '@datadog/sketches-js';
import { CappedStore, zeroBins } from './capped-store.ts';
import { emptySpan, writeSketchBytes, type StoreSpan } from './sketch-bytes.ts';
import { isCompact, MAPPING_LOG_1PCT_ACCURACY, readCompactBytes, writeCompactBytes } from './compact-bytes.ts';

// The library's toProto/fromProto call require() on every use, which costs a module resolution per
// sketch (seconds per minute of telemetry under a loader). The same protobuf messages, loaded once:
const require = createRequire(import.meta.url);
const proto = require('@datadog/sketches-js/dist/ddsketch/proto/compiled.js') as {
  DDSketch: { create(m: object): object; encode(m: object): { finish(): Uint8Array }; decode(b: Uint8Array): ProtoSketch };
  Store: { create(m: object): object };
};
interface ProtoSketch {
  mapping: { gamma: number; indexOffset: number; interpolation: number };
  positiveValues: unknown;
  negativeValues: unknown;
  zeroCount: number;
}
interface SketchInternals {
  mapping: { gamma: number; toProto(): object };
  store: { bins: number[]; offset: number; count: number; minKey: number; maxKey: number };
  negativeStore: { bins: number[]; offset: number; count: number; minKey: number; maxKey: number };
  zeroCount: number;
  count: number;
  min: number;
  max: number;
  sum: number;
}

/** 1 % relative error: a p95 of 2.00 s is reported between 1.98 s and 2.02 s. */
export const RELATIVE_ACCURACY = 0.01;

/**
 * Bins per sign at most. At 1 % accuracy 2048 bins span a factor of 6 × 10^17 (1 µs to 19,000
 * years); only values further below the highest than that lose their resolution.
 */
export const BIN_LIMIT = 2048;

/** The accuracy's key mapping, shared by every sketch built here (it holds no state). */
const MAPPING = (new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }) as unknown as SketchInternals).mapping;

export function newSketch(): DDSketch {
  // What the library's constructor builds, without the mapping and the two uncapped stores it
  // would make only for them to be replaced: a window's end builds thousands of sketches.
  const s = Object.create(DDSketch.prototype) as SketchInternals;
  s.mapping = MAPPING;
  s.store = new CappedStore(BIN_LIMIT);
  s.negativeStore = new CappedStore(BIN_LIMIT);
  s.zeroCount = 0;
  s.count = 0;
  s.min = Infinity;
  s.max = -Infinity;
  s.sum = 0;
  return s as unknown as DDSketch;
}

/**
 * A sketch of `values`: the same bins, counts and summary as accepting them one by one, but each
 * store sized once for its range instead of growing (and re-centring) as keys arrive.
 */
export function sketchOf(values: readonly number[]): DDSketch {
  const sketch = newSketch();
  const s = sketch as unknown as SketchInternals;
  const { positives, negatives, zeroCount } = keysOf(values);
  if (!fillStore(s.store as CappedStore, positiveKeys, positives) || !fillStore(s.negativeStore as CappedStore, negativeKeys, negatives)) {
    // Wider than the bin limit: the stores' own collapsing decides where the lowest go.
    const slow = newSketch();
    for (let i = 0; i < values.length; i++) slow.accept(values[i]!);
    return slow;
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  s.zeroCount = zeroCount;
  s.count = values.length;
  s.sum = sum;
  s.min = min;
  s.max = max;
  return sketch;
}

/**
 * Adds `values` to `sketch`, as `accept` does for each: the same bins, counts and summary. Keys worked
 * out inline for a sketch of this system's mapping — a window's end adds the values of thousands of
 * small cells to coarser cells that hold sketches, two calls through the mapping's prototype a value.
 */
export function acceptValues(sketch: DDSketch, values: readonly number[]): void {
  const s = sketch as unknown as SketchInternals;
  if (s.mapping !== MAPPING) {
    for (let i = 0; i < values.length; i++) sketch.accept(values[i]!);
    return;
  }
  const positive = s.store as unknown as CappedStore;
  const negative = s.negativeStore as unknown as CappedStore;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > MIN_POSSIBLE) positive.add(keyOf(v), 1);
    else if (v < -MIN_POSSIBLE) negative.add(keyOf(-v), 1);
    else s.zeroCount += 1;
    s.count += 1;
    s.sum += v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
  }
}

/** Counts `n` keys into an empty store; false (store untouched) when they span more than its limit. */
function fillStore(store: CappedStore, keys: Float64Array, n: number): boolean {
  if (n === 0) return true;
  let min = keys[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    if (k < min) min = k;
    else if (k > max) max = k;
  }
  if (max - min + 1 > store.binLimit) return false;
  const bins = zeroBins(store._getNewLength(min, max));
  for (let i = 0; i < n; i++) bins[keys[i]! - min]!++;
  store.bins = bins;
  store.offset = store.minKey = min;
  store.maxKey = max;
  store.count = n;
  return true;
}

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

interface KeyMapping {
  gamma: number;
  minPossible: number;
  key(value: number): number;
  value(key: number): number;
  toProto(): object;
}
/** The mapping of this system's accuracy (every sketch newSketch builds has an equal one). */
const systemMapping = (): KeyMapping => MAPPING as unknown as KeyMapping;
/** The compact format names its mapping by a byte; it is written only when that is this system's. */
const COMPACT = RELATIVE_ACCURACY === MAPPING_LOG_1PCT_ACCURACY;

// Scratch for encodeValues: keys of the values, then counts by key (at most BIN_LIMIT per sign).
let positiveKeys = new Float64Array(64);
let negativeKeys = new Float64Array(64);
const positiveCounts = new Float64Array(BIN_LIMIT);
const negativeCounts = new Float64Array(BIN_LIMIT);

/**
 * Counts by key from the lowest key to the highest, as a trimmed store encodes them: keys more than
 * BIN_LIMIT below the highest fall into the lowest bin kept, as the collapsing store puts them.
 */
function binsOf(keys: Float64Array, n: number, counts: Float64Array, span: StoreSpan): StoreSpan {
  if (n === 0) return emptySpan();
  let min = keys[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    if (k < min) min = k;
    else if (k > max) max = k;
  }
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

/** Splits values as DDSketch.accept does, into the scratch key arrays (valid until the next call). */
function keysOf(values: readonly number[]): { positives: number; negatives: number; zeroCount: number } {
  if (positiveKeys.length < values.length) {
    positiveKeys = new Float64Array(values.length);
    negativeKeys = new Float64Array(values.length);
  }
  let positives = 0;
  let negatives = 0;
  let zeroCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > MIN_POSSIBLE) positiveKeys[positives++] = keyOf(v);
    else if (v < -MIN_POSSIBLE) negativeKeys[negatives++] = keyOf(-v);
    else zeroCount++;
  }
  keyCounts.positives = positives;
  keyCounts.negatives = negatives;
  keyCounts.zeroCount = zeroCount;
  return keyCounts;
}
const keyCounts = { positives: 0, negatives: 0, zeroCount: 0 };

/**
 * The bytes encodeSketch gives for a sketch of these values, without building the sketch: most
 * cells hold a handful of values, and a DDSketch with its stores for each was the cost of storing a
 * window (tests compare the two byte for byte).
 */
export function encodeValues(values: readonly number[]): Uint8Array {
  if (values.length === 0) return new Uint8Array(0);
  const { positives, negatives, zeroCount } = keysOf(values);
  const positive = binsOf(positiveKeys, positives, positiveCounts, positiveSpan);
  const negative = binsOf(negativeKeys, negatives, negativeCounts, negativeSpan);
  return (COMPACT && writeCompactBytes(positive, negative, zeroCount)) || writeSketchBytes(mappingField(), positive, negative, zeroCount);
}

interface ProtoStore {
  contiguousBinCounts?: number[] | null;
  contiguousBinIndexOffset?: number | null;
}

const valid = (c: number) => c > 0 && c < Infinity;

/**
 * A collapsing store holding a stored store's bins (`counts[0 … length)`, the first of key `offset`), at
 * most BIN_LIMIT of them: the bins below the highest BIN_LIMIT are summed into the lowest kept. Built
 * directly (adding bin by bin re-centres the array at every new key); counts that are not positive
 * finite numbers are not counts, and are dropped.
 */
function storeOf(counts: readonly number[], length: number, offset: number): CappedStore {
  const store = new CappedStore(BIN_LIMIT);
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi && !valid(counts[lo]!)) lo++;
  while (hi >= lo && !valid(counts[hi]!)) hi--;
  if (lo > hi) return store;
  const first = Math.max(lo, hi - BIN_LIMIT + 1);
  const used = hi - first + 1;
  const bins = new Array<number>(Math.min(store.chunkSize * Math.ceil(used / store.chunkSize), BIN_LIMIT)).fill(0);
  let count = 0;
  for (let i = lo; i <= hi; i++) {
    const c = counts[i]!;
    if (!valid(c)) continue;
    bins[i < first ? 0 : i - first]! += c;
    count += c;
  }
  store.bins = bins;
  store.offset = store.minKey = offset + first;
  store.maxKey = offset + hi;
  store.count = count;
  store.isCollapsed = first > lo;
  return store;
}

function storeFromProto(stored: ProtoStore | null | undefined): CappedStore {
  const counts = stored?.contiguousBinCounts ?? [];
  return storeOf(counts, counts.length, stored?.contiguousBinIndexOffset ?? 0);
}

/**
 * The protobuf message of stored bytes, or an Error saying they are not one (protobufjs's own errors
 * name an offset, not what was being read).
 */
function decodeProto(bytes: Uint8Array): ProtoSketch {
  let decoded: ProtoSketch;
  try {
    decoded = proto.DDSketch.decode(bytes);
  } catch (error) {
    throw new Error(`stored sketch (protobuf, ${bytes.length} bytes) is corrupt: ${(error as Error).message}`, { cause: error });
  }
  const gamma = (decoded.mapping as ProtoSketch['mapping'] | null)?.gamma;
  if (!(typeof gamma === 'number' && gamma > 1 && gamma < Infinity)) {
    throw new Error(`stored sketch (protobuf, ${bytes.length} bytes) is corrupt: it has no key mapping (γ ${String(gamma)})`);
  }
  return decoded;
}

/**
 * A sketch from stored bytes, of either format (compact-bytes.ts, or the protobuf message rows were
 * written as before it): empty bytes are an empty sketch; bytes that are neither throw an Error.
 */
export function decodeSketch(bytes: Uint8Array): DDSketch {
  if (bytes.length === 0) return newSketch();
  if (isCompact(bytes)) {
    const { positive, negative, zeroCount } = readCompactBytes(bytes);
    const sketch = newSketch();
    const s = sketch as unknown as SketchInternals;
    s.store = storeOf(positive.counts, positive.n, positive.key);
    s.negativeStore = storeOf(negative.counts, negative.n, negative.key);
    s.zeroCount = zeroCount;
    s.count = s.store.count + s.negativeStore.count + zeroCount;
    return sketch;
  }
  const decoded = decodeProto(bytes);
  let sketch = newSketch();
  let s = sketch as unknown as SketchInternals;
  // Sketches written with another accuracy take the library's own path for their mapping (stores
  // left out: they are built capped here like any other).
  if (Math.abs(decoded.mapping.gamma - s.mapping.gamma) > 1e-12) {
    const empty = proto.Store.create({ contiguousBinCounts: [], contiguousBinIndexOffset: 0 });
    sketch = DDSketch.fromProto(proto.DDSketch.encode(proto.DDSketch.create({ mapping: decoded.mapping, positiveValues: empty, negativeValues: empty, zeroCount: 0 })).finish());
    s = sketch as unknown as SketchInternals;
  }
  s.store = storeFromProto(decoded.positiveValues as ProtoStore);
  s.negativeStore = storeFromProto(decoded.negativeValues as ProtoStore);
  const zeros = decoded.zeroCount;
  s.zeroCount = zeros > 0 && zeros < Infinity ? zeros : 0;
  s.count = s.store.count + s.negativeStore.count + s.zeroCount;
  return sketch;
}

/**
 * Takes from `into` what was once merged into it: the bins of `other` (a sketch), or of `values`.
 * Bin counts are plain sums, so this is exact — unless `into` has collapsed its lowest bins, when the
 * bins it holds are no longer the ones merged in: then nothing is changed and the answer is false
 * (the caller rebuilds from the parts). Summary fields the quantiles do not read (min, max, sum) are
 * left as they were.
 */
export function subtractFromSketch(into: DDSketch, other: DDSketch | readonly number[]): boolean {
  const s = into as unknown as SketchInternals;
  if ((s.store as Partial<CappedStore>).isCollapsed || (s.negativeStore as Partial<CappedStore>).isCollapsed) return false;
  if (Array.isArray(other)) {
    // Keys worked out inline when the sketch is of this system's mapping (every sketch newSketch builds).
    const ours = s.mapping === MAPPING;
    const mapping = s.mapping as unknown as KeyMapping;
    const values = other as readonly number[];
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > mapping.minPossible) takeBin(s.store, ours ? keyOf(v) : mapping.key(v), 1);
      else if (v < -mapping.minPossible) takeBin(s.negativeStore, ours ? keyOf(-v) : mapping.key(-v), 1);
      else s.zeroCount -= 1;
      s.count -= 1;
    }
    return true;
  }
  // One store at a time (a pair of arrays per call to loop over the two was a window end's garbage).
  const o = other as unknown as SketchInternals;
  takeStore(o.store, s.store);
  takeStore(o.negativeStore, s.negativeStore);
  s.zeroCount -= o.zeroCount;
  s.count -= o.count;
  return true;
}

function takeStore(from: SketchInternals['store'], to: SketchInternals['store']): void {
  if (from.count === 0) return;
  for (let key = from.minKey; key <= from.maxKey; key++) {
    const n = from.bins[key - from.offset];
    if (n) to.bins[key - to.offset]! -= n;
  }
  to.count -= from.count;
}

function takeBin(store: SketchInternals['store'], key: number, n: number): void {
  store.bins[key - store.offset]! -= n;
  store.count -= n;
}

/**
 * The value at quantile q, or null for an empty sketch: the library's getValueAtQuantile, the same
 * rank rule and bin values — for a sketch of this system's mapping each bin's value is taken from the
 * cache sketchBinValue keeps (a power of γ per quantile otherwise), and the bins walked without a call
 * per bin for the store's length. Statuses read three or four quantiles a scope at every evaluation.
 */
export function quantile(sketch: DDSketch, q: number): number | null {
  if (sketch.count === 0) return null;
  const s = sketch as unknown as SketchInternals;
  if (s.mapping !== MAPPING || !(q >= 0 && q <= 1)) return sketch.getValueAtQuantile(q);
  const rank = q * (s.count - 1);
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

/** Whether getValueAtQuantile finds quantile `q` among the positive bins (as it works out the rank). */
function inPositiveBins(q: number, last: number, negatives: number, zeroCount: number): boolean {
  return q >= 0 && q <= 1 && !(q * last < negatives) && !(q * last < zeroCount + negatives);
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
  const last = s.count - 1;
  // Another mapping, ranks among the negative values or zeros (qs ascend: a prefix), a quantile
  // outside [0, 1]: one by one. The ranks worked out as the library does, to the last bit.
  let i = 0;
  if (s.mapping !== MAPPING || s.count === 0) i = qs.length;
  while (i < qs.length && !inPositiveBins(qs[i]!, last, negatives, zeroCount)) i++;
  for (let k = 0; k < i; k++) out[k] = quantile(sketch, qs[k]!);
  const bins = store.bins;
  let running = 0;
  let at = Math.max(0, store.minKey - store.offset);
  for (; i < qs.length; i++) {
    const q = qs[i]!;
    if (!inPositiveBins(q, last, negatives, zeroCount)) {
      out[i] = quantile(sketch, q);
      continue;
    }
    const rank = q * last - zeroCount - negatives;
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

/**
 * Adds `other` into `into`, negative bins too. The library's `DDSketch.merge` adds only the positive
 * store (DataDog/sketches-js issue 22, open): a sketch holding negative values kept their count
 * after a merge but lost their bins, and its quantiles went wrong. Nothing the processor sketches is
 * negative today, but every merge of sketches goes through here so that none can be.
 */
export function mergeSketch(into: DDSketch, other: DDSketch): void {
  // An empty `into` takes a copy of both stores (the library's own path), and an empty `other` adds nothing.
  const both = into.count > 0 && other.count > 0;
  into.merge(other);
  if (both && other.negativeStore.count > 0) into.negativeStore.merge(other.negativeStore);
}

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

/** Bin values by key (the mapping's pow is most of the cost of reading many sketches' bins). */
const binValues = new Map<number, number>();
function binValue(mapping: KeyMapping, key: number): number {
  const cached = binValues.get(key);
  if (cached !== undefined) return cached;
  const v = mapping.value(key);
  binValues.set(key, v);
  return v;
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

/** Keys whose values are cached in an array (values from ~10⁻¹⁸ to ~10¹⁸: every duration, dBm or percentage). */
const CACHED_KEYS = 2048;
const valueByKey = new Float64Array(2 * CACHED_KEYS).fill(NaN);

/**
 * The value of this system's bin `key` (a bin of positive values), exactly as sketchBins gives it:
 * cached, as the mapping's power is most of the cost of reading many sketches' bins.
 */
export function sketchBinValue(key: number): number {
  const i = key + CACHED_KEYS;
  if (i < 0 || i >= valueByKey.length) return binValue(systemMapping(), key);
  const v = valueByKey[i]!;
  if (v === v) return v;
  return (valueByKey[i] = binValue(systemMapping(), key));
}

/**
 * The key of the bin holding `value` in this system's mapping, with its sign as walkSketchBins reports
 * it: 1 for a positive value, −1 for a negative one (the key of its magnitude), 0 for the zero bin
 * (the key is then 0). Written into `out` (no object per call).
 */
export function sketchBinKey(value: number, out: { sign: number; key: number }): void {
  if (value > MIN_POSSIBLE) {
    out.sign = 1;
    out.key = keyOf(value);
  } else if (value < -MIN_POSSIBLE) {
    out.sign = -1;
    out.key = keyOf(-value);
  } else {
    out.sign = 0;
    out.key = 0;
  }
}
// The mapping's key(v) is ⌈log₂ v × multiplier⌉ + offset (offset 0 here, which also turns −0 into 0):
// the same arithmetic inline, without two calls through its prototype per bin (a test holds it to the
// mapping's key).
const KEY_MULTIPLIER = (MAPPING as unknown as { _multiplier: number })._multiplier;
const MIN_POSSIBLE = systemMapping().minPossible;

/** This system's key of a positive value (> MIN_POSSIBLE): the mapping's key(v), without the calls. */
function keyOf(v: number): number {
  return Math.ceil(Math.log2(v) * KEY_MULTIPLIER) + 0;
}
