// BinCounts keeps counts by bin key on typed arrays; its figures must be the ones counts kept by bin
// value in a Map gave (what it replaced, kept here as the reference), for any sketches added in any order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeValues, quantileRank, sketchBins } from '@wardwatch/sketch';
import { BinCounts } from './bin-counts.ts';
import { KeyCounts } from './key-counts.ts';

const GAMMA = 1.01 / 0.99;
const UPPER_PER_VALUE = (1 + GAMMA) / 2;

/** The Map version, as it was: counts by bin value, walked in insertion order (sorted for quantiles). */
class MapBinCounts {
  readonly counts = new Map<number, number>();
  total = 0;
  addSketch(bytes: Uint8Array): this {
    const { values, counts } = sketchBins(bytes);
    for (let i = 0; i < values.length; i++) this.addBin(values[i]!, counts[i]!);
    return this;
  }
  addBin(value: number, count: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
    this.total += count;
  }
  minus(other: MapBinCounts): MapBinCounts {
    const out = new MapBinCounts();
    for (const [value, count] of this.counts) {
      const left = count - (other.counts.get(value) ?? 0);
      if (left > 0) out.addBin(value, left);
    }
    return out;
  }
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = quantileRank(q, this.total);
    let seen = 0;
    const bins = [...this.counts].sort((a, b) => a[0] - b[0]);
    for (const [value, count] of bins) {
      seen += count;
      if (seen > rank) return value;
    }
    return bins[bins.length - 1]![0];
  }
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
}

const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];
/** Thresholds of every kind the pack asks: logon and application targets (ms), Wi-Fi (dBm), 0. */
const THRESHOLDS = [-1e6, -75, -70, -0.5, 0, 0.7, 1, 250, 2_000, 10_000, 20_000, 30_000, 40_000, 600_000, 1e9];

/** Sums taken in another order agree to the last few bits, not always the last one. */
function close(a: number, b: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));
}

function agree(got: BinCounts, want: MapBinCounts): void {
  expect(got.count).toBe(want.total);
  for (const q of QS) expect(got.quantile(q)).toBe(want.quantile(q));
  for (const t of THRESHOLDS) {
    const a = got.excessOver(t);
    const b = want.excessOver(t);
    close(a.over, b.over);
    close(a.excess, b.excess);
  }
  expect([...got.entries()]).toEqual([...want.counts].filter(([, n]) => n !== 0).sort((x, y) => x[0] - y[0]));
}

/** A stored sketch of durations (ms), dBm, or both signs and zeros. */
const values = fc.oneof(
  fc.array(fc.double({ min: 1, max: 600_000, noNaN: true }), { maxLength: 60 }),
  fc.array(fc.integer({ min: -95, max: -30 }), { maxLength: 60 }),
  fc.array(fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.constant(0)), { maxLength: 60 }),
);

