// The audit trail: one entry per change made through the API (a silence, an annotation, …) and per
// sign-in, refused sign-in and logout — who, when, from where and what. Kept in the store, served to
// admins by GET /api/audit (JSON or CSV).

export const AUDIT_ACTIONS = ['login', 'login-refused', 'login-failed', 'logout', 'change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Epoch ms (UTC). */
  at: number;
  action: AuditAction;
  /** The provider's subject, `local` without sign-in, or empty when nobody was signed in. */
  actor: string;
  /** The name the provider gave, for people reading the trail. */
  actorName: string;
  /** The role the actor held, or empty. */
  role: string;
  /** The client's address (the first X-Forwarded-For entry behind a proxy). */
  ip: string;
  /** For a change: "POST /api/silences"; for a sign-in: the route. */
  target: string;
  /** HTTP status of the answer. */
  status: number;
  /** What was changed or why a sign-in failed: the request body (cut to 4 kB), the id made, the reason. */
  detail: string;
}
