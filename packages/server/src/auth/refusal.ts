// Why a request was refused, for the audit trail. The answer may say less than the trail does: a
// thing of another trust answers a plain 404, as if it did not exist, while the trail (read by admins
// only) keeps the true reason and who asked.
import type { Context } from 'hono';
import type { Principal } from './claims.ts';

export interface Refusal {
  why: string;
  /** Who was refused, when the refusal comes before the principal is admitted (a role too low). */
  principal?: Principal;
}

declare module 'hono' {
  interface ContextVariableMap {
    refusal: Refusal;
  }
}

/** Notes the reason for the refusal about to be answered. */
export function noteRefusal(c: Context, why: string, principal?: Principal): void {
  c.set('refusal', principal ? { why, principal } : { why });
}
