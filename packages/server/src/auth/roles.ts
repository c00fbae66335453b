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
  { method: 'GET', path: '/metrics', access: 'viewer' },
  { method: 'GET', path: '/auth/login', access: 'public' },
  { method: 'GET', path: '/auth/callback', access: 'public' },
  { method: 'POST', path: '/auth/logout', access: 'public' },
  { method: 'GET', path: '/api/me', access: 'viewer' },
  { method: 'GET', path: '/api/auth/roles', access: 'admin' },
  { method: 'GET', path: '/api/audit', access: 'admin' },
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
  private readonly router = new TrieRouter<Access>();
  constructor(readonly entries: readonly RouteAccess[] = ROUTE_ACCESS) {
    for (const e of entries) this.router.add(e.method, e.path, e.access);
  }

  /** The access a request needs: the first entry that matches, else admin. HEAD is read as GET. */
  accessFor(method: string, path: string): Access {
    const [matches] = this.router.match(method === 'HEAD' ? 'GET' : method, path) as [Array<[Access, unknown]>];
    return matches[0]?.[0] ?? 'admin';
  }
}
