// How long to wait before a retry: exponential backoff with "full jitter" (AWS Architecture Blog,
// "Exponential Backoff And Jitter"): a uniform pick in [0, min(cap, base × 2^(retry−1))). Many senders
// failing together (a broker restart, a server back from maintenance) then spread their retries over
// the whole interval instead of arriving again in one wave.

export interface Backoff {
  /** The ceiling of the first retry's delay, doubled for each retry after it. */
  baseMs: number;
  /** The largest ceiling any retry's delay is drawn under. */
  capMs: number;
}

/** Milliseconds before retry `retry` (1 for the first retry); `random` is uniform in [0, 1). */
export function backoffDelay(retry: number, { baseMs, capMs }: Backoff, random: () => number): number {
  // 2^40 × any sensible base is past every cap; the bound keeps the power finite for huge counts.
  const exponent = Math.min(Math.max(retry - 1, 0), 40);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
