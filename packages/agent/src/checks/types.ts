// Result shapes of the synthetic checks. AppCheckResult is exactly the contract's AppBody
// (packages/schema/src/v1/payloads.ts), so a result can be used as an `app` event body unchanged:
// no extra fields, because AppBody is a strict object.
import type { z } from 'zod';
import type { APP_FAILURES, AppBody } from '@wardwatch/schema';

/** Why a check failed, in the contract's vocabulary. */
export type AppFailure = (typeof APP_FAILURES)[number];

/** The result of an HTTP(S) or TCP check: an AppBody from the agent's own probe. */
export type AppCheckResult = z.infer<typeof AppBody> & { source: 'synthetic' };

/** The result of a DNS check: how long the name took to resolve, or why it did not. */
export interface DnsCheckResult {
  target: string;
  ok: boolean;
  totalMs: number;
  error?: 'dns' | 'timeout';
}
