import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CappedStore } from './capped-store.ts';
import { mulberry32 } from './test-random.ts';

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

describe('CappedStore moves its bins as the library did', () => {
  // The library's own range growing, re-centring and copying, on the same store class: the in-place
  // versions must leave every bin, offset and bound where these do.
  const require = createRequire(import.meta.url);
  const { DenseStore } = require('@datadog/sketches-js/dist/ddsketch/store/index.js') as { DenseStore: { prototype: Record<string, (...args: unknown[]) => void> } };
  class LibraryMoves extends CappedStore {
    override copy(store: CappedStore): void {
      DenseStore.prototype.copy!.call(this, store);
      this.isCollapsed = store.isCollapsed;
    }
    override _extendRange(key: number, secondKey?: number): void {
      DenseStore.prototype._extendRange!.call(this, key, secondKey);
    }
    override _shiftBins(shift: number): void {
      DenseStore.prototype._shiftBins!.call(this, shift);
    }
  }
  const state = (s: CappedStore) => ({ bins: [...s.bins], offset: s.offset, minKey: s.minKey, maxKey: s.maxKey, count: s.count, isCollapsed: s.isCollapsed });

  it.each<[string, number, (random: () => number) => number]>([
    ['keys near each other', 2048, (r) => 1000 + Math.floor(r() * 40)],
    ['keys drifting up and down', 2048, (r) => Math.floor(r() * r() * 600) - 300],
    ['far jumps past a small limit', 8, (r) => (r() < 0.1 ? Math.floor(r() * 5000) : Math.floor(r() * 12))],
    ['a range wider than the limit', 64, (r) => Math.floor(r() * 300)],
  ])('over random adds and merges: %s (limit %i)', (_name, limit, key) => {
    const random = mulberry32(limit + 17);
    for (let round = 0; round < 200; round++) {
      const ours = [new CappedStore(limit), new CappedStore(limit)];
      const theirs = [new LibraryMoves(limit), new LibraryMoves(limit)];
      const steps = 1 + Math.floor(random() * 60);
      for (let step = 0; step < steps; step++) {
        const i = random() < 0.5 ? 0 : 1;
        if (random() < 0.1) {
          ours[i]!.merge(ours[1 - i]!);
          theirs[i]!.merge(theirs[1 - i]!);
        } else {
          const k = key(random);
          ours[i]!.add(k);
          theirs[i]!.add(k);
        }
        expect(state(ours[i]!)).toEqual(state(theirs[i]!));
      }
    }
  });
});
