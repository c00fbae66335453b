// The window's-end shortcuts against the library's own paths: acceptValues and subtractFromSketch
// against accepting value by value, quantile against getValueAtQuantile at the same rank, and the zero bins stores are
// cut from. Each must leave every sketch, and every figure read from it, as the library would.
import { describe, expect, it } from 'vitest';
import { zeroBins } from './capped-store.ts';
import { newSketch } from './sketch.ts';
import { acceptValue, acceptValues, mergeSketch, sketchOf, subtractFromSketch } from './sketch-build.ts';
import { encodeSketch } from './sketch-encode.ts';
import { quantile, quantileRank, quantilesInto } from './sketch-quantiles.ts';
import { logNormal, mulberry32 } from './test-random.ts';

interface Internals {
  store: { bins: number[]; offset: number; minKey: number; maxKey: number; count: number; isCollapsed: boolean };
  negativeStore: { bins: number[]; offset: number; minKey: number; maxKey: number; count: number; isCollapsed: boolean };
  zeroCount: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}
const view = (sketch: unknown) => {
  const s = sketch as Internals;
  const store = (st: Internals['store']) => ({ bins: [...st.bins], offset: st.offset, minKey: st.minKey, maxKey: st.maxKey, count: st.count, isCollapsed: st.isCollapsed });
  return { store: store(s.store), negative: store(s.negativeStore), zeroCount: s.zeroCount, count: s.count, sum: s.sum, min: s.min, max: s.max };
};

const random = mulberry32(20261201);
const CASES: Array<{ name: string; before: number[]; values: number[] }> = [
  { name: 'response times into an empty sketch', before: [], values: Array.from({ length: 200 }, () => logNormal(random, 450, 0.6)) },
  { name: 'a few values into a sketch of many', before: Array.from({ length: 100 }, () => logNormal(random, 900, 0.3)), values: [12, 4_000, 900.5] },
  { name: 'negatives, zeros and −0', before: [5, -5], values: [-3, 0, -0, 1e-320, -1e-320, 7, -700] },
  { name: 'keys below the range the sketch holds', before: [1_000_000, 2_000_000], values: [0.001, 3] },
  { name: 'a range wider than the bin limit (the lowest bins collapse)', before: [1e12], values: [1e-9, 1e-6, 5] },
  { name: 'nothing', before: [1, 2, 3], values: [] },
];

describe('acceptValues', () => {
  it.each(CASES)('$name: the same sketch as accepting each value', ({ before, values }) => {
    const one = newSketch();
    const all = newSketch();
    for (const v of before) one.accept(v), all.accept(v);
    for (const v of values) one.accept(v);
    acceptValues(all, values);
    expect(view(all)).toEqual(view(one));
    expect(encodeSketch(all)).toEqual(encodeSketch(one));
  });
});

describe('acceptValue', () => {
  it.each(CASES)('$name: the same sketch as accepting each value', ({ before, values }) => {
    const one = newSketch();
    const each = newSketch();
    for (const v of before) one.accept(v), each.accept(v);
    for (const v of values) one.accept(v), acceptValue(each, v);
    expect(view(each)).toEqual(view(one));
    expect(encodeSketch(each)).toEqual(encodeSketch(one));
  });
});

const QS = [0, 0.25, 0.5, 0.95, 0.99, 1];

describe('subtractFromSketch', () => {
  // Not the collapsed one (refused, below).
  it.each(CASES.filter((c) => !c.name.startsWith('a range wider')))(
    '$name: taking values out leaves the bins and counts of never having added them',
    ({ before, values }) => {
      const kept = sketchOf(before);
      const sketch = sketchOf(before);
      acceptValues(sketch, values);
      expect(subtractFromSketch(sketch, values)).toBe(true);
      expect(view(sketch).store.bins.filter((n) => n !== 0)).toEqual(view(kept).store.bins.filter((n) => n !== 0));
      expect(view(sketch).negative.bins.filter((n) => n !== 0)).toEqual(view(kept).negative.bins.filter((n) => n !== 0));
      expect(sketch.count).toBe(kept.count);
      // (The key range it spans stays as wide: quantiles, not the stored bytes, are what it answers.)
      for (const q of QS) expect(quantile(sketch, q)).toBe(quantile(kept, q));
      // A sketch's worth at once, as a window leaving the horizon does.
      const again = sketchOf(before);
      const part = sketchOf(values);
      mergeSketch(again, part);
      expect(subtractFromSketch(again, part)).toBe(true);
      expect(again.count).toBe(kept.count);
      for (const q of QS) expect(quantile(again, q)).toBe(quantile(kept, q));
    },
  );

  it('refuses a sketch whose lowest bins collapsed', () => {
    const sketch = sketchOf([1e12]);
    acceptValues(sketch, [1e-9]);
    expect(subtractFromSketch(sketch, [1e-9])).toBe(false);
  });
});

