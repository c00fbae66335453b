import { describe, expect, it } from 'vitest';
import { isRetriableError, retry, sleep, type RetryOptions } from './retry.ts';

/** An error that says whether a retry can help, as TransportError and NotifierError do. */
const flagged = (retriable: boolean, extra: Record<string, unknown> = {}) => Object.assign(new Error(retriable ? 'try later' : 'refused'), { retriable }, extra);
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('isRetriableError', () => {
  it.each<[string, unknown, boolean]>([
    ['retriable: true', flagged(true), true],
    ['retriable: false', flagged(false), false],
    ['the flag wins over a network code', Object.assign(coded('ECONNREFUSED'), { retriable: false }), false],
    ['connection refused', coded('ECONNREFUSED'), true],
    ['connection reset', coded('ECONNRESET'), true],
    ['DNS not answering', coded('EAI_AGAIN'), true],
    ['undici socket error', coded('UND_ERR_SOCKET'), true],
    ['a file not found', coded('ENOENT'), false],
    ['fetch failed, with the socket error as its cause', new TypeError('fetch failed', { cause: coded('ECONNRESET') }), true],
    ['a cause that says no', new Error('wrapped', { cause: flagged(false) }), false],
    ['a bug', new RangeError('x'), false],
    ['a message that sounds transient is not read', new Error('connection timeout, leader not available'), false],
    ['not an error', 'ECONNREFUSED', false],
    ['null', null, false],
  ])('%s → %s', (_, error, expected) => {
    expect(isRetriableError(error)).toBe(expected);
  });
});

describe('retry', () => {
  interface Case {
    /** What each try does: an error to throw, or undefined to succeed. */
    tries: Array<Error | undefined>;
    options?: RetryOptions;
    /** random() for every wait. */
    random?: number;
    calls: number;
    waits: number[];
    outcome: 'ok' | 'the last error' | 'the first error';
  }
  it.each<[string, Case]>([
    ['succeeds at once', { tries: [undefined], calls: 1, waits: [], outcome: 'ok' }],
    ['retries transient errors with growing ceilings', { tries: [flagged(true), flagged(true), undefined], options: { baseDelayMs: 100 }, random: 0.999, calls: 3, waits: [99, 199], outcome: 'ok' }],
    ['full jitter can wait nothing', { tries: [flagged(true), undefined], options: { baseDelayMs: 100 }, random: 0, calls: 2, waits: [0], outcome: 'ok' }],
    ['does not retry a permanent error', { tries: [flagged(false), undefined], calls: 1, waits: [], outcome: 'the first error' }],
    ['stops after the attempts with the last error', { tries: [flagged(true), flagged(true), flagged(true), undefined], options: { attempts: 3, baseDelayMs: 10 }, random: 0.5, calls: 3, waits: [5, 10], outcome: 'the last error' }],
    ['one attempt means no retry', { tries: [flagged(true), undefined], options: { attempts: 1 }, calls: 1, waits: [], outcome: 'the first error' }],
    ['caps every delay', { tries: [flagged(true), flagged(true), flagged(true), undefined], options: { baseDelayMs: 1000, maxDelayMs: 1500 }, random: 0.999, calls: 4, waits: [999, 1498, 1498], outcome: 'ok' }],
    ['waits at least Retry-After', { tries: [flagged(true, { retryAfterMs: 700 }), undefined], options: { baseDelayMs: 10 }, random: 0, calls: 2, waits: [700], outcome: 'ok' }],
    ['caps Retry-After too', { tries: [flagged(true, { retryAfterMs: 5000 }), undefined], options: { baseDelayMs: 10, maxDelayMs: 3000 }, random: 0, calls: 2, waits: [3000], outcome: 'ok' }],
    ['asks its own judge', { tries: [flagged(false), undefined], options: { isRetriable: () => true, baseDelayMs: 10 }, random: 0.5, calls: 2, waits: [5], outcome: 'ok' }],
    ['tries for ever with Infinity', { tries: [...Array.from({ length: 9 }, () => flagged(true)), undefined], options: { attempts: Infinity, baseDelayMs: 1, maxDelayMs: 4 }, random: 0.5, calls: 10, waits: [0, 1, 2, 2, 2, 2, 2, 2, 2], outcome: 'ok' }],
  ])('%s', async (_, c) => {
    const waits: number[] = [];
    let calls = 0;
    const attempt = async (n: number) => {
      calls++;
      expect(n).toBe(calls);
      const error = c.tries[n - 1];
      if (error) throw error;
      return `ok on ${n}`;
    };
    const run = retry(attempt, { ...c.options, random: () => c.random ?? 0.5, sleep: async (ms) => void waits.push(ms) });
    if (c.outcome === 'ok') await expect(run).resolves.toBe(`ok on ${c.calls}`);
    else await expect(run).rejects.toBe(c.tries[c.outcome === 'the first error' ? 0 : c.calls - 1]);
    expect(calls).toBe(c.calls);
    expect(waits).toEqual(c.waits);
  });

  it('tells onRetry each error, attempt and delay before waiting', async () => {
    const told: Array<[string, number, number]> = [];
    const first = flagged(true);
    const second = flagged(true);
    const tries = [first, second];
    await retry(async (n) => {
      if (tries[n - 1]) throw tries[n - 1];
    }, { baseDelayMs: 100, random: () => 0.5, sleep: async () => {}, onRetry: (error, attempt, delay) => told.push([(error as Error).message, attempt, delay]) });
    expect(told).toEqual([['try later', 1, 50], ['try later', 2, 100]]);
  });

  it('gives up rather than wait past maxElapsedMs, by the injected clock', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const last = flagged(true);
    let calls = 0;
    const run = retry(
      async () => {
        calls++;
        now += 400; // each try takes 400 ms
        throw calls === 3 ? last : flagged(true);
      },
      { attempts: 10, baseDelayMs: 1000, random: () => 0.5, maxElapsedMs: 2500, clock: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) },
    );
    // 400 + wait 500 + 400 + wait 1000 = 2 300; a third try ends at 2 700, and a 2 000 ms wait would pass 2 500.
    await expect(run).rejects.toBe(last);
    expect(calls).toBe(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('stops when aborted: a wait under way ends at once and the signal’s reason is thrown', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = retry(async () => {
      calls++;
      throw flagged(true);
    }, { attempts: Infinity, baseDelayMs: 60_000, random: () => 0.999, signal: controller.signal });
    // The first try has failed and the retrier is waiting (up to a minute) for the second.
    await Promise.resolve();
    await Promise.resolve();
    controller.abort(new Error('stopping'));
    await expect(run).rejects.toThrow('stopping');
    expect(calls).toBe(1);
  });

  it('does not start when already aborted', async () => {
    let calls = 0;
    await expect(retry(async () => void calls++, { signal: AbortSignal.abort(new Error('stopped before')) })).rejects.toThrow('stopped before');
    expect(calls).toBe(0);
  });
});

describe('sleep', () => {
  it('resolves at once when the signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
