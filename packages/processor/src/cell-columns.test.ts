import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSketch } from '@wardwatch/sketch';
import { Cell, EXACT_VALUES, METRICS, encodeCell, type CellParts } from './cell.ts';
import { CellColumns } from './cell-columns.ts';

/** One count: scope, metric, value (NaN: counted, not measured), good, fast. */
type Count = [scope: string, metric: number, value: number, good: boolean, fast: boolean];

const plain = (part: CellParts | undefined) =>
  part && {
    valid: part.valid,
    good: part.good,
    fast: part.fast,
    count: part.count,
    values: part.values ? [...part.values] : null,
    sketch: part.sketch ? [...encodeSketch(part.sketch)] : null,
    bytes: [...encodeCell(part)],
  };

/** The same counts into `Cell`s, as windows held them before columns: scope → cells by metric. */
function intoCells(counts: readonly Count[]): Map<string, Array<Cell | undefined>> {
  const byScope = new Map<string, Array<Cell | undefined>>();
  for (const [scope, metric, value, good, fast] of counts) {
    let cells = byScope.get(scope);
    if (!cells) byScope.set(scope, (cells = []));
    const cell = cells[metric];
    if (cell) cell.add(value, good, fast);
    else cells[metric] = Cell.first(value, good, fast);
  }
  return byScope;
}

function intoColumns(counts: readonly Count[], like?: CellColumns): CellColumns {
  const columns = new CellColumns(like);
  for (const [scope, metric, value, good, fast] of counts) columns.add(columns.entry(scope), metric, value, good, fast);
  return columns;
}

const count: fc.Arbitrary<Count> = fc.tuple(
  fc.constantFrom('site:A', 'ward:A/W1', 'device:A-1', 'device:A-2', 'ap:00:11'),
  fc.constantFrom(0, 1, 2, METRICS.length - 1),
  fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.double({ min: 0.5, max: 5_000, noNaN: true }), fc.constant(Number.NaN)),
  fc.boolean(),
  fc.boolean(),
);

describe('a window’s cells in columns', () => {
  it('hold what Cells given the same counts hold: counts, values in order, the sketch past EXACT_VALUES, the stored bytes', () => {
    fc.assert(
      fc.property(fc.array(count, { maxLength: 400 }), (counts) => {
        const cells = intoCells(counts);
        const columns = intoColumns(counts);
        // Scope by scope in the order they came, each metric's cell read through a view.
        const seen: string[] = [];
        columns.eachScope((scope, parts) => {
          seen.push(scope);
          for (let m = 0; m < METRICS.length; m++) {
            expect(parts.has(m)).toBe(cells.get(scope)![m] !== undefined);
            expect(plain(parts.part(m))).toEqual(plain(cells.get(scope)![m]));
          }
        }, undefined);
        expect(seen).toEqual([...cells.keys()]);
        // As Cells (what a snapshot writes), and found by key.
        const copied = columns.toCells();
        expect([...copied.keys()]).toEqual([...cells.keys()]);
        for (const [scope, list] of cells) {
          expect(copied.get(scope)!.length).toBe(list.length);
          for (let m = 0; m < METRICS.length; m++) {
            expect(plain(copied.get(scope)![m])).toEqual(plain(list[m]));
            expect(plain(columns.part(columns.find(scope), m))).toEqual(plain(list[m]));
          }
        }
        expect(columns.find('device:none')).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    { name: 'one value', values: [250] },
    { name: 'exactly EXACT_VALUES, kept exact', values: Array.from({ length: EXACT_VALUES }, (_, i) => 10 + i) },
    { name: 'one past EXACT_VALUES, a sketch', values: Array.from({ length: EXACT_VALUES + 1 }, (_, i) => 1000 - i) },
    { name: 'a thousand, a sketch', values: Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919) % 5000)) },
    { name: 'failed checks only', values: [Number.NaN, Number.NaN] },
  ])('keep one busy cell as a Cell would: $name', ({ values }) => {
    const counts: Count[] = values.map((v, i) => ['site:A', 0, v, i % 3 !== 0, i % 2 === 0]);
    const columns = intoColumns(counts);
    const cell = intoCells(counts).get('site:A')![0]!;
    expect(plain(columns.part(0, 0))).toEqual(plain(cell));
    expect(columns.part(0, 0)!.sketch !== null).toBe(values.length > EXACT_VALUES);
  });

  it('emptied and counted into again, hold only the new counts, as new columns would', () => {
    fc.assert(
      fc.property(fc.array(count, { maxLength: 300 }), fc.array(count, { maxLength: 300 }), (before, after) => {
        const reused = intoColumns(before);
        reused.clear();
        for (const [scope, metric, value, good, fast] of after) reused.add(reused.entry(scope), metric, value, good, fast);
        const fresh = intoColumns(after);
        expect(reused.size).toBe(fresh.size);
        const read: unknown[] = [];
        reused.eachScope((scope, parts) => {
          for (let m = 0; m < METRICS.length; m++) read.push([scope, m, plain(parts.part(m))]);
        }, undefined);
        const expected: unknown[] = [];
        fresh.eachScope((scope, parts) => {
          for (let m = 0; m < METRICS.length; m++) expected.push([scope, m, plain(parts.part(m))]);
        }, undefined);
        expect(read).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('sized like an earlier window’s, hold the same as grown from small', () => {
    const counts: Count[] = Array.from({ length: 5000 }, (_, i) => [`device:D${i % 1300}`, i % 4, 1 + (i % 97), true, i % 5 !== 0]);
    const grown = intoColumns(counts);
    const sized = intoColumns(counts, grown);
    expect(sized.size).toBe(1300);
    grown.eachScope((scope, parts) => {
      for (let m = 0; m < 4; m++) expect(plain(sized.part(sized.find(scope), m))).toEqual(plain(parts.part(m)));
    }, undefined);
  });
});
