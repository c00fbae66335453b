import { describe, expect, it } from 'vitest';
import { NotifierError } from './notifier.ts';
import { backoffDelay, isRetriableError, retryWithBackoff } from './retry.ts';

describe('backoffDelay', () => {
  it.each([
    // retry, random, expected: ceiling = min(max, 100 × 2^(retry−1)); delay = ceiling/2 + random × ceiling/2
    [1, 0, 50],
    [1, 1, 100],
    [2, 0.5, 150],
    [3, 0, 200],
    [4, 1, 800],
    [10, 1, 1000], // capped
    [10, 0, 500],
  ])('retry %d with random %d → %d ms', (retry, random, expected) => {
    expect(backoffDelay(retry, 100, 1000, () => random)).toBe(expected);
  });
});

describe('isRetriableError', () => {
  it.each([
    ['5xx', new NotifierError('x', { code: 'HTTP_STATUS', retriable: true, status: 503 }), true],
    ['4xx', new NotifierError('x', { code: 'HTTP_STATUS', retriable: false, status: 400 }), false],
    ['refused', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), true],
    ['fetch failed with a network cause', new TypeError('fetch failed', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }), true],
    ['a bug', new RangeError('x'), false],
    ['not an error', 'text', false],
  ])('%s → %s', (_case, error, expected) => {
    expect(isRetriableError(error)).toBe(expected);
  });
});

describe('retryWithBackoff', () => {
  const failing = (errors: unknown[]) => {
    const calls: number[] = [];
    return {
      calls,
      op: async (attempt: number) => {
        calls.push(attempt);
        const error = errors[attempt - 1];
        if (error) throw error;
        return `ok on ${attempt}`;
      },
    };
  };
  const transient = () => new NotifierError('down', { code: 'NETWORK', retriable: true });

  it('retries transient errors with growing delays and returns the result', async () => {
    const waits: number[] = [];
    const { op, calls } = failing([transient(), transient()]);
    const result = await retryWithBackoff(op, { baseDelayMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) });
    expect(result).toBe('ok on 3');
    expect(calls).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 200]);
  });

  it('does not retry a permanent error', async () => {
    const permanent = new NotifierError('bad request', { code: 'HTTP_STATUS', retriable: false, status: 400 });
    const { op, calls } = failing([permanent]);
    await expect(retryWithBackoff(op, { sleep: async () => {} })).rejects.toBe(permanent);
    expect(calls).toEqual([1]);
  });

  it('gives up after the attempts with the last error', async () => {
    const last = transient();
    const { op, calls } = failing([transient(), transient(), last]);
    await expect(retryWithBackoff(op, { attempts: 3, sleep: async () => {} })).rejects.toBe(last);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('waits at least Retry-After, capped by the maximum delay', async () => {
    const waits: number[] = [];
    const busy = new NotifierError('429', { code: 'HTTP_STATUS', retriable: true, status: 429, retryAfterMs: 5_000 });
    const { op } = failing([busy, busy]);
    await retryWithBackoff(op, { baseDelayMs: 10, maxDelayMs: 3_000, random: () => 0, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([3_000, 3_000]);
  });
});
