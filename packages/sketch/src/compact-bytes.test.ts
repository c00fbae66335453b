// The compact stored format beside the protobuf one: both read back to the same sketch, old rows (the
// protobuf, as the library and the earlier writer wrote them) still read, what the compact one cannot
// hold falls back to the protobuf, and bytes that are neither give an Error that says so.
import fc from 'fast-check';
import { DDSketch } from '@datadog/sketches-js';
import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/schema';
import { mergeRollupRecords, mergeRollups, mergeStoredSketches } from './rollup-merge.ts';
import { newSketch } from './sketch.ts';
import { sketchBins } from './sketch-bins.ts';
import { subtractFromSketch } from './sketch-build.ts';
import { decodeSketch } from './sketch-decode.ts';
import { encodeSketch, encodeSketchProtobuf, encodeValues } from './sketch-encode.ts';
import { quantile, sketchQuantiles } from './sketch-quantiles.ts';
import { logNormal, mulberry32 } from './test-random.ts';

const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];
const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const sketchOfValues = (values: readonly number[]) => {
  const sketch = newSketch();
  for (const v of values) sketch.accept(v);
  return sketch;
};
const random = mulberry32(8);
const lognormal = (n: number, sigma = 0.6) => Array.from({ length: n }, () => logNormal(random, 450, sigma));

const SAMPLES: Array<[string, number[]]> = [
  ['one value', [412]],
  ['a device minute', [380, 402, 395, 2210]],
  ['zeros, a tiny value and negatives', [0, 0, 1e-12, -3, -40, 5]],
  ['10 log-normal response times', lognormal(10)],
  ['100 log-normal response times', lognormal(100)],
  ['10,000 log-normal response times', lognormal(10_000, 0.9)],
  ['Wi-Fi signal (−dBm), whole numbers', Array.from({ length: 400 }, () => Math.round(62 + 6 * Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random())))],
  ['a spread wider than the bin limit (collapsed)', [...Array.from({ length: 300 }, (_, i) => Math.exp(-460 + (920 * i) / 299)), 412]],
];

describe('compact stored sketches', () => {
  it.each(SAMPLES)('%s: both formats decode to the same count, quantiles and bins', (_name, values) => {
    const sketch = sketchOfValues(values);
    const compact = encodeSketch(sketch);
    const protobuf = encodeSketchProtobuf(sketch);
    expect(compact[0]).toBe(0x00);
    expect(protobuf[0]).toBe(0x0a);
    expect(hex(encodeValues(values))).toBe(hex(compact));
    const want = QS.map((q) => quantile(sketch, q));
    for (const bytes of [compact, protobuf]) {
      const back = decodeSketch(bytes);
      expect(back.count).toBe(values.length);
      expect(QS.map((q) => quantile(back, q))).toEqual(want);
      expect(sketchQuantiles(bytes, QS)).toEqual(want);
      // Re-encoded, either gives the compact bytes again.
      expect(hex(encodeSketch(back))).toBe(hex(compact));
    }
    expect(sketchBins(compact)).toEqual(sketchBins(protobuf));
    expect(compact.length).toBeLessThanOrEqual(protobuf.length);
  });

  it.each<[string, number[], number]>([
    // [sample, values, at most this many bytes]: a whole-number count below 128 takes a byte, a run of
    // empty bins two (marker and mapping 2, a store's bin count and first key 3, the zero count 1).
    ['a device minute', [380, 402, 395, 2210], 2 + 3 + 4 + 3 * 2 + 1 + 1],
    ['one value', [412], 8],
    ['no positive values', [-5, 0], 8],
  ])('%s takes a byte a bin and a few of framing (at most %#)', (_name, values, most) => {
    expect(encodeValues(values).length).toBeLessThanOrEqual(most);
  });

  it.each<[string, number]>([
    ['127 (one byte)', 127],
    ['128 (two bytes)', 128],
    ['2^31', 2 ** 31],
    ['2^32 + 1', 2 ** 32 + 1],
    ['2^53 − 1, the largest', Number.MAX_SAFE_INTEGER],
  ])('keeps a count of %s exactly', (_name, n) => {
    const sketch = newSketch();
    sketch.accept(400, n);
    sketch.accept(0, n);
    sketch.accept(-7, 1);
    const bytes = encodeSketch(sketch);
    expect(bytes[0]).toBe(0x00);
    const back = decodeSketch(bytes);
    expect(sketchBins(bytes).counts).toEqual([1, n, n]);
    expect(back.count).toBe(sketch.count);
  });

  it.each<[string, (s: DDSketch) => void]>([
    ['a weighted (fractional) count', (s) => s.accept(400, 0.5)],
    ['a count of 2^53', (s) => s.accept(400, 2 ** 53)],
    ['a fractional zero count', (s) => s.accept(0, 2.25)],
    ['a count taken below zero', (s) => (s.accept(400), subtractFromSketch(s, [400, 400]))],
  ])('falls back to the protobuf for %s, and reads it back as before', (_name, build) => {
    const sketch = newSketch();
    sketch.accept(1200);
    sketch.accept(12);
    build(sketch);
    const bytes = encodeSketch(sketch);
    expect(bytes[0]).toBe(0x0a);
    expect(hex(bytes)).toBe(hex(encodeSketchProtobuf(sketch)));
    const back = decodeSketch(bytes);
    for (const q of [0, 0.5, 1]) expect(quantile(back, q)).toBeCloseTo(quantile(decodeSketch(encodeSketchProtobuf(sketch)), q)!, 9);
  });

  it('reads back every bin of any sketch of whole-number weights as the protobuf does (property)', () => {
    const bin = fc.tuple(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(0)), fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 2 ** 40 })));
    fc.assert(
      fc.property(fc.array(bin, { minLength: 1, maxLength: 60 }), (bins) => {
        const sketch = newSketch();
        for (const [v, w] of bins) sketch.accept(v, w);
        const compact = encodeSketch(sketch);
        expect(compact[0]).toBe(0x00);
        expect(sketchBins(compact)).toEqual(sketchBins(encodeSketchProtobuf(sketch)));
        expect(decodeSketch(compact).count).toBe(decodeSketch(encodeSketchProtobuf(sketch)).count);
      }),
      { numRuns: 300, seed: 81 },
    );
  });

  it('writes a sketch of another accuracy as the library’s protobuf, and reads it back', () => {
    const other = new DDSketch({ relativeAccuracy: 0.02 });
    for (const v of [10, 20, 400]) other.accept(v);
    const bytes = encodeSketch(other);
    expect(bytes[0]).toBe(0x0a);
    expect(decodeSketch(bytes).count).toBe(3);
  });
});

