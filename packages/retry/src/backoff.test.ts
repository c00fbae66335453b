import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay: full jitter under base × 2^(retry−1), capped', () => {
  it.each([
    // retry, random, expected (base 100 ms, cap 1 000 ms)
    [1, 0, 0],
    [1, 0.5, 50],
    [1, 0.999, 99],
    [2, 0.5, 100],
    [3, 0.25, 100],
    [4, 0.999, 799],
    [5, 0.5, 500], // ceiling 1 600 → capped at 1 000
    [10, 0.999, 999],
    [10, 0, 0], // full jitter: even a late retry may go at once
    [1e6, 0.5, 500], // no overflow for huge counts
    [0, 0.5, 50], // a retry count below 1 is the first retry
  ])('retry %d with random %d → %d ms', (retry, random, expected) => {
    expect(backoffDelay(retry, { baseMs: 100, capMs: 1000 }, () => random)).toBe(expected);
  });
});
