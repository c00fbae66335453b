// Trust scoping in front of the read routes that name one trust's thing in their path or query (a
// site, a report, an export): another trust's answers 404, as if it did not exist. And the site list,
// filtered to the caller's trusts. The routes that list scopes filter themselves (routes/sites.ts).
import { Hono, type Context, type Next } from 'hono';
import type { SiteSummary } from '@wardwatch/schema';
import type { StatusBoard } from '../status-board.ts';
import { trustScopeOf } from './trust-scope.ts';

/** The trust a scope key (or a prefix like ward:RXX01/*) belongs to, as far as the board knows. */
export function trustOfScope(board: Pick<StatusBoard, 'get' | 'siteSummary'>, key: string): string | undefined {
  const status = board.get(key);
  if (status) return status.trust;
  const site = /^(?:site|ward|siteapp):([^/*]+)/.exec(key)?.[1];
  return site ? board.siteSummary(site)?.trust : undefined;
}

export function trustGate(board: Pick<StatusBoard, 'get' | 'siteSummary'>): Hono {
  const app = new Hono();

  app.get('/sites', async (c, next) => {
    await next();
    const trusts = trustScopeOf(c);
    if (trusts.all || c.res.status !== 200) return;
    const sites = (await c.res.json()) as SiteSummary[];
    c.res = new Response(JSON.stringify(sites.filter((s) => trusts.sees(s.trust))), { status: 200, headers: { 'content-type': 'application/json' } });
    c.res.headers.delete('content-length'); // the merged headers must not keep the unfiltered length
  });

  const siteOfTheirs = async (c: Context, next: Next) => {
    const id = c.req.param('id')!;
    if (!trustScopeOf(c).sees(board.siteSummary(id)?.trust)) return c.json({ error: `no site with id "${id}"` }, 404);
    return next();
  };
  app.get('/sites/:id', siteOfTheirs);
  app.get('/sites/:id/uptime', siteOfTheirs);

  app.get('/reports/:trust/:month', async (c, next) => {
    const trust = c.req.param('trust');
    if (!trustScopeOf(c).sees(trust)) return c.json({ error: `no trust "${trust}"` }, 404);
    return next();
  });

  app.get('/export', async (c, next) => {
    const scope = c.req.query('scope');
    if (scope && !trustScopeOf(c).sees(trustOfScope(board, scope))) return c.json({ error: `no scope "${scope}"` }, 404);
    return next();
  });

  return app;
}
