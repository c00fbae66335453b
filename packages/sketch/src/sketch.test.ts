import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/schema';
import { createRequire } from 'node:module';
import { mergeRollups } from './rollup-merge.ts';
import { BIN_LIMIT, newSketch } from './sketch.ts';
import { sketchOf } from './sketch-build.ts';
import { decodeSketch } from './sketch-decode.ts';
import { encodeSketch, encodeSketchProtobuf, encodeValues } from './sketch-encode.ts';
import { quantile, quantileRank, sketchQuantiles } from './sketch-quantiles.ts';
import { logNormal, mulberry32 } from './test-random.ts';

function exactQuantile(sorted: number[], q: number): number {
  // The sketches' rank rule: the nearest rank, ⌈q·n⌉ − 1.
  return sorted[quantileRank(q, sorted.length)]!;
}

describe('DDSketch quantiles', () => {
  const random = mulberry32(20261124);
  const values = Array.from({ length: 100_000 }, () => logNormal(random, 450, 0.6));
  const sorted = [...values].sort((a, b) => a - b);

  it.each([0.5, 0.95, 0.99])('p%s of 100k log-normal samples is within 1 %% of the exact value', (q) => {
    const sketch = newSketch();
    for (const v of values) sketch.accept(v);
    const exact = exactQuantile(sorted, q);
    expect(Math.abs(quantile(sketch, q)! - exact) / exact).toBeLessThanOrEqual(0.01);
  });

  it('merging sketches of parts equals sketching the union', () => {
    const whole = newSketch();
    const parts = [newSketch(), newSketch(), newSketch()];
    values.forEach((v, i) => {
      whole.accept(v);
      parts[i % 3]!.accept(v);
    });
    const merged = newSketch();
    for (const part of parts) merged.merge(part);
    for (const q of [0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) expect(quantile(merged, q)).toBe(quantile(whole, q));
    expect(merged.count).toBe(whole.count);
  });

  it('round-trips through bytes and answers null for an empty sketch', () => {
    const sketch = newSketch();
    for (const v of values.slice(0, 1000)) sketch.accept(v);
    const [p50, p95] = sketchQuantiles(encodeSketch(sketch), [0.5, 0.95]);
    expect(p50).toBeCloseTo(quantile(sketch, 0.5)!, 6);
    expect(p95).toBeCloseTo(quantile(sketch, 0.95)!, 6);
    expect(sketchQuantiles(encodeSketch(newSketch()), [0.5])).toEqual([null]);
  });

  it('merges stored rollups: counts add up, quantiles come from the merged sketch', () => {
    const a = newSketch();
    const b = newSketch();
    [100, 200, 300].forEach((v) => a.accept(v));
    [1000, 2000].forEach((v) => b.accept(v));
    const record = (sketch: ReturnType<typeof newSketch>, valid: number, good: number, fast: number): RollupRecord => ({
      scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start: 0, count: sketch.count, valid, good, fast, sketch: encodeSketch(sketch),
    });
    const merged = mergeRollups([record(a, 4, 3, 3), record(b, 2, 2, 1)]);
    expect({ count: merged.count, valid: merged.valid, good: merged.good, fast: merged.fast }).toEqual({ count: 5, valid: 6, good: 5, fast: 4 });
    expect(merged.quantile(1)).toBeCloseTo(2000, -2);
    expect(merged.quantile(0)).toBeCloseTo(100, -1);
  });
});

describe('serialised sketches', () => {
  const random = mulberry32(7);
  it.each<[string, number[]]>([
    ['one value', [412]],
    ['a device minute', [380, 402, 395, 2210]],
    ['zeros and a tiny value', [0, 0, 1e-12, 5]],
    ['negative values', [-3, -40, 12]],
    ['a spread of log-normal checks', Array.from({ length: 64 }, () => logNormal(random, 450, 0.9))],
  ])('encodes %s from the values byte for byte as from a sketch of them', (_name, values) => {
    const sketch = newSketch();
    for (const v of values) sketch.accept(v);
    expect(encodeValues(values)).toEqual(encodeSketch(sketch));
  });

  it('keeps only the bins in use, and decodes to the same quantiles and count', () => {
    const sketch = newSketch();
    for (const v of [380, 402, 395, 2210]) sketch.accept(v);
    const bytes = encodeSketch(sketch);
    // The store grows by 128-bin chunks; the encoding covers keys 380 ms … 2,210 ms only.
    expect(bytes.length).toBeLessThan(8 * 100);
    const back = decodeSketch(bytes);
    expect(back.count).toBe(4);
    for (const q of [0, 0.5, 0.95, 1]) expect(quantile(back, q)).toBe(quantile(sketch, q));
  });

  it('builds a sketch of values (sketchOf) equal to accepting them one by one, collapsed or not', () => {
    const value = fc.oneof(
      { weight: 20, arbitrary: fc.double({ min: 0.5, max: 60_000, noNaN: true }) },
      { weight: 4, arbitrary: fc.double({ min: -1e6, max: -1e-3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-12) },
    );
    const extreme = fc.option(fc.constantFrom(1e-300, 5e-324, 1e300, -1e300), { freq: 6 });
    type Internals = { store: object; negativeStore: object; zeroCount: number; count: number; min: number; max: number; sum: number };
    const summary = (s: ReturnType<typeof newSketch>) => {
      const { zeroCount, count, min, max, sum } = s as unknown as Internals;
      const collapsed = (st: object) => (st as { isCollapsed: boolean }).isCollapsed;
      return { zeroCount, count, min, max, sum, collapsed: [collapsed((s as unknown as Internals).store), collapsed((s as unknown as Internals).negativeStore)] };
    };
    fc.assert(
      fc.property(fc.array(value, { maxLength: 100 }), extreme, fc.array(value, { maxLength: 20 }), (values, far, more) => {
        if (far !== null) values.push(far);
        const one = newSketch();
        for (const v of values) one.accept(v);
        const built = sketchOf(values);
        expect(summary(built)).toEqual(summary(one));
        expect(Buffer.from(encodeSketch(built)).toString('hex')).toBe(Buffer.from(encodeSketch(one)).toString('hex'));
        for (const q of [0, 0.5, 0.95, 0.99, 1]) expect(quantile(built, q)).toBe(quantile(one, q));
        // It goes on as the other would: more values, and a merge.
        for (const v of more) built.accept(v), one.accept(v);
        const other = sketchOf(more);
        built.merge(other);
        one.merge(other);
        expect(Buffer.from(encodeSketch(built)).toString('hex')).toBe(Buffer.from(encodeSketch(one)).toString('hex'));
        for (const q of [0, 0.5, 0.95, 0.99, 1]) expect(quantile(built, q)).toBe(quantile(one, q));
      }),
      { numRuns: 200 },
    );
  });

  it('encodes no values as no bytes', () => {
    expect(encodeValues([])).toEqual(new Uint8Array(0));
  });

  // The protobuf bytes (what rows were written as before the compact format, and still are for a sketch
  // it cannot hold) are written directly (sketch-bytes.ts): they must be the library's protobuf
  // encoding of the same message, as they were when protobufjs wrote them, for every kind of sketch.
  it('writes the protobuf byte for byte as the library’s protobuf encoder gives it, for any values', () => {
    const require = createRequire(import.meta.url);
    const proto = require('@datadog/sketches-js/dist/ddsketch/proto/compiled.js');
    type Store = { bins: number[]; offset: number; count: number; minKey: number; maxKey: number };
    const storeProto = (st: Store) =>
      proto.Store.create(st.count === 0 ? { contiguousBinCounts: [], contiguousBinIndexOffset: 0 } : { contiguousBinCounts: st.bins.slice(st.minKey - st.offset, st.maxKey - st.offset + 1), contiguousBinIndexOffset: st.minKey });
    const library = (sketch: ReturnType<typeof newSketch>) => {
      const s = sketch as unknown as { mapping: { toProto(): object }; store: Store; negativeStore: Store; zeroCount: number };
      return hex(proto.DDSketch.encode(proto.DDSketch.create({ mapping: s.mapping.toProto(), positiveValues: storeProto(s.store), negativeValues: storeProto(s.negativeStore), zeroCount: s.zeroCount })).finish());
    };
    // Compared as hex: toEqual walks a 16 kB array element by element, far slower than the encoders.
    const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
    const value = fc.oneof(
      { weight: 40, arbitrary: fc.double({ min: 0.5, max: 60_000, noNaN: true }) },
      { weight: 8, arbitrary: fc.double({ min: -1e6, max: -1e-3, noNaN: true }) },
      { weight: 2, arbitrary: fc.constantFrom(0, -0, 1e-12, 2 ** 31) },
    );
    // Far enough from the rest to collapse the lowest bins (slow in the library's store: in some runs).
    const extreme = fc.option(fc.constantFrom(1e-300, 5e-324, 1e300, 1.7e308, -1e300), { freq: 6 });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 150 }), fc.array(value, { maxLength: 40 }), extreme, (values, more, far) => {
        if (far !== null) values.push(far);
        const sketch = newSketch();
        for (const v of values) sketch.accept(v);
        const expected = library(sketch);
        expect(hex(encodeSketchProtobuf(sketch))).toBe(expected);
        // The compact bytes (of values, or of the sketch) hold the same message: decoded, the same protobuf.
        expect(hex(encodeSketchProtobuf(decodeSketch(encodeValues(values))))).toBe(expected);
        expect(hex(encodeSketchProtobuf(decodeSketch(encodeSketch(sketch))))).toBe(expected);
        // A merge, and a decoded sketch, as the processor's coarse windows and corrections have them.
        const other = newSketch();
        for (const v of more) other.accept(v);
        sketch.merge(other);
        expect(hex(encodeSketchProtobuf(sketch))).toBe(library(sketch));
        const back = decodeSketch(encodeSketchProtobuf(sketch));
        expect(hex(encodeSketchProtobuf(back))).toBe(library(back));
      }),
      { numRuns: 100 },
    );
  });
});

