// The site a scope names, by its name: alerts and SLO targets are keyed "site:RXX03", which a service
// desk reads as "Riverside Community Hospital". Pure, so it is table-tested.
import type { SiteSummary } from '@wardwatch/schema';

/** Site id → name, from the site list the app holds. */
export const siteNames = (sites: readonly Pick<SiteSummary, 'id' | 'name'>[]): ReadonlyMap<string, string> => new Map(sites.map((s) => [s.id, s.name]));

/** The name of the site a scope names ("site:RXX03"); undefined for any other scope, or a site not in the list. */
export function siteNameOf(scope: string, names: ReadonlyMap<string, string>): string | undefined {
  return scope.startsWith('site:') ? names.get(scope.slice('site:'.length)) : undefined;
}
