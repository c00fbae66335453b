import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cell, EXACT_VALUES, sortAscending } from './cell.ts';

describe('a cell’s exact values', () => {
  it('sort as the built-in sort with (a, b) => a − b does, equal values (0 and −0) in the same order', () => {
    const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, 5, 5.5, 1e-300));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 2 * EXACT_VALUES }), (values) => {
        const expected = [...values].sort((a, b) => a - b);
        const sorted = [...values];
        sortAscending(sorted);
        expect(sorted.map((v) => Object.is(v, -0))).toEqual(expected.map((v) => Object.is(v, -0)));
        expect(sorted).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('answer quantiles by the sketch’s rank rule (the nearest rank), whatever order they came in', () => {
    const cell = new Cell();
    for (const v of [400, 100, 300, 200, 100]) cell.add(v, true, true);
    // Of five values the p95 is the slowest: 4 of 5 (80 %) are within 300.
    expect([0, 0.25, 0.5, 0.8, 0.95, 1].map((q) => cell.quantile(q))).toEqual([100, 100, 200, 300, 400, 400]);
    cell.add(50, true, true);
    expect(cell.quantile(0)).toBe(50);
  });
});

describe('a cell filled value by value and by merges', () => {
  // Short value arrays are replaced by ones of their exact length, longer ones pushed to, past
  // EXACT_VALUES a sketch: whichever way they came, a cell holds what it was given, in order.
  it('holds every value added, in order, across the short arrays, the pushed ones and the sketch', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.constant(Number.NaN)), { maxLength: EXACT_VALUES + 8 }), (values) => {
        const cell = new Cell();
        values.forEach((v) => cell.add(v, v === v, v < 1000));
        const measured = values.filter((v) => v === v);
        expect(cell.valid).toBe(values.length);
        expect(cell.count).toBe(measured.length);
        if (measured.length > EXACT_VALUES) expect(cell.sketch?.count).toBe(measured.length);
        else expect(cell.values).toEqual(measured);
      }),
      { numRuns: 300 },
    );
  });

  it('merged from several cells, holds what one cell given all their values holds', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 60_000 }), { maxLength: 6 }), { maxLength: 12 }), (parts) => {
        const merged = new Cell();
        const whole = new Cell();
        for (const part of parts) {
          const cell = new Cell();
          for (const v of part) {
            cell.add(v, true, true);
            whole.add(v, true, true);
          }
          merged.mergeFrom(cell);
        }
        expect(merged.valid).toBe(whole.valid);
        expect(merged.count).toBe(whole.count);
        expect([0, 0.5, 0.95, 1].map((q) => merged.quantile(q))).toEqual([0, 0.5, 0.95, 1].map((q) => whole.quantile(q)));
        expect(Buffer.from(merged.encode()).toString('hex')).toBe(Buffer.from(whole.encode()).toString('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a cell made with its first value', () => {
  const state = (cell: Cell) => ({
    valid: cell.valid,
    good: cell.good,
    fast: cell.fast,
    count: cell.count,
    values: cell.values,
    encoded: [...cell.encode()],
  });

  it.each([
    { name: 'a measured value, good and fast', first: [120.5, true, true], then: [80, 300] },
    { name: 'a measured value, good, slow', first: [9_000, true, false], then: [10] },
    { name: 'a failed check (NaN)', first: [NaN, false, false], then: [42, NaN] },
    { name: 'zero', first: [0, true, true], then: [-0, 0] },
  ] as const)('is the cell new Cell() and add give: $name — and stays so as values follow', ({ first, then }) => {
    const [value, good, fast] = first;
    const made = Cell.first(value, good, fast);
    const added = new Cell();
    added.add(value, good, fast);
    expect(state(made)).toEqual(state(added));
    for (const v of then) {
      made.add(v, v === v, v < 100);
      added.add(v, v === v, v < 100);
    }
    expect(state(made)).toEqual(state(added));
    expect([0, 0.5, 1].map((q) => made.quantile(q))).toEqual([0, 0.5, 1].map((q) => added.quantile(q)));
  });
});

describe('a cell’s quantiles read together', () => {
  // quantilesInto walks a sketch's bins once for several quantiles: each must be what quantile gives.
  it.each([
    { name: 'no values', values: [] as number[] },
    { name: 'a few exact values', values: [400, 100, 300] },
    { name: 'as many as are kept exactly', values: Array.from({ length: EXACT_VALUES }, (_, i) => (i * 37) % 101) },
    { name: 'a sketch', values: Array.from({ length: 500 }, (_, i) => 20 + ((i * 7919) % 4000)) },
    { name: 'a sketch with zeros', values: [0, 0, 0, ...Array.from({ length: 100 }, (_, i) => 1 + i)] },
  ])('$name: p50, p95 and p99 as each read alone', ({ values }) => {
    const cell = new Cell();
    for (const v of values) cell.add(v, true, true);
    const out: Array<number | null> = [];
    cell.quantilesInto([0.5, 0.95, 0.99], out);
    expect(out).toEqual([0.5, 0.95, 0.99].map((q) => cell.quantile(q)));
    expect(out[1]).toEqual(values.length === 0 ? null : expect.any(Number));
  });
});
