// DDSketch helpers: one relative accuracy for the whole system, (de)serialisation for the store, and
// quantiles from stored bytes. Quantiles are always read from (merged) sketches, never averaged.
import { DDSketch } from '@datadog/sketches-js';
import type { RollupRecord } from '@wardwatch/store';

/** 1 % relative error: a p95 of 2.00 s is reported between 1.98 s and 2.02 s. */
export const RELATIVE_ACCURACY = 0.01;

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
}

export function encodeSketch(sketch: DDSketch): Uint8Array {
  return sketch.count === 0 ? new Uint8Array(0) : sketch.toProto();
}

export function decodeSketch(bytes: Uint8Array): DDSketch {
  return bytes.length === 0 ? newSketch() : DDSketch.fromProto(bytes);
}

/** The value at quantile q, or null for an empty sketch. */
export function quantile(sketch: DDSketch, q: number): number | null {
  return sketch.count === 0 ? null : sketch.getValueAtQuantile(q);
}

export function sketchQuantiles(bytes: Uint8Array, qs: number[]): (number | null)[] {
  if (bytes.length === 0) return qs.map(() => null);
  const sketch = decodeSketch(bytes);
  return qs.map((q) => quantile(sketch, q));
}

export interface MergedRollup {
  count: number;
  valid: number;
  good: number;
  fast: number;
  quantile(q: number): number | null;
}

/** Merges stored rollups (any mix of windows and scopes) into one figure set. */
export function mergeRollups(records: readonly RollupRecord[]): MergedRollup {
  const sketch = newSketch();
  let count = 0;
  let valid = 0;
  let good = 0;
  let fast = 0;
  for (const record of records) {
    count += record.count;
    valid += record.valid;
    good += record.good;
    fast += record.fast;
    if (record.sketch.length > 0) sketch.merge(decodeSketch(record.sketch));
  }
  return { count, valid, good, fast, quantile: (q) => quantile(sketch, q) };
}
