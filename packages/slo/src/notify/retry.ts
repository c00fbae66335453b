// The one retry helper: exponential backoff with jitter, retrying only what can succeed later.

export interface RetryOptions {
  /** Tries in all, the first included (default 4). */
  attempts?: number;
  /** Delay before the first retry, doubled each time (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on any single delay (default 30 s). */
  maxDelayMs?: number;
  /** Decides whether an error is worth another try (default: `error.retriable`, else network error codes). */
  isRetriable?: (error: unknown) => boolean;
  /** Called before each wait; for logs and metrics. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injectable for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

export function isRetriableError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { retriable, code, cause } = error as { retriable?: unknown; code?: unknown; cause?: unknown };
  if (typeof retriable === 'boolean') return retriable;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return cause !== undefined && cause !== error && isRetriableError(cause);
}

/**
 * Delay before retry `retry` (1-based): base × 2^(retry−1) capped at max, then "equal jitter" — a
 * random point in its upper half — so that many senders retrying together spread out.
 */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const isRetriable = options.isRetriable ?? isRetriableError;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetriable(error)) throw error;
      let delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof retryAfter === 'number') delay = Math.max(delay, Math.min(retryAfter, maxDelayMs));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
