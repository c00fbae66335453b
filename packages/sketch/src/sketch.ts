// The system's DDSketch: one relative accuracy for the whole system, at most BIN_LIMIT bins per sign,
// an empty sketch of them, and the key arithmetic and bin values every part shares (building,
// encoding, decoding, quantiles, bins: sketch-build.ts, sketch-encode.ts, sketch-decode.ts,
// sketch-quantiles.ts, sketch-bins.ts). Quantiles are always read from (merged) sketches, never
// averaged. Every sketch — built, merged or decoded — keeps at most BIN_LIMIT bins per sign: past that
// the lowest bins collapse into one (DDSketch's collapsing-lowest store), so the high quantiles the
// status rules and SLOs read stay within the relative accuracy, and no value range can blow up state.
import { createRequire } from 'node:module';
import { DDSketch } from '@datadog/sketches-js';
import { CappedStore } from './capped-store.ts';

// The library's toProto/fromProto call require() on every use, which costs a module resolution per
// sketch (seconds per minute of telemetry under a loader). The same protobuf messages, loaded once:
const require = createRequire(import.meta.url);
export const proto = require('@datadog/sketches-js/dist/ddsketch/proto/compiled.js') as {
  DDSketch: { create(m: object): object; encode(m: object): { finish(): Uint8Array }; decode(b: Uint8Array): ProtoSketch };
  Store: { create(m: object): object };
};
export interface ProtoSketch {
  mapping: { gamma: number; indexOffset: number; interpolation: number };
  positiveValues: unknown;
  negativeValues: unknown;
  zeroCount: number;
}
export interface SketchInternals {
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
export const MAPPING = (new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }) as unknown as SketchInternals).mapping;

export interface KeyMapping {
  gamma: number;
  minPossible: number;
  key(value: number): number;
  value(key: number): number;
  toProto(): object;
}
/** The mapping of this system's accuracy (every sketch newSketch builds has an equal one). */
export const systemMapping = (): KeyMapping => MAPPING as unknown as KeyMapping;

/** An empty sketch of this system's accuracy, its stores capped at BIN_LIMIT bins. */
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

// The mapping's key(v) is ⌈log₂ v × multiplier⌉ + offset (offset 0 here, which also turns −0 into 0):
// the same arithmetic inline, without two calls through its prototype per bin (a test holds it to the
// mapping's key).
const KEY_MULTIPLIER = (MAPPING as unknown as { _multiplier: number })._multiplier;
export const MIN_POSSIBLE = systemMapping().minPossible;

/** This system's key of a positive value (> MIN_POSSIBLE): the mapping's key(v), without the calls. */
export function keyOf(v: number): number {
  return Math.ceil(Math.log2(v) * KEY_MULTIPLIER) + 0;
}

/** A stored bin count that is a count: positive and finite (others are dropped on reading). */
export const valid = (c: number) => c > 0 && c < Infinity;

/** Bin values by key (the mapping's pow is most of the cost of reading many sketches' bins). */
const binValues = new Map<number, number>();
export function binValue(mapping: KeyMapping, key: number): number {
  const cached = binValues.get(key);
  if (cached !== undefined) return cached;
  const v = mapping.value(key);
  binValues.set(key, v);
  return v;
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
