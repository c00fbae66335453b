// The audit trail: every change made through the API (any POST, PUT, PATCH or DELETE that succeeds,
// bar device ingest), every change refused for the caller's role or trusts (403, 404), and every
// sign-in, refused or failed sign-in and logout, with who, when, from where and what, appended to the
// store; GET /api/audit serves it to admins as JSON or CSV.
import { Hono, type MiddlewareHandler } from 'hono';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@wardwatch/schema';
import type { AuditQuery, AuditStore } from '@wardwatch/store';
import type { Principal } from './claims.ts';
import { clientAddress } from './client-address.ts';
import type { AuthEvent } from './sign-on.ts';
import type { Refusal } from './refusal.ts';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_DETAIL = 4096;

export interface AuditOptions {
  store: AuditStore;
  clock?: () => number;
  /** Paths whose writes are not changes to record (device ingest: data, not decisions). */
  skipPaths?: readonly string[];
  /** A failure to append, for the log: the change itself has been made. */
  onError?: (error: unknown) => void;
}

/** Answers that refuse a change for who asked: a role too low (403), another trust's thing (404, or 403). */
const REFUSALS = new Set([403, 404]);

/**
 * Records each change after it has been answered: made (2xx), or refused to a known caller for their
 * role or trusts (403, 404; `detail` then starts "refused: <why>"). Registered in front of the access
 * check so that a write refused for its role is seen too. Other refusals (401 with no session, 400s
 * for a malformed body, limits) change nothing and name no one, and are not recorded.
 */
export function auditChanges({ store, clock = Date.now, skipPaths = ['/api/ingest', '/v1/', '/auth/'], onError }: AuditOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!CHANGES.has(c.req.method) || skipPaths.some((p) => c.req.path.startsWith(p))) return next();
    // Read (and cached by hono for the route) before the route runs: what was asked for.
    const body = (await c.req.text().catch(() => '')).slice(0, MAX_DETAIL);
    await next();
    const refusal: Refusal | undefined = c.get('refusal');
    const principal = (c.get('principal') as Principal | undefined) ?? refusal?.principal;
    let detail = body;
    if (REFUSALS.has(c.res.status)) {
      if (!principal) return;
      // The route's own words when it noted no reason (an id that does not exist, say).
      const why = refusal?.why ?? (((await c.res.clone().json().catch(() => ({}))) as { error?: unknown }).error || `answered ${c.res.status}`);
      detail = `refused: ${String(why).slice(0, 512)}; asked: ${body}`.slice(0, MAX_DETAIL + 512);
    } else if (c.res.status >= 400) {
      return;
    } else if (c.res.status === 201 && c.res.headers.get('content-type')?.includes('json')) {
      const id = ((await c.res.clone().json().catch(() => ({}))) as { id?: unknown }).id;
      if (typeof id === 'string' || typeof id === 'number') detail += ` → id ${String(id).slice(0, 200)}`;
    }
    const entry: AuditEntry = {
      at: clock(),
      action: 'change',
      actor: principal?.sub ?? '',
      actorName: principal?.name ?? '',
      role: principal?.role ?? '',
      ip: clientAddress(c),
      target: `${c.req.method} ${c.req.path}`.slice(0, 512),
      status: c.res.status,
      detail,
    };
    await store.appendAudit(entry).catch((error: unknown) => onError?.(error));
  };
}

/** Sign-in events from SignOn's onEvent, as audit entries. */
export function auditSignOn(store: AuditStore, onError?: (error: unknown) => void): (event: AuthEvent) => void {
  const status = { login: 302, 'login-refused': 403, 'login-failed': 401, logout: 200 } as const;
  return (event) => {
    void store
      .appendAudit({
        at: event.at ?? Date.now(),
        action: event.event,
        actor: event.sub ?? '',
        actorName: event.name ?? '',
        role: event.role ?? '',
        ip: event.ip ?? '',
        target: event.event === 'logout' ? 'POST /auth/logout' : 'GET /auth/callback',
        status: status[event.event],
        detail: event.reason ?? '',
      })
      .catch((error: unknown) => onError?.(error));
  };
}

const COLUMNS = ['at', 'time', 'action', 'actor', 'actorName', 'role', 'ip', 'target', 'status', 'detail'] as const;

/** A CSV cell: quoted, and a leading = + - @ defused so a spreadsheet does not run it as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new RangeError(`${name} must be epoch ms or an ISO time like 2026-11-30T09:00:00Z; got "${value}"`);
  return n;
}

/** GET /api/audit?from=&to=&actor=&action=&limit=&format=csv (admin, by the route table). */
export function auditRoutes(store: AuditStore): Hono {
  const app = new Hono();
  app.get('/audit', async (c) => {
    const q: AuditQuery = {};
    try {
      q.from = instant('from', c.req.query('from'));
      q.to = instant('to', c.req.query('to'));
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
    const actor = c.req.query('actor');
    if (actor) q.actor = actor;
    const action = c.req.query('action');
    if (action !== undefined) {
      if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) return c.json({ error: `action must be one of ${AUDIT_ACTIONS.join(', ')}; got "${action}"` }, 400);
      q.action = action as AuditAction;
    }
    const limit = c.req.query('limit');
    if (limit !== undefined) {
      if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 100_000) return c.json({ error: `limit must be a whole number from 1 to 100000; got "${limit}"` }, 400);
      q.limit = Number(limit);
    }
    const entries = await store.auditEntries(q);
    const csv = c.req.query('format') === 'csv' || (c.req.query('format') === undefined && /text\/csv/.test(c.req.header('accept') ?? ''));
    if (!csv) return c.json(entries);
    const lines = [COLUMNS.join(',')];
    for (const e of entries) {
      lines.push([e.at, new Date(e.at).toISOString(), e.action, e.actor, e.actorName, e.role, e.ip, e.target, e.status, e.detail].map(cell).join(','));
    }
    return c.body(`${lines.join('\r\n')}\r\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="wardwatch-audit.csv"' });
  });
  return app;
}
