import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/store';
import { decodeSketch, encodeSketch, encodeValues, mergeRollups, newSketch, quantile, sketchQuantiles } from './sketch.ts';
import { logNormal, mulberry32 } from './test-events.ts';

function exactQuantile(sorted: number[], q: number): number {
  // The same rank rule as DDSketch: the value at rank q × (n − 1).
  return sorted[Math.floor(q * (sorted.length - 1))]!;
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

  it('encodes no values as no bytes', () => {
    expect(encodeValues([])).toEqual(new Uint8Array(0));
  });
});

