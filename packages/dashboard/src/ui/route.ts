// The dashboard's hash routes: which page an address's fragment shows, and the address of a site's or
// a scope's page. Pure, so that the first frame's deep-link check (markup/deep-link.ts) can be held to
// the same answers in a table test.

export type Route =
  | { page: 'grid' | 'wall'; query: string }
  | { page: 'site'; id: string }
  | { page: 'scope'; key: string }
  | { page: 'devices' }
  | { page: 'alerts' }
  | { page: 'slos' }
  | { page: 'evidence'; month: string }
  | { page: 'not-found'; hash: string };

/**
 * The page for `location.hash`. A page address ("#/…") that names no page is not found (an old or
 * mistyped link says so, rather than showing the grid as if it were that page); any other fragment
 * ("#main", the skip link's) is the grid.
 */
export function parseRoute(hash: string): Route {
  const site = /^#\/sites\/(.+)$/.exec(hash);
  if (site) return { page: 'site', id: decodeURIComponent(site[1]!) };
  const scope = /^#\/scopes\/(.+)$/.exec(hash);
  if (scope) return { page: 'scope', key: decodeURIComponent(scope[1]!) };
  if (hash === '#/devices') return { page: 'devices' };
  if (hash === '#/alerts') return { page: 'alerts' };
  if (hash === '#/slos') return { page: 'slos' };
  const evidence = /^#\/evidence(?:\/(.*))?$/.exec(hash);
  if (evidence) return { page: 'evidence', month: decodeURIComponent(evidence[1] ?? '') };
  const list = /^#\/(wall)?(?:\?(.*))?$/.exec(hash);
  if (!list && hash.startsWith('#/')) return { page: 'not-found', hash };
  return { page: list?.[1] ? 'wall' : 'grid', query: list?.[2] ?? '' };
}

/** A site's page. */
export const siteAddress = (id: string): string => `#/sites/${encodeURIComponent(id)}`;

/** A scope key's page ("site:…", "ward:…", "ap:…", "device:…", "app:site/app"), or undefined where none shows it (an application across every site, the trust). */
export function scopeAddress(key: string): string | undefined {
  if (key.startsWith('site:')) return siteAddress(key.slice('site:'.length));
  if (key.startsWith('app:') && !key.includes('/')) return undefined;
  if (/^(ward|ap|device|app):/.test(key)) return `#/scopes/${encodeURIComponent(key)}`;
  return undefined;
}