describe('zeroBins', () => {
  it.each([0, 1, 128, 2048, 4096])('%i zeros, each array its own', (length) => {
    const a = zeroBins(length);
    expect(a).toEqual(new Array(length).fill(0));
    if (length > 0) a[0] = 5;
    expect(zeroBins(length).every((n) => n === 0)).toBe(true);
  });
});

describe('quantile', () => {
  const r = mulberry32(7);
  const sketches: Array<{ name: string; values: number[]; minus?: number[] }> = [
    { name: 'one value', values: [450] },
    { name: 'response times', values: Array.from({ length: 500 }, () => logNormal(r, 450, 0.8)) },
    { name: 'Wi-Fi signal (−dBm)', values: Array.from({ length: 90 }, () => Math.round(40 + 45 * r())) },
    { name: 'negatives and zeros', values: [-3, -3, -70, 0, 0, 5, 9, 1e-320] },
    { name: 'only negatives', values: [-1, -2, -400] },
    { name: 'wider than the bin limit', values: [1e-12, 1e-6, 1, 1e12] },
    { name: 'values taken out again', values: Array.from({ length: 200 }, (_, i) => 10 + i), minus: Array.from({ length: 150 }, (_, i) => 10 + i) },
  ];
  it.each(sketches)('$name: what getValueAtQuantile gives at the nearest rank, at every quantile', ({ values, minus }) => {
    const sketch = newSketch();
    acceptValues(sketch, values);
    if (minus) expect(subtractFromSketch(sketch, minus)).toBe(true);
    const n = sketch.count;
    // The library's rule takes the first bin whose running count passes q·(n − 1): asked for half a
    // value past the nearest rank, its own walk lands on that rank.
    const atNearestRank = (q: number) => sketch.getValueAtQuantile(n > 1 ? Math.min(1, (quantileRank(q, n) + 0.5) / (n - 1)) : 0);
    for (let i = 0; i <= 1000; i++) {
      const q = i / 1000;
      expect(quantile(sketch, q)).toBe(atNearestRank(q));
    }
    // Outside [0, 1]: no quantile.
    for (const q of [-0.1, 1.1, NaN]) expect(quantile(sketch, q)).toBeNull();
  });

  it.each([
    // [q, n, the 0-based position]: ⌈q·n⌉ − 1
    [0.95, 10, 9],
    [0.95, 19, 18],
    [0.95, 20, 18],
    [0.95, 21, 19],
    [0.95, 22, 20],
    [0.95, 100, 94],
    [0.99, 100, 98],
    [0.5, 2, 0],
    [0.5, 3, 1],
    [0.9, 10, 8],
    [0, 5, 0],
    [1, 5, 4],
    [0.95, 1, 0],
  ])('p%s of %s values is the value at position %s in order (nearest rank)', (q, n, position) => {
    expect(quantileRank(q, n)).toBe(position);
  });

  it('agrees with an SLO\u2019s count: the p95 is within a threshold exactly when 95 % of the values are', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(random() * 60);
      const values = Array.from({ length: n }, () => Math.round(random() * 100));
      const sorted = [...values].sort((a, b) => a - b);
      const p95 = sorted[quantileRank(0.95, n)]!;
      for (const threshold of [10, 50, 90, 99]) {
        const share = values.filter((v) => v <= threshold).length / n;
        expect(p95 <= threshold, `n ${n}, threshold ${threshold}, share ${share}`).toBe(share >= 0.95);
      }
    }
  });

  it.each(sketches)('$name: quantilesInto gives what each quantile alone gives', ({ values, minus }) => {
    const sketch = newSketch();
    acceptValues(sketch, values);
    if (minus) subtractFromSketch(sketch, minus);
    const grid = Array.from({ length: 201 }, (_, i) => i / 200);
    for (const qs of [[0.5, 0.95, 0.99], [0, 1], grid, [-0.5, 0, 0.3, 1, 1.5], [0.99], []]) {
      const out: Array<number | null> = [];
      quantilesInto(sketch, qs, out);
      expect(out).toEqual(qs.map((q) => quantile(sketch, q)));
    }
    const empty: Array<number | null> = [];
    quantilesInto(newSketch(), [0.5, 0.95], empty);
    expect(empty).toEqual([null, null]);
  });

  it('null for an empty sketch', () => {
    expect(quantile(newSketch(), 0.5)).toBeNull();
  });
});
