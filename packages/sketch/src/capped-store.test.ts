import { describe, expect, it } from 'vitest';
import { CappedStore } from './capped-store.ts';

/** The store's counts by key, lowest first. */
function content(store: CappedStore): Array<[key: number, count: number]> {
  const out: Array<[number, number]> = [];
  for (let key = store.minKey; key <= store.maxKey; key++) {
    const n = store.bins[key - store.offset]!;
    if (n) out.push([key, n]);
  }
  return out;
}

describe('CappedStore (limit 8 bins)', () => {
  it.each<[string, number[], Array<[number, number]>]>([
    ['within the limit: every key kept', [3, 5, 9, 3], [[3, 2], [5, 1], [9, 1]]],
    ['a key above the range: the lowest fold into key max − 7', [1, 2, 3, 20], [[13, 3], [20, 1]]],
    ['a key below a full range folds into the lowest kept', [10, 17, 2, -50], [[10, 3], [17, 1]]],
    ['a bin at the fold line is counted once', [5, 6, 7, 13], [[6, 2], [7, 1], [13, 1]]],
    ['a jump far above everything', [1, 2, 1000], [[993, 2], [1000, 1]]],
  ])('adds: %s', (_name, keys, expected) => {
    const store = new CappedStore(8);
    for (const k of keys) store.add(k);
    expect(content(store)).toEqual(expected);
    expect(store.count).toBe(keys.length);
    expect(store.maxKey - store.minKey + 1).toBeLessThanOrEqual(8);
  });

  it.each<[string, number[], number[], Array<[number, number]>]>([
    ['overlapping ranges add bin by bin', [1, 2, 3], [3, 4], [[1, 1], [2, 1], [3, 2], [4, 1]]],
    ['a lower store folds into the lowest kept bin, counted once', [10, 12, 17], [1, 2, 9, 10], [[10, 5], [12, 1], [17, 1]]],
    ['a higher store collapses this one', [1, 2, 3], [15, 16], [[9, 3], [15, 1], [16, 1]]],
  ])('merges: %s', (_name, a, b, expected) => {
    const into = new CappedStore(8);
    const from = new CappedStore(8);
    for (const k of a) into.add(k);
    for (const k of b) from.add(k);
    into.merge(from);
    expect(content(into)).toEqual(expected);
    expect(into.count).toBe(a.length + b.length);
  });
});
