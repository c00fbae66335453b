// What an SLO is measured on: its target scopes ("trust", "site:S1", "app:epr") and which rollup
// metric and count make its good events.
import type { IndicatorKind, SloDefinition } from './definition.ts';

export const TRUST_SCOPE = 'trust';

export interface IndicatorSource {
  /** Rollup metric holding the events. */
  metric: 'app.totalMs' | 'logon.totalMs';
  /** Which rollup count is the good one: `fast` (succeeded under the latency threshold) or `good` (succeeded). */
  goodCount: 'fast' | 'good';
}

export const INDICATOR_SOURCES: Record<IndicatorKind, IndicatorSource> = {
  latency: { metric: 'app.totalMs', goodCount: 'fast' },
  logon: { metric: 'logon.totalMs', goodCount: 'fast' },
  availability: { metric: 'app.totalMs', goodCount: 'good' },
};

const TARGET_PREFIX = { trust: TRUST_SCOPE, site: 'site:', application: 'app:' } as const;

/**
 * The target scopes of an SLO: one for the trust or a named site/application, and for a "*" selector
 * one per site or application among `knownScopes` (target keys such as those SliCounter.scopes() lists).
 */
export function expandSlo(slo: SloDefinition, knownScopes: Iterable<string>): string[] {
  const { kind, selector } = slo.scope;
  if (kind === 'trust') return [TRUST_SCOPE];
  const prefix = TARGET_PREFIX[kind];
  if (selector !== '*') return [`${prefix}${selector}`];
  const found = new Set<string>();
  for (const scope of knownScopes) if (scope.startsWith(prefix)) found.add(scope);
  return [...found].sort();
}

/**
 * The target scopes a stored rollup scope counts towards: a site's rollups make the site and the
 * trust; a site × application rollup ("siteapp:S1/epr") makes the application across sites.
 */
export function targetScopesOf(rollupScope: string): string[] {
  if (rollupScope.startsWith('site:')) return [rollupScope, TRUST_SCOPE];
  if (rollupScope.startsWith('siteapp:')) {
    const slash = rollupScope.indexOf('/', 8);
    if (slash > 0) return [`app:${rollupScope.slice(slash + 1)}`];
  }
  return [];
}

/** Rollup scope patterns (RollupQuery syntax) that feed every target scope. */
export const ROLLUP_SCOPE_PATTERNS = ['site:*', 'siteapp:*'] as const;
