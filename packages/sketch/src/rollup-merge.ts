// Stored rollups merged: their counts added and their sketches merged (exactly: DDSketch bins add),
// for a figure over many windows or scopes, a stored sketch made of several, and a late correction
// joined to the rollup it corrects.
import type { RollupRecord } from '@wardwatch/schema';
import { newSketch } from './sketch.ts';
import { mergeSketch } from './sketch-build.ts';
import { decodeSketch } from './sketch-decode.ts';
import { encodeSketch } from './sketch-encode.ts';
import { quantile } from './sketch-quantiles.ts';

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
    if (record.sketch.length > 0) mergeSketch(sketch, decodeSketch(record.sketch));
  }
  return { count, valid, good, fast, quantile: (q) => quantile(sketch, q) };
}

/**
 * Stored sketches merged into one stored sketch (exactly: DDSketch bins add). One sketch is returned
 * as it is, without decoding; none gives the empty sketch a rollup without values stores.
 */
export function mergeStoredSketches(sketches: readonly Uint8Array[]): Uint8Array {
  if (sketches.length === 0) return new Uint8Array(0);
  if (sketches.length === 1) return sketches[0]!;
  const merged = decodeSketch(sketches[0]!);
  for (let i = 1; i < sketches.length; i++) mergeSketch(merged, decodeSketch(sketches[i]!));
  return encodeSketch(merged);
}

/**
 * One stored rollup plus a correction of the same (scope, metric, resolution, start): counts add and
 * sketches merge (exactly: DDSketch bins add), so the result is the rollup the window would have had
 * if every event had come on time.
 */
export function mergeRollupRecords(stored: RollupRecord, correction: RollupRecord): RollupRecord {
  const sketch = mergeStoredSketches([stored.sketch, correction.sketch].filter((s) => s.length > 0));
  return {
    ...stored,
    count: stored.count + correction.count,
    valid: stored.valid + correction.valid,
    good: stored.good + correction.good,
    fast: stored.fast + correction.fast,
    sketch,
  };
}
