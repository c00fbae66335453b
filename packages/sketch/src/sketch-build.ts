// Building sketches: of a list of values at once (each store sized once), adding values, merging
// (negative bins too) and taking back what was merged in.
import type { DDSketch } from '@datadog/sketches-js';
import { CappedStore, zeroBins } from './capped-store.ts';
import { keyOf, MAPPING, MIN_POSSIBLE, newSketch, type KeyMapping, type SketchInternals } from './sketch.ts';

// Scratch for keysOf: the keys of a list's values by sign.
let positiveKeys = new Float64Array(64);
let negativeKeys = new Float64Array(64);

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
  for (let i = 0; i < values.length; i++) acceptValue(sketch, values[i]!);
}

/**
 * Adds one value to `sketch`, as `accept` does (keys inline, as acceptValues): a busy scope's cell
 * holds a sketch, and each of its events is one value into it.
 */
export function acceptValue(sketch: DDSketch, v: number): void {
  const s = sketch as unknown as SketchInternals;
  if (s.mapping !== MAPPING) {
    sketch.accept(v);
    return;
  }
  if (v > MIN_POSSIBLE) (s.store as unknown as CappedStore).add(keyOf(v), 1);
  else if (v < -MIN_POSSIBLE) (s.negativeStore as unknown as CappedStore).add(keyOf(-v), 1);
  else s.zeroCount += 1;
  s.count += 1;
  s.sum += v;
  if (v < s.min) s.min = v;
  if (v > s.max) s.max = v;
}

const range = { min: 0, max: 0 };

/** The lowest and highest of the first `n` (> 0) keys (into one object kept for it: valid until the next call). */
export function keyRange(keys: Float64Array, n: number): { readonly min: number; readonly max: number } {
  let min = keys[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    if (k < min) min = k;
    else if (k > max) max = k;
  }
  range.min = min;
  range.max = max;
  return range;
}

/** Counts `n` keys into an empty store; false (store untouched) when they span more than its limit. */
function fillStore(store: CappedStore, keys: Float64Array, n: number): boolean {
  if (n === 0) return true;
  const { min, max } = keyRange(keys, n);
  if (max - min + 1 > store.binLimit) return false;
  const bins = zeroBins(store._getNewLength(min, max));
  for (let i = 0; i < n; i++) bins[keys[i]! - min]!++;
  store.bins = bins;
  store.offset = store.minKey = min;
  store.maxKey = max;
  store.count = n;
  return true;
}

/** Splits values as DDSketch.accept does, into the scratch key arrays (valid until the next call). */
export function keysOf(values: readonly number[]): KeysOfValues {
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
  keyCounts.positiveKeys = positiveKeys;
  keyCounts.negativeKeys = negativeKeys;
  return keyCounts;
}
/** The keys of values by sign (valid until the next call: the arrays are scratch) and the zeros. */
export interface KeysOfValues {
  positives: number;
  negatives: number;
  zeroCount: number;
  positiveKeys: Float64Array;
  negativeKeys: Float64Array;
}
const keyCounts: KeysOfValues = { positives: 0, negatives: 0, zeroCount: 0, positiveKeys, negativeKeys };

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