describe('BinCounts', () => {
  it('gives the quantiles, counts, excess and bins the Map by value gave, on random sketches (property)', () => {
    fc.assert(
      fc.property(fc.array(values, { maxLength: 12 }), (sketches) => {
        const got = new BinCounts();
        const want = new MapBinCounts();
        for (const v of sketches) {
          const bytes = encodeValues(v);
          got.addSketch(bytes);
          want.addSketch(bytes);
        }
        agree(got, want);
      }),
      { numRuns: 300, seed: 1201 },
    );
  });

  it('merges and subtracts as the Map did: merged sketches, and all checks less the real ones (property)', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 6 }), fc.array(values, { maxLength: 6 }), (a, b) => {
        const [gotA, gotB, wantA, wantB] = [new BinCounts(), new BinCounts(), new MapBinCounts(), new MapBinCounts()];
        for (const v of a) gotA.addSketch(encodeValues(v)), wantA.addSketch(encodeValues(v));
        for (const v of b) gotB.addSketch(encodeValues(v)), wantB.addSketch(encodeValues(v));
        // The real timings are some of all the checks: subtract a part (b) from the whole (a + b).
        const all = new BinCounts().merge(gotA).merge(gotB);
        const wantAll = new MapBinCounts();
        for (const v of [...a, ...b]) wantAll.addSketch(encodeValues(v));
        agree(all, wantAll);
        agree(all.minus(gotB), wantAll.minus(wantB));
        // Without making the difference: the same count and excess, to the last bit.
        for (const t of THRESHOLDS) {
          const diff = all.minus(gotB);
          expect(all.excessOverLess(gotB, t)).toEqual({ count: diff.count, ...diff.excessOver(t) });
          const back = gotB.minus(all);
          expect(gotB.excessOverLess(all, t)).toEqual({ count: back.count, ...back.excessOver(t) });
        }
        // And a part less more than it holds: never below 0.
        agree(gotB.minus(all), wantB.minus(wantAll));
      }),
      { numRuns: 200, seed: 1202 },
    );
  });

  it('gives the same figures to the last bit whatever order the sketches come in', () => {
    const sketches = [[1_200, 45_000, 31_000], [-71, -64, -80], [0, 0, 2.5], [600_000, 3], [29_000, 29_500, 30_500]].map(encodeValues);
    const forward = new BinCounts();
    const backward = new BinCounts();
    for (const s of sketches) forward.addSketch(s);
    for (const s of [...sketches].reverse()) backward.addSketch(s);
    for (const t of THRESHOLDS) expect(backward.excessOver(t)).toEqual(forward.excessOver(t));
    for (const q of QS) expect(backward.quantile(q)).toBe(forward.quantile(q));
  });

  it('counts afresh once cleared, and merges into a tally as its bins (a scratch gathering a device\'s bins)', () => {
    const scratch = new BinCounts().addSketch(encodeValues([-70, 0, 1_500, 31_000]));
    scratch.clear();
    expect([scratch.count, scratch.quantile(0.5), [...scratch.entries()]]).toEqual([0, null, []]);
    const bytes = encodeValues([2_000, 45_000, 45_100, 0]);
    scratch.addSketch(bytes);
    const tally = new BinCounts().addSketch(encodeValues([30_000]));
    tally.merge(scratch);
    agree(tally, new MapBinCounts().addSketch(encodeValues([30_000])).addSketch(bytes));
  });

  it('takes a bin by value into the bin of its key (digests and decoded days add bins by value)', () => {
    const bytes = encodeValues([-70, 0, 1_500, 31_000]);
    const byValue = new BinCounts();
    for (const [value, count] of new BinCounts().addSketch(bytes).entries()) byValue.addBin(value, count);
    expect([...byValue.entries()]).toEqual([...new BinCounts().addSketch(bytes).entries()]);
    expect(byValue.count).toBe(4);
  });

  it.each([
    { name: 'empty', values: [], q50: null, over30s: { over: 0, excess: 0 } },
    { name: 'one value below the target', values: [10_000], q50: 'bin', over30s: { over: 0, excess: 0 } },
    { name: 'wholly above the target', values: [60_000, 60_000], q50: 'bin', over30s: 'map' },
    { name: 'the target cuts a bin', values: [30_100], q50: 'bin', over30s: 'map' },
  ] as const)('$name', ({ values: v, q50, over30s }) => {
    const got = new BinCounts().addSketch(encodeValues([...v]));
    const want = new MapBinCounts().addSketch(encodeValues([...v]));
    expect(got.quantile(0.5)).toBe(q50 === null ? null : want.quantile(0.5));
    if (q50 !== null) expect(Math.abs(got.quantile(0.5)! - v[0]!)).toBeLessThanOrEqual(0.01 * v[0]!);
    expect(got.excessOver(30_000)).toEqual(over30s === 'map' ? want.excessOver(30_000) : over30s);
  });
});

describe('KeyCounts', () => {
  it('adds the keys of a span reserved first without making its array again', () => {
    const counts = new KeyCounts();
    counts.add(500, 1);
    counts.reserve(300, 700);
    const array = counts.counts;
    for (let k = 300; k <= 700; k += 7) counts.add(k, 2);
    expect(counts.counts).toBe(array);
    const got = new Map<number, number>();
    counts.counts.forEach((n, i) => n !== 0 && got.set(counts.from + i, n));
    const want = new Map<number, number>();
    for (let k = 300; k <= 700; k += 7) want.set(k, 2);
    want.set(500, (want.get(500) ?? 0) + 1);
    expect(got).toEqual(want);
  });

  it.each([
    { name: 'keys rising', keys: [500, 501, 560, 700, 1_400] },
    { name: 'keys falling', keys: [500, 460, 300, 20, -400] },
    { name: 'both ways, far apart', keys: [0, 2_000, -2_000, 1, -1, 4_000] },
    { name: 'one key many times', keys: [7, 7, 7, 7] },
  ])('holds every count at its key as it grows: $name', ({ keys }) => {
    const counts = new KeyCounts();
    const want = new Map<number, number>();
    keys.forEach((k, i) => {
      counts.add(k, i + 1);
      want.set(k, (want.get(k) ?? 0) + i + 1);
    });
    const got = new Map<number, number>();
    counts.counts.forEach((n, i) => n !== 0 && got.set(counts.from + i, n));
    expect(got).toEqual(want);
    const sum = new KeyCounts();
    sum.add(3, 1);
    sum.addAll(counts);
    sum.addAll(counts);
    const twice = new Map<number, number>([[3, 1]]);
    for (const [k, n] of want) twice.set(k, (twice.get(k) ?? 0) + 2 * n);
    const gotTwice = new Map<number, number>();
    sum.counts.forEach((n, i) => n !== 0 && gotTwice.set(sum.from + i, n));
    expect(gotTwice).toEqual(twice);
  });
});
