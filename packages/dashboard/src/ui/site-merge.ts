// The page's copy of the site list, kept from /api/stream?sites=changes: the whole list, then each
// site's changed fields merged in. Worst first, as the server sends the whole list.
import type { SiteChange, SiteSummary } from '@wardwatch/schema';
import { byConcern } from './site-filter.ts';

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
  return [...sites.values()].sort(byConcern);
}

/** Whether two summaries of a site say the same (nested parts, alerts and cause, compared as JSON). */
export function sameSummary(a: SiteSummary, b: SiteSummary): boolean {
  const keys = Object.keys(a) as (keyof SiteSummary)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * A newly received list with the previous list's objects kept for the sites that did not change,
 * and the previous list itself when nothing did: the stream's first message repeats the list the
 * page fetched a moment before, and redrawing a thousand unchanged sites for it would hold up the
 * grid's first frame.
 */
export function reuseUnchanged(previous: readonly SiteSummary[], next: SiteSummary[]): SiteSummary[] {
  const before = new Map(previous.map((s) => [s.id, s]));
  let same = previous.length === next.length;
  const merged = next.map((site, i) => {
    const old = before.get(site.id);
    if (old && (old === site || sameSummary(old, site))) {
      if (previous[i] !== old) same = false;
      return old;
    }
    same = false;
    return site;
  });
  return same ? (previous as SiteSummary[]) : merged;
}
