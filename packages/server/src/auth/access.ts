// The guard in front of every route: finds what the route needs in the one table (roles.ts), then
// the caller's session, and answers 401 (no live session) or 403 (a role too low) before the route
// runs. Without sign-in configured every caller is the local administrator, which the command line
// allows only on a loopback address.
import { Hono, type MiddlewareHandler } from 'hono';
import type { Principal } from './claims.ts';
import { roleAtLeast, RouteAccessTable } from './roles.ts';
import type { SignOn } from './sign-on.ts';
import { API_TOKEN_PREFIX, type ApiTokens } from './api-tokens.ts';
import { noteRefusal } from './refusal.ts';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

export const LOCAL_ADMIN: Principal = Object.freeze({ sub: 'local', name: 'local user (no sign-in configured)', role: 'admin', trusts: ['*'] }) as Principal;

export interface AccessOptions {
  /** API tokens (Authorization: Bearer wwt_…) as another way in besides a session. */
  tokens?: ApiTokens;
  /** GET /metrics open to all (`metrics: public` in the auth file) instead of needing a viewer of every trust. */
  publicMetrics?: boolean;
  table?: RouteAccessTable;
}

export function accessControl(signOn: SignOn | undefined, options: AccessOptions = {}): MiddlewareHandler {
  const table = options.table ?? new RouteAccessTable();
  return async (c, next) => {
    let access = table.accessFor(c.req.method, c.req.path);
    const metrics = c.req.path === '/metrics';
    if (metrics && options.publicMetrics) access = 'public';
    if (access === 'public' || access === 'device') return next();
    if (!signOn) {
      c.set('principal', LOCAL_ADMIN);
      return next();
    }
    const bearer = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer?.startsWith(API_TOKEN_PREFIX) && options.tokens) {
      const checked = await options.tokens.check(bearer);
      if (!checked.ok) {
        c.header('WWW-Authenticate', 'Bearer realm="wardwatch", error="invalid_token"');
        return c.json({ error: checked.why === 'unknown' ? 'unknown API token' : `the API token is ${checked.why}: ask an admin for a new one` }, 401);
      }
      return admit(checked.principal);
    }
    const session = await signOn.sessions.read(c);
    if (session.kind !== 'active') {
      if (session.kind === 'invalid') signOn.sessions.end(c);
      const navigation = c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.header('sec-fetch-mode') === 'navigate';
      if (navigation) return c.redirect(`/auth/login?returnTo=${encodeURIComponent(c.req.path)}`, 302);
      const why = session.kind === 'expired' ? `your session ended (${session.why === 'idle' ? 'idle too long' : 'too old'}); ` : '';
      return c.json({ error: `${why}sign in first: /auth/login`, login: '/auth/login' }, 401);
    }
    return admit(session.principal);

    function admit(principal: Principal) {
      if (access === 'public' || access === 'device') return next();
      if (!roleAtLeast(principal.role, access)) {
        noteRefusal(c, `needs the ${access} role; has ${principal.role}`, principal);
        return c.json({ error: `${c.req.method} ${c.req.path} needs the ${access} role; ${principal.name} has ${principal.role}` }, 403);
      }
      // Not filtered by trust (the pipeline's counters, the audit trail, the role mapping): for callers of every trust.
      const everyTrust = table.everyTrustFor(c.req.method, c.req.path);
      if (everyTrust && !principal.trusts.includes('*')) {
        noteRefusal(c, `needs every trust; has ${principal.trusts.join(', ') || 'none'}`, principal);
        return c.json({ error: everyTrust }, 403);
      }
      c.set('principal', principal);
      return next();
    }
  };
}

/** GET /api/me (who the caller is) and GET /api/auth/roles (the role mapping, for admins). */
export function accountRoutes(signOn: SignOn | undefined): Hono {
  const app = new Hono();
  app.get('/me', (c) => c.json({ ...c.get('principal'), signOn: Boolean(signOn) }));
  app.get('/auth/roles', (c) => {
    if (!signOn) return c.json({ signOn: false, note: 'no sign-in configured: the server is reachable on loopback only and every caller is the local administrator' });
    const { roles, trusts, nameClaim, issuer, clientId, scopes } = signOn.config;
    return c.json({ signOn: true, issuer, clientId, scopes, nameClaim, roles, trusts: trusts ?? null });
  });
  return app;
}
