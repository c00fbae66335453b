import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.ts';

describe('TokenBuckets', () => {
  it.each([
    // [perSecond, burst, takes at these ms offsets, expected results (true = ok, number = retry ms)]
    [1, 3, [0, 0, 0, 0], [true, true, true, 1000]],
    [1, 3, [0, 0, 0, 500], [true, true, true, 500]],
    [1, 3, [0, 0, 0, 1000], [true, true, true, true]],
    [10, 1, [0, 0, 50, 100], [true, 100, 50, true]],
    [0.5, 2, [0, 0, 0, 1999, 2000], [true, true, 2000, 1, true]],
  ] as const)('%d/s burst %d: takes at %j → %j', (perSecond, burst, at, expected) => {
    let now = 1_000_000;
    const start = now;
    const buckets = new TokenBuckets({ perSecond, burst }, () => now);
    const results = at.map((offset) => {
      now = start + offset;
      const r = buckets.take('k');
      return r.ok ? true : r.retryAfterMs;
    });
    expect(results).toEqual(expected);
  });

  it('keeps keys apart, peeks without spending, and forgets keys past the limit', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, () => now, 4);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.peek('b').ok).toBe(true);
    expect(buckets.take('b').ok).toBe(true);
    for (const k of ['c', 'd', 'e', 'f', 'g']) buckets.take(k);
    expect(buckets.size).toBeLessThanOrEqual(4);
    now = 5000;
    expect(buckets.take('a').ok).toBe(true);
  });

  it('refuses a rate that cannot refill', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 1 })).toThrow(/perSecond > 0/);
  });
});
