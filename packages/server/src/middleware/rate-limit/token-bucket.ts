// Token buckets by key, on an injected clock: `take(key)` spends one token or says how long until
// one is back. Buckets full again are forgotten, so memory follows the active keys only.

export interface BucketRate {
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
  /** Most tokens a bucket holds (the burst). */
  burst: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly rate: BucketRate,
    private readonly clock: () => number = Date.now,
    /** Most keys tracked; past it the fullest-by-now are forgotten first (a flood of keys costs no memory). */
    private readonly maxKeys = 100_000,
  ) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new RangeError('a rate needs perSecond > 0 and burst >= 1');
  }

  private level(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return this.rate.burst;
    return Math.min(this.rate.burst, b.tokens + ((now - b.at) / 1000) * this.rate.perSecond);
  }

  /** Whether `key` may go now, without spending a token. */
  peek(key: string): Take {
    const now = this.clock();
    const tokens = this.level(key, now);
    return tokens >= 1 ? { ok: true } : { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / this.rate.perSecond) * 1000) };
  }

  take(key: string): Take {
    const now = this.clock();
    const tokens = this.level(key, now);
    if (tokens < 1) return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / this.rate.perSecond) * 1000) };
    if (this.buckets.size >= this.maxKeys && !this.buckets.has(key)) this.forgetFull(now);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return { ok: true };
  }

  /** Keys tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private forgetFull(now: number): void {
    for (const [key] of this.buckets) if (this.level(key, now) >= this.rate.burst) this.buckets.delete(key);
    // Still full of busy keys: forget the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.floor(this.maxKeys / 2);
      for (const key of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
