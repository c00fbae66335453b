// Roles and the one table of what every route needs. viewer: dashboards and reports; operator: also
// acknowledge, silence, assign alerts, annotate; admin: also tokens, role mapping, SLO reload. `public` routes need
// no session; `device` routes are for devices, admitted by ingest tokens, never by a session.
import { TrieRouter } from 'hono/router/trie-router';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Access = 'public' | 'device' | Role;

export function roleAtLeast(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A hono route pattern, as the route is mounted. */
  path: string;
  access: Access;
  /**
   * What the route serves covers every trust, so the caller must also be granted every trust (a
   * user or token of some trusts is refused with this reason): it cannot be filtered by trust.
   */
  everyTrust?: string;
}

/**
 * Every route of the application and the access it needs, most specific first. A request that
 * matches none needs admin (closed by default); route-roles.test.ts fails when the application has
 * a route this table does not list.
 */
export const ROUTE_ACCESS: readonly RouteAccess[] = [
  { method: 'GET', path: '/healthz', access: 'public' },
  // Its gauges name every trust's sites, so the caller must also be granted every trust (access.ts):
  // Prometheus scrapes with a viewer API token of every trust. `metrics: public` in the auth file opens it.
  { method: 'GET', path: '/metrics', access: 'viewer', everyTrust: '/metrics covers every trust: it needs a token or user granted every trust' },
  { method: 'GET', path: '/auth/login', access: 'public' },
  { method: 'GET', path: '/auth/callback', access: 'public' },
  { method: 'POST', path: '/auth/logout', access: 'public' },
  { method: 'GET', path: '/api/me', access: 'viewer' },
  // The role mapping names every trust's groups, and the audit trail every trust's changes, sign-ins
  // and refused probes (a refusal names the trust of what was asked for): neither has a trust to filter by.
  { method: 'GET', path: '/api/auth/roles', access: 'admin', everyTrust: 'the role mapping covers every trust: it is for admins granted every trust' },
  { method: 'GET', path: '/api/audit', access: 'admin', everyTrust: 'the audit trail covers every trust: it is for admins granted every trust' },
  // A dead letter is what a sender sent, of whatever trust it claimed, before anything vouched for it.
  { method: 'GET', path: '/api/dead-letters', access: 'admin', everyTrust: 'dead letters cover every trust (nothing vouched for what was refused): they are for admins granted every trust' },
  { method: 'POST', path: '/api/tokens', access: 'admin' },
  { method: 'GET', path: '/api/tokens', access: 'admin' },
  { method: 'DELETE', path: '/api/tokens/:id', access: 'admin' },
  { method: 'POST', path: '/api/ingest', access: 'device' },
  // OTLP/HTTP: logs are events (routes/otlp-logs.ts); the other signals are answered 404 with why.
  { method: 'POST', path: '/v1/logs', access: 'device' },
  { method: 'POST', path: '/v1/*', access: 'device' },
  { method: 'GET', path: '/api/sites', access: 'viewer' },
  { method: 'GET', path: '/api/sites/:id', access: 'viewer' },
  { method: 'GET', path: '/api/sites/:id/uptime', access: 'viewer' },
  { method: 'GET', path: '/api/causes', access: 'viewer' },
  { method: 'GET', path: '/api/scopes/:key{.+}', access: 'viewer' },
  { method: 'GET', path: '/api/devices', access: 'viewer' },
  { method: 'GET', path: '/api/stream', access: 'viewer' },
  { method: 'GET', path: '/api/slos', access: 'viewer' },
  { method: 'GET', path: '/api/slos/:slo/budget', access: 'viewer' },
  { method: 'GET', path: '/api/alerts', access: 'viewer' },
  { method: 'POST', path: '/api/silences', access: 'operator' },
  { method: 'DELETE', path: '/api/silences/:id', access: 'operator' },
  { method: 'PUT', path: '/api/alerts/:fingerprint/assignment', access: 'operator' },
  { method: 'DELETE', path: '/api/alerts/:fingerprint/assignment', access: 'operator' },
  { method: 'GET', path: '/api/annotations', access: 'viewer' },
  { method: 'POST', path: '/api/annotations', access: 'operator' },
  { method: 'DELETE', path: '/api/annotations/:id', access: 'operator' },
  { method: 'GET', path: '/api/reports/:trust/:month', access: 'viewer' },
  { method: 'GET', path: '/api/export', access: 'viewer' },
  // The dashboard's page (written per caller, with the first frame of their sites), its files and its client-side routes.
  { method: 'GET', path: '/', access: 'viewer' },
  { method: 'GET', path: '/index.html', access: 'viewer' },
  { method: 'GET', path: '/*', access: 'viewer' },
];

export class RouteAccessTable {
  private readonly router = new TrieRouter<RouteAccess>();
  constructor(readonly entries: readonly RouteAccess[] = ROUTE_ACCESS) {
    for (const e of entries) this.router.add(e.method, e.path, e);
  }

  /** The access a request needs: the first entry that matches, else admin. HEAD is read as GET. */
  accessFor(method: string, path: string): Access {
    return this.entryFor(method, path)?.access ?? 'admin';
  }

  /** Why a request needs a caller granted every trust, or undefined when it does not. */
  everyTrustFor(method: string, path: string): string | undefined {
    return this.entryFor(method, path)?.everyTrust;
  }

  private entryFor(method: string, path: string): RouteAccess | undefined {
    const [matches] = this.router.match(method === 'HEAD' ? 'GET' : method, path) as [Array<[RouteAccess, unknown]>];
    return matches[0]?.[0];
  }
}
