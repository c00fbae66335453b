// Request rate limits answering 429 with Retry-After (whole seconds, as the agent reads it):
// per device token on ingest, per client address on failed ingest authentication and on sign-in.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress } from '../../auth/client-address.ts';
import { TokenBuckets, type BucketRate } from './token-bucket.ts';

export { TokenBuckets, type BucketRate } from './token-bucket.ts';

function tooMany(c: Context, retryAfterMs: number, what: string) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  return c.json({ error: `too many ${what}: try again in ${seconds} s` }, 429);
}

/** The socket address alone (X-Forwarded-For can be forged, so a limit never keys on it). */
function socketAddress(c: Context): string {
  return clientAddress(c).split(' ')[0] || 'unknown';
}

export interface IngestLimitOptions {
  /**
   * Per bearer token (a device's, or a site's shared by its devices). Open ingest is not limited per
   * address: a whole site's devices can share one address behind NAT.
   */
  perSender: BucketRate;
  /** Per address, spent only by requests answered 401: a token-guessing flood, not a busy site. */
  failedAuth: BucketRate;
  clock?: () => number;
  onLimited?: (kind: 'sender' | 'failed-auth') => void;
}

export const DEFAULT_INGEST_LIMITS: Omit<IngestLimitOptions, 'clock' | 'onLimited'> = {
  // An agent sends a batch every few seconds and retries with backoff; a site token serves all of a
  // site's devices. 50/s sustained is ample for both, and stops a flood of thousands a second.
  perSender: { perSecond: 50, burst: 500 },
  failedAuth: { perSecond: 1, burst: 20 },
};

export function ingestLimits(options: IngestLimitOptions): MiddlewareHandler {
  const senders = new TokenBuckets(options.perSender, options.clock);
  const failures = new TokenBuckets(options.failedAuth, options.clock);
  return async (c, next) => {
    const address = socketAddress(c);
    const blocked = failures.peek(address);
    if (!blocked.ok) {
      options.onLimited?.('failed-auth');
      return tooMany(c, blocked.retryAfterMs, 'failed authentications from your address');
    }
    const bearer = /^Bearer +(\S+)/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer) {
      // Keyed by a hash: the bucket map never holds a token.
      const taken = senders.take(createHash('sha256').update(bearer).digest('base64url').slice(0, 22));
      if (!taken.ok) {
        options.onLimited?.('sender');
        return tooMany(c, taken.retryAfterMs, 'ingest requests for this device token');
      }
    }
    await next();
    if (c.res.status === 401) failures.take(address);
  };
}

/** Per client address on /auth/login and /auth/callback. */
export function signInLimit(rate: BucketRate = { perSecond: 0.5, burst: 20 }, clock?: () => number): MiddlewareHandler {
  const buckets = new TokenBuckets(rate, clock);
  return async (c, next) => {
    const taken = buckets.take(socketAddress(c));
    if (!taken.ok) return tooMany(c, taken.retryAfterMs, 'sign-in attempts from your address');
    return next();
  };
}