describe('sketches with a bin limit', () => {
  // A stored sketch is at most BIN_LIMIT 8-byte counts per sign plus a few dozen bytes of framing.
  const BYTE_BOUND = 2 * 8 * BIN_LIMIT + 100;
  const sweep = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => Math.exp(Math.log(from) + (i / (n - 1)) * (Math.log(to) - Math.log(from))));
  const exact = (values: number[], q: number) => [...values].sort((a, b) => a - b)[quantileRank(q, values.length)]!;
  const within1 = (got: number | null, want: number) => expect(Math.abs(got! - want) / want).toBeLessThanOrEqual(0.01);

  it.each<[string, number[]]>([
    ['1e-3 … 1e9', sweep(1e-3, 1e9, 20_000)],
    ['1e-300 … 1e300', sweep(1e-300, 1e300, 20_000)],
    ['Number.MIN_VALUE-ish and huge values', [5e-324, 1e-320, 1e-200, 3, 400, 1e300, 1.7e308]],
  ])('a sketch fed %s stays under the byte bound and keeps its top quantiles', (_name, values) => {
    const sketch = newSketch();
    for (const v of values) sketch.accept(v);
    const bytes = encodeSketch(sketch);
    expect(bytes.length).toBeLessThanOrEqual(BYTE_BOUND);
    const back = decodeSketch(bytes);
    expect(back.count).toBe(values.length);
    for (const q of [0.99, 1]) within1(quantile(back, q), exact(values, q));
  });

  it('encodes a collapsed spread from the values byte for byte as from a sketch of them, in any order', () => {
    const random = mulberry32(3);
    const values = [...sweep(1e-200, 1e200, 300), 412, 5e-324].sort(() => random() - 0.5);
    const sketch = newSketch();
    for (const v of values) sketch.accept(v);
    expect(encodeValues(values)).toEqual(encodeSketch(sketch));
    expect(encodeValues(values).length).toBeLessThanOrEqual(BYTE_BOUND);
  });

  it('keeps p50, p95 and p99 of ordinary data within 1 % when a few absurd values collapse below them', () => {
    const random = mulberry32(9);
    const values = [...Array.from({ length: 5000 }, () => logNormal(random, 450, 0.6)), 1e-300, 1e-250, 1e-200];
    const sketch = newSketch();
    for (const v of values) sketch.accept(v);
    for (const q of [0.5, 0.95, 0.99]) within1(quantile(sketch, q), exact(values, q));
  });

  it('merging sketches whose union spans more than the limit stays capped, counts added, top exact to 1 %', () => {
    const low = newSketch();
    const high = newSketch();
    const lows = sweep(1e-300, 1e-100, 1000);
    const highs = sweep(1, 1e6, 1000);
    for (const v of lows) low.accept(v);
    for (const v of highs) high.accept(v);
    for (const [a, b] of [[low, high], [high, low]] as const) {
      const merged = decodeSketch(encodeSketch(a));
      merged.merge(decodeSketch(encodeSketch(b)));
      expect(merged.count).toBe(2000);
      expect(encodeSketch(merged).length).toBeLessThanOrEqual(BYTE_BOUND);
      for (const q of [0.75, 0.95, 0.99]) within1(quantile(merged, q), exact([...lows, ...highs], q));
    }
  });

  it('decodes a stored sketch of 50,000 bins (a fuzzed row) into at most the limit, nothing lost from the count', () => {
    const require = createRequire(import.meta.url);
    const proto = require('@datadog/sketches-js/dist/ddsketch/proto/compiled.js');
    const mapping = (newSketch() as unknown as { mapping: { toProto(): object } }).mapping.toProto();
    const counts: number[] = Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? 2 : 0));
    counts[49_999] = 5;
    const bytes: Uint8Array = proto.DDSketch.encode(
      proto.DDSketch.create({
        mapping,
        positiveValues: proto.Store.create({ contiguousBinCounts: counts, contiguousBinIndexOffset: -30_000 }),
        negativeValues: proto.Store.create({ contiguousBinCounts: [1, -4, Number.NaN, Infinity], contiguousBinIndexOffset: 0 }),
        zeroCount: 0,
      }),
    ).finish();
    expect(bytes.length).toBeGreaterThan(200_000);
    const sketch = decodeSketch(bytes);
    const total = counts.reduce((a, b) => a + b, 0);
    // The negative store's nonsense counts (negative, NaN, infinite) are not counts.
    expect(sketch.count).toBe(total + 1);
    expect(encodeSketch(sketch).length).toBeLessThanOrEqual(BYTE_BOUND);
    // The highest bin is kept as it was.
    expect(quantile(sketch, 1)).toBeCloseTo((newSketch() as unknown as { mapping: { value(k: number): number } }).mapping.value(-30_000 + 49_999), 6);
  });
});

