// The audit trail beside the rollups (see AuditEntry in @wardwatch/schema): appended to, never
// edited; read newest first. Implemented by both stores; tested by the shared contract.
import type { AuditAction, AuditEntry } from '@wardwatch/schema';

export interface AuditQuery {
  /** Entries at or after `from` and before `to`, epoch ms. */
  from?: number;
  to?: number;
  actor?: string;
  action?: AuditAction;
  /** At most this many, newest first (default 1000). */
  limit?: number;
}

export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  auditEntries(query?: AuditQuery): Promise<AuditEntry[]>;
}

export interface AuditRow {
  at: number;
  action: string;
  actor: string;
  actor_name: string;
  role: string;
  ip: string;
  target: string;
  status: number;
  detail: string;
}

export const toAuditRow = (e: AuditEntry): AuditRow => ({
  at: e.at,
  action: e.action,
  actor: e.actor,
  actor_name: e.actorName,
  role: e.role,
  ip: e.ip,
  target: e.target,
  status: e.status,
  detail: e.detail,
});

export const fromAuditRow = (r: AuditRow): AuditEntry => ({
  at: Number(r.at),
  action: r.action as AuditAction,
  actor: r.actor,
  actorName: r.actor_name,
  role: r.role,
  ip: r.ip,
  target: r.target,
  status: Number(r.status),
  detail: r.detail,
});

/** WHERE conditions and LIMIT for a query, with `param(value)` returning each value's placeholder. */
export function auditWhere(q: AuditQuery, param: (value: unknown) => string): string {
  const where: string[] = [];
  if (q.from !== undefined) where.push(`at >= ${param(q.from)}`);
  if (q.to !== undefined) where.push(`at < ${param(q.to)}`);
  if (q.actor !== undefined) where.push(`actor = ${param(q.actor)}`);
  if (q.action !== undefined) where.push(`action = ${param(q.action)}`);
  const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
  return `${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT ${param(limit)}`;
}
