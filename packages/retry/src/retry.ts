// Runs an operation until it succeeds, fails for good, runs out of tries or time, or is aborted —
// waiting a backoffDelay between tries. Whether an error is worth another try is the error's to say
// (its `retriable` flag, as kafkajs' errors and wardwatch's TransportError and NotifierError carry),
// never read from its message.
import { backoffDelay } from './backoff.ts';

export interface RetryOptions {
  /** Tries in all, the first included (default 4; Infinity: until it succeeds, fails for good or is aborted). */
  attempts?: number;
  /** Ceiling of the first retry's delay, doubled each retry (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on the ceiling of any delay, and on a Retry-After honoured (default 30 s). */
  maxDelayMs?: number;
  /** Gives up rather than wait past this much time since the first try, by `clock` (default no limit). */
  maxElapsedMs?: number;
  /** Whether an error is worth another try (default isRetriableError). */
  isRetriable?: (error: unknown) => boolean;
  /** Told before each wait; for logs and metrics. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops the retries: a wait under way ends at once and the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Injectable for tests: uniform in [0, 1) (default Math.random). */
  random?: () => number;
  /** Injectable for tests: resolves after `ms`, or as soon as `signal` aborts (default: a timer). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests: epoch ms, read for maxElapsedMs (default Date.now). */
  clock?: () => number;
}

/** Error codes of Node's sockets and fetch (undici) that mean "the other end was not reachable just now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The default judgement: an error's own `retriable` flag when it has one; else a network error code;
 * else the same question asked of its cause (fetch's "fetch failed" carries the socket error there).
 * Anything else — a bug, a refusal — is not retried.
 */
export function isRetriableError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { retriable, code, cause } = error as { retriable?: unknown; code?: unknown; cause?: unknown };
  if (typeof retriable === 'boolean') return retriable;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return cause !== undefined && cause !== error && isRetriableError(cause);
}

/** Resolves after `ms`, or at once when `signal` aborts (it never rejects: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Calls `operation(attempt)` (1-based) until it resolves, and returns what it resolved to. A failure
 * that isRetriable says can succeed later is tried again after backoffDelay(retry) — at least the
 * error's `retryAfterMs` when it carries one (a 429's or 503's Retry-After), capped by maxDelayMs. The
 * last error is thrown when the tries run out, when the next wait would pass maxElapsedMs, or at once
 * when it is not retriable.
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoff = { baseMs: options.baseDelayMs ?? 500, capMs: options.maxDelayMs ?? 30_000 };
  const isRetriable = options.isRetriable ?? isRetriableError;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  const clock = options.clock ?? Date.now;
  const { signal } = options;
  const started = clock();
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetriable(error)) throw error;
      let delay = backoffDelay(attempt, backoff, random);
      const retryAfter = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
      if (typeof retryAfter === 'number' && retryAfter > 0) delay = Math.max(delay, Math.min(retryAfter, backoff.capMs));
      if (options.maxElapsedMs !== undefined && clock() + delay - started > options.maxElapsedMs) throw error;
      options.onRetry?.(error, attempt, delay);
      await wait(delay, signal);
    }
  }
}