describe('rows written before the compact format', () => {
  // The bytes the processor wrote for these values before (the trimmed protobuf: the stores from the
  // lowest to the highest key in use, every count a little-endian double), kept as they were stored.
  it.each<[string, number[], string]>([
    ['a device minute', [400, 404, 412, 412], '0a1409fd4a815abf52f03f1100000000000000001800121d1218000000000000f03f000000000000f03f000000000000004018d8041a021800210000000000000000'],
    ['negative, zero and positive values', [-3, 0, 400, 404], '0a1409fd4a815abf52f03f110000000000000000180012151210000000000000f03f000000000000f03f18d8041a0c1208000000000000f03f186e21000000000000f03f'],
  ])('%s: the stored protobuf decodes to the quantiles and bins of the compact bytes', (_name, values, stored) => {
    const old = fromHex(stored);
    const compact = encodeValues(values);
    expect(hex(encodeSketchProtobuf(sketchOfValues(values)))).toBe(stored);
    expect(sketchQuantiles(old, QS)).toEqual(sketchQuantiles(compact, QS));
    expect(sketchBins(old)).toEqual(sketchBins(compact));
    expect(hex(encodeSketch(decodeSketch(old)))).toBe(hex(compact));
  });

  it.each(SAMPLES)('%s: the library’s own toProto() (whole chunked stores, zeros and all) reads as the compact bytes', (_name, values) => {
    // The oldest rows: the library's sketch and its encoder, untrimmed (its store does not cap, so
    // the collapsed sample is compared only where the library's sketch agrees on every bin).
    const library = new DDSketch({ relativeAccuracy: 0.01 });
    for (const v of values) library.accept(v);
    const old = library.toProto();
    expect(old[0]).toBe(0x0a);
    const ours = decodeSketch(old);
    expect(ours.count).toBe(values.length);
    if (_name.includes('collapsed')) return;
    const compact = encodeValues(values);
    expect(sketchQuantiles(old, QS)).toEqual(sketchQuantiles(compact, QS));
    expect(sketchBins(old)).toEqual(sketchBins(compact));
  });

  it('merges old rows with new ones as it merges new with new', () => {
    const parts = [lognormal(50), lognormal(80), [0, 12, 3_000]];
    const record = (sketch: Uint8Array, count: number): RollupRecord => ({ scope: 'site:S1', metric: 'app.totalMs', resolution: '1h', start: 0, count, valid: count, good: count, fast: count, sketch });
    const all = parts.flat();
    const want = QS.map((q) => quantile(sketchOfValues(all), q));
    const mixed = [record(encodeSketchProtobuf(sketchOfValues(parts[0]!)), 50), record(encodeValues(parts[1]!), 80), record(sketchOfValues(parts[2]!).toProto(), 3)];
    const merged = mergeRollups(mixed);
    expect(merged.count).toBe(133);
    expect(QS.map((q) => merged.quantile(q))).toEqual(want);
    // A late correction (new) into a stored row (old): the merged row is written compact.
    const stored = record(encodeSketchProtobuf(sketchOfValues(parts[0]!)), 50);
    const row = mergeRollupRecords(stored, record(encodeValues(parts[1]!), 80));
    expect(row.sketch[0]).toBe(0x00);
    expect(hex(row.sketch)).toBe(hex(encodeValues([...parts[0]!, ...parts[1]!])));
  });

  it('merges a list of stored sketches, old and new, into the compact sketch of all their values; one is kept as it is', () => {
    const parts = [lognormal(50), lognormal(80), [0, 12, 3_000]];
    const stored = [encodeSketchProtobuf(sketchOfValues(parts[0]!)), encodeValues(parts[1]!), encodeValues(parts[2]!)];
    expect(hex(mergeStoredSketches(stored))).toBe(hex(encodeValues(parts.flat())));
    expect(mergeStoredSketches([stored[0]!])).toBe(stored[0]);
    expect(mergeStoredSketches([])).toHaveLength(0);
  });
});

