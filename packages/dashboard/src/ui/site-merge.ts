// The page's copy of the site list, kept from /api/stream?sites=changes: the whole list, then each
// site's changed fields merged in. Worst first, as the server sends the whole list.
import type { Health, SiteChange, SiteSummary } from '@wardwatch/schema';

const ORDER: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };

export function applySiteChanges(sites: Map<string, SiteSummary>, changes: readonly SiteChange[]): SiteSummary[] {
  for (const change of changes) {
    if (change.removed) {
      sites.delete(change.id);
      continue;
    }
    const merged = { ...(sites.get(change.id) ?? {}), ...change.set } as SiteSummary & Record<string, unknown>;
    for (const key of change.unset ?? []) delete merged[key];
    sites.set(change.id, merged);
  }
  return [...sites.values()].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name));
}
