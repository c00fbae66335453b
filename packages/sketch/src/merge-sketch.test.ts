import { describe, expect, it } from 'vitest';
import { mergeRollups, mergeStoredSketches } from './rollup-merge.ts';
import { newSketch } from './sketch.ts';
import { mergeSketch, sketchOf } from './sketch-build.ts';
import { decodeSketch } from './sketch-decode.ts';
import { encodeSketch } from './sketch-encode.ts';
import { quantile } from './sketch-quantiles.ts';

// A merge must give the sketch of all the values at once, whatever their signs: the library's own
// DDSketch.merge drops the negative bins when both sides hold values.
const QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];
const quantilesOf = (values: readonly number[]) => {
  const whole = sketchOf([...values]);
  return QUANTILES.map((q) => quantile(whole, q));
};

describe('merging sketches', () => {
  it.each([
    { name: 'positive into positive', a: [10, 20, 30], b: [40, 50] },
    { name: 'negative into negative', a: [-10, -20, -30], b: [-40, -5] },
    { name: 'negative into positive', a: [10, 20, 30], b: [-40, -50, -60, -70] },
    { name: 'positive into negative', a: [-10, -20], b: [40, 50, 60] },
    { name: 'both signs and zeros on each side', a: [-3, 0, 3, -300, 300], b: [0, -1, 1, -7, 7, -70] },
    { name: 'into an empty sketch', a: [], b: [-5, 5, -50] },
    { name: 'an empty sketch in', a: [-5, 5, -50], b: [] },
  ])('$name: the quantiles of all the values at once', ({ a, b }) => {
    const into = sketchOf([...a]);
    mergeSketch(into, sketchOf([...b]));
    expect(into.count).toBe(a.length + b.length);
    expect(QUANTILES.map((q) => quantile(into, q))).toEqual(quantilesOf([...a, ...b]));
  });

  it('stored sketches and rollups with negative values merge as the values would', () => {
    const a = [-120, -80, -60, 10];
    const b = [-90, -70, -65, -50, 20];
    const stored = mergeStoredSketches([encodeSketch(sketchOf([...a])), encodeSketch(sketchOf([...b]))]);
    expect(QUANTILES.map((q) => quantile(decodeSketch(stored), q))).toEqual(quantilesOf([...a, ...b]));
    const record = (values: number[]) => ({ scope: 'site:S', metric: 'wifi.signalDbm', resolution: '1m', start: 0, count: values.length, valid: values.length, good: values.length, fast: values.length, sketch: encodeSketch(sketchOf([...values])) }) as const;
    const merged = mergeRollups([record(a), record(b)]);
    expect(QUANTILES.map((q) => merged.quantile(q))).toEqual(quantilesOf([...a, ...b]));
  });

  it('is what the library gives where it is right: positive values only', () => {
    const ours = sketchOf([1, 2, 3, 400]);
    const library = sketchOf([1, 2, 3, 400]);
    mergeSketch(ours, sketchOf([5, 6000]));
    library.merge(sketchOf([5, 6000]));
    expect(Buffer.from(encodeSketch(ours))).toEqual(Buffer.from(encodeSketch(library)));
    expect(newSketch().count).toBe(0);
  });
});
