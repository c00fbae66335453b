// The changes between what a stream last sent of each site and the summaries now: per site only the
// fields that moved (most minutes, only asOf and the figures), so a grid left open takes changes
// rather than the whole estate on every update.
import type { SiteChange, SiteSummary } from '@wardwatch/schema';

/** Changes from `sent` (site id → the JSON last sent, updated in place) to `sites`. */
export function siteChanges(sent: Map<string, string>, sites: readonly SiteSummary[]): SiteChange[] {
  const changes: SiteChange[] = [];
  const seen = new Set<string>();
  for (const site of sites) {
    seen.add(site.id);
    const json = JSON.stringify(site);
    const before = sent.get(site.id);
    if (before === json) continue;
    sent.set(site.id, json);
    if (before === undefined) {
      changes.push({ id: site.id, set: site });
      continue;
    }
    const was = JSON.parse(before) as Record<string, unknown>;
    const now = site as unknown as Record<string, unknown>;
    const set: Record<string, unknown> = {};
    for (const key of Object.keys(now)) if (JSON.stringify(now[key]) !== JSON.stringify(was[key])) set[key] = now[key];
    const unset = Object.keys(was).filter((key) => !(key in now));
    changes.push({ id: site.id, set: set as Partial<SiteSummary>, ...(unset.length > 0 ? { unset } : {}) });
  }
  for (const id of [...sent.keys()]) {
    if (seen.has(id)) continue;
    sent.delete(id);
    changes.push({ id, removed: true });
  }
  return changes;
}
