// sketchBins reads the bins straight from the stored message; it must give exactly what walking the
// decoded sketch gives (values, order, counts), for any stored sketch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DDSketch } from '@datadog/sketches-js';
import { BIN_LIMIT, newSketch, sketchBinKey, sketchBinValue } from './sketch.ts';
import { sketchBins, walkSketchBins } from './sketch-bins.ts';
import { decodeSketch } from './sketch-decode.ts';
import { encodeSketch, encodeSketchProtobuf, encodeValues } from './sketch-encode.ts';

/** The bins as the decoded sketch holds them (what sketchBins was first written as). */
function viaSketch(bytes: Uint8Array): { values: number[]; counts: number[] } {
  const values: number[] = [];
  const counts: number[] = [];
  if (bytes.length === 0) return { values, counts };
  const s = decodeSketch(bytes) as unknown as {
    mapping: { value(key: number): number };
    store: { bins: number[]; offset: number; minKey: number; maxKey: number; count: number };
    negativeStore: { bins: number[]; offset: number; minKey: number; maxKey: number; count: number };
    zeroCount: number;
  };
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

describe('sketchBins', () => {
  it('equals the decoded sketch\'s bins for any values, negative, zero and positive (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(0), fc.integer({ min: 1, max: 600_000 })), { maxLength: 300 }), (values) => {
        const small = encodeValues(values);
        const sketch = newSketch();
        for (const v of values) sketch.accept(v);
        const big = encodeSketch(sketch);
        // Rows written before the compact format: the protobuf, read by its own path.
        const old = encodeSketchProtobuf(sketch);
        expect(sketchBins(small)).toEqual(viaSketch(small));
        expect(sketchBins(big)).toEqual(viaSketch(big));
        expect(sketchBins(old)).toEqual(viaSketch(old));
        expect(sketchBins(old)).toEqual(sketchBins(big));
      }),
      { numRuns: 200, seed: 1130 },
    );
  });

  it('takes the sketch path when a store spans more than BIN_LIMIT bins (it is capped there)', () => {
    const values = Array.from({ length: BIN_LIMIT + 500 }, (_, i) => 1.0203 ** i);
    const bytes = encodeValues(values);
    const bins = sketchBins(bytes);
    expect(bins).toEqual(viaSketch(bytes));
    expect(bins.values.length).toBeLessThanOrEqual(BIN_LIMIT);
    // A stored store wider than the limit (written by a reader of another limit, or by hand) is capped too.
    const wide = new Uint8Array([0x00, 0x01, ...varint(BIN_LIMIT + 500), 0x02, ...new Array<number>(BIN_LIMIT + 500).fill(1), 0x00, 0x00]);
    expect(sketchBins(wide)).toEqual(viaSketch(wide));
    expect(sketchBins(wide).values.length).toBe(BIN_LIMIT);
    expect(sketchBins(wide).counts[0]).toBe(501);
  });
});

/** The bins walkSketchBins reports, turned into sketchBins' values and counts. */
function walked(bytes: Uint8Array): { values: number[]; counts: number[] } {
  const values: number[] = [];
  const counts: number[] = [];
  walkSketchBins(bytes, {
    negative: (key, n) => (values.push(-sketchBinValue(key)), counts.push(n)),
    zero: (n) => (values.push(0), counts.push(n)),
    positive: (key, n) => (values.push(sketchBinValue(key)), counts.push(n)),
  });
  return { values, counts };
}

describe('walkSketchBins', () => {
  it('reports by key the bins sketchBins gives, in its order, for either stored format (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(0), fc.integer({ min: 1, max: 600_000 })), { maxLength: 300 }), (values) => {
        const sketch = newSketch();
        for (const v of values) sketch.accept(v);
        for (const bytes of [encodeValues(values), encodeSketch(sketch), encodeSketchProtobuf(sketch)]) {
          expect(walked(bytes)).toEqual(sketchBins(bytes));
          // Each store's span, told before its bins, holds every key reported (and its ends are stored bins' keys).
          const spans = new Map<number, [number, number]>();
          const seen: Array<[number, number]> = [];
          walkSketchBins(bytes, {
            span: (sign, lo, hi) => void (expect(seen.filter(([s]) => s === sign)).toEqual([]), spans.set(sign, [lo, hi])),
            positive: (key) => void seen.push([1, key]),
            negative: (key) => void seen.push([-1, key]),
            zero: () => {},
          });
          for (const [sign, key] of seen) {
            const [lo, hi] = spans.get(sign)!;
            expect(key >= lo && key <= hi).toBe(true);
          }
        }
      }),
      { numRuns: 200, seed: 1201 },
    );
  });

  it('reports a store wider than BIN_LIMIT capped, as sketchBins does', () => {
    const bytes = encodeValues(Array.from({ length: BIN_LIMIT + 500 }, (_, i) => 1.0203 ** i));
    expect(walked(bytes)).toEqual(sketchBins(bytes));
    const wide = new Uint8Array([0x00, 0x01, ...varint(BIN_LIMIT + 500), 0x02, ...new Array<number>(BIN_LIMIT + 500).fill(1), 0x00, 0x00]);
    expect(walked(wide)).toEqual(sketchBins(wide));
  });

  it('puts a sketch of another accuracy into the bins of this one holding its values', () => {
    const other = new DDSketch({ relativeAccuracy: 0.05 });
    for (const v of [3, 40, 500, 6_000, -7]) other.accept(v);
    const bins = walked(other.toProto());
    const theirs = sketchBins(other.toProto());
    expect(bins.counts).toEqual([1, 1, 1, 1, 1]);
    // Each of their bin values lands in the bin of ours that holds it: within our 1 % of it.
    theirs.values.forEach((v, i) => expect(Math.abs(bins.values[i]! - v)).toBeLessThanOrEqual(0.01 * Math.abs(v) * 1.0001));
  });
});

describe('sketchBinKey', () => {
  it('finds each bin again from its value, for every key from 10⁻¹⁸ to 10¹⁸ and beyond the cache', () => {
    const at = { sign: 0, key: 0 };
    for (let key = -2100; key <= 2100; key++) {
      sketchBinKey(sketchBinValue(key), at);
      expect(at).toEqual({ sign: 1, key });
      sketchBinKey(-sketchBinValue(key), at);
      expect(at).toEqual({ sign: -1, key });
    }
    sketchBinKey(0, at);
    expect(at).toEqual({ sign: 0, key: 0 });
  });

  it('gives the mapping\'s own key for any value (property)', () => {
    const mapping = (newSketch() as unknown as { mapping: { key(v: number): number } }).mapping;
    const at = { sign: 0, key: 0 };
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (v) => {
        sketchBinKey(v, at);
        expect([at.sign, at.key]).toEqual([1, mapping.key(v)]);
        sketchBinKey(-v, at);
        expect([at.sign, at.key]).toEqual([-1, mapping.key(v)]);
      }),
      { numRuns: 2000, seed: 1203 },
    );
  });

  it('gives the key the sketch stores a value under', () => {
    const at = { sign: 0, key: 0 };
    for (const v of [0.5, 1, 1.5, 29_999, 30_000, 30_001, 1e9]) {
      const bytes = encodeValues([v]);
      const keys: number[] = [];
      walkSketchBins(bytes, { positive: (k) => keys.push(k), negative: () => {}, zero: () => {} });
      sketchBinKey(v, at);
      expect([at.sign, at.key]).toEqual([1, keys[0]]);
    }
  });
});

function varint(v: number): number[] {
  const out: number[] = [];
  for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v & 0x7f) | 0x80);
  out.push(v);
  return out;
}
