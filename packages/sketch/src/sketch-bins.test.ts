// sketchBins reads the bins straight from the stored message; it must give exactly what walking the
// decoded sketch gives (values, order, counts), for any stored sketch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BIN_LIMIT, decodeSketch, encodeSketch, encodeSketchProtobuf, encodeValues, newSketch, sketchBins } from './sketch.ts';

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

function varint(v: number): number[] {
  const out: number[] = [];
  for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v & 0x7f) | 0x80);
  out.push(v);
  return out;
}
