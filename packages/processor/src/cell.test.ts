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

  it('answer quantiles by the sketch’s rank rule, whatever order they came in', () => {
    const cell = new Cell();
    for (const v of [400, 100, 300, 200, 100]) cell.add(v, true, true);
    expect([0, 0.25, 0.5, 0.95, 1].map((q) => cell.quantile(q))).toEqual([100, 100, 200, 300, 400]);
    cell.add(50, true, true);
    expect(cell.quantile(0)).toBe(50);
  });
});