describe('bytes that are not a sketch', () => {
  const good = encodeValues([380, 402, 395, 2210, 0, -4]);

  it('gives an Error naming the format for every truncation of compact bytes', () => {
    for (let n = 1; n < good.length; n++) {
      const cut = good.subarray(0, n);
      expect(() => decodeSketch(cut), `first ${n} bytes`).toThrow(/^stored sketch \(compact format, \d+ bytes\) is corrupt: /);
      expect(() => sketchBins(cut)).toThrow(/compact format/);
    }
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['a byte after the zero count', new Uint8Array([...good, 0]), /1 bytes follow the zero count/],
    ['an unknown mapping', new Uint8Array([0x00, 0x02, 0, 0, 1]), /of mapping 0x02, not one this version reads/],
    ['only the marker', new Uint8Array([0x00]), /ends before the mapping byte/],
    ['a store claiming 2^40 bins', new Uint8Array([0x00, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x02, 1, 0, 0]), /claims 1099511627776 bins, more than the 131072 any sketch spans at byte 2/],
    ['a run of empty bins past the store', new Uint8Array([0x00, 0x01, 0x03, 0x02, 1, 0, 0x05, 0, 0]), /a run of 6 empty bins passes the positive store's 3 at byte 6/],
    ['a store of 100,000 bins that ends after 3', new Uint8Array([0x00, 0x01, 0xa0, 0x8d, 0x06, 0x02, 1, 1, 1]), /ends inside the positive store's count 3 at byte 9/],
    ['a varint of nine bytes', new Uint8Array([0x00, 0x01, 0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0]), /runs past 8 bytes/],
    ['a count over 2^53', new Uint8Array([0x00, 0x01, 0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0]), /over 2\^53/],
    ['a key outside 32 bits', new Uint8Array([0x00, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0]), /outside 32 bits/],
    ['a protobuf cut inside its zero count', encodeSketchProtobuf(sketchOfValues([400])).subarray(0, 40), /^stored sketch \(protobuf, 40 bytes\) is corrupt: /],
    ['a protobuf tag alone', new Uint8Array([0x0a]), /protobuf, 1 bytes\) is corrupt/],
    ['a protobuf without a mapping', new Uint8Array([0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]), /no key mapping/],
  ])('%s gives an Error that says what is wrong', (_name, bytes, message) => {
    expect(() => decodeSketch(bytes)).toThrow(message);
    expect(() => sketchQuantiles(bytes, [0.5])).toThrow(message);
    expect(() => sketchBins(bytes)).toThrow(message);
  });

  it('never hangs or gives a sketch whose count is not its bins’ on random compact bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (tail) => {
        const bytes = new Uint8Array([0x00, 0x01, ...tail]);
        let sketch: DDSketch;
        try {
          sketch = decodeSketch(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toMatch(/^stored sketch \(compact format/);
          return;
        }
        const { counts } = sketchBins(bytes);
        expect(sketch.count).toBe(counts.reduce((a, b) => a + b, 0));
        expect(Number.isSafeInteger(sketch.count)).toBe(true);
      }),
      { numRuns: 2000, seed: 8 },
    );
  });

  it('reads a hand-written compact sketch as the layout says (a check for other readers)', () => {
    // 0x00 marker, 0x01 mapping; positive: 8 bins from key 301 (zig-zag 602 = 0xda 0x04), counts 1,
    // one empty bin (0 0), 2, four empty bins (0 3), 130 (0x82 0x01); negative: 1 bin, key 55 (zig-zag
    // 110 = 0x6e), count 1; zero count 2.
    const bytes = new Uint8Array([0x00, 0x01, 0x08, 0xda, 0x04, 1, 0, 0, 2, 0, 3, 0x82, 0x01, 0x01, 0x6e, 1, 0x02]);
    const gamma = 1.01 / 0.99;
    const value = (k: number) => (2 * gamma ** k) / (1 + gamma);
    const bins = sketchBins(bytes);
    expect(bins.counts).toEqual([1, 2, 1, 2, 130]);
    [-value(55), 0, value(301), value(303), value(308)].forEach((v, i) => expect(bins.values[i]).toBeCloseTo(v, 6));
    const values = [-value(55), 0, 0, value(301), value(303), value(303), ...new Array<number>(130).fill(value(308))];
    expect(hex(encodeValues(values))).toBe(hex(bytes));
  });
});
