// Narrowing and grouping the site grid: search by name or code, filters by status, trust, site type
// and area, groups by status, trust, type or area. Pure, so it is table-tested and cheap per render.
import type { Health, SiteSummary } from '@wardwatch/schema';

export interface SiteFilter {
  /** Matched against the name and the site code, case-insensitive; every word must match. */
  query: string;
  /** Empty: every status. */
  statuses: readonly Health[];
  trust: string;
  type: string;
  area: string;
}

/** Up to this many sites shown, each gets a card; past it, tiles. */
export const CARD_LIMIT = 48;
/** Cards for the sites needing attention above the heat map. */
export const ATTENTION_LIMIT = 12;

/** Shown as a card above the heat map: down, degraded, or paging. */
export const needsAttention = (s: SiteSummary): boolean => s.status === 'down' || s.status === 'degraded' || (s.alerts?.page ?? 0) > 0;

export const NO_FILTER: SiteFilter = { query: '', statuses: [], trust: '', type: '', area: '' };

export const GROUPINGS = ['status', 'trust', 'type', 'area'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The statuses worst first, as the grid's filter lists them. */
export const STATUSES_WORST_FIRST: readonly Health[] = ['down', 'degraded', 'unknown', 'ok'];

const ORDER: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };
// One collator for every sort: String.localeCompare without one looks the locale up on each call,
// which sorting a thousand sites a render cannot afford.
const byName = new Intl.Collator('en-GB').compare;

export function filterSites(sites: readonly SiteSummary[], filter: SiteFilter): SiteSummary[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  return sites.filter((s) => {
    if (filter.statuses.length > 0 && !filter.statuses.includes(s.status)) return false;
    if (filter.trust && s.trust !== filter.trust) return false;
    if (filter.type && s.type !== filter.type) return false;
    if (filter.area && s.area !== filter.area) return false;
    if (words.length === 0) return true;
    const text = `${s.name} ${s.id}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export interface SiteGroup {
  key: string;
  label: string;
  sites: SiteSummary[];
  counts: Record<Health, number>;
}

/** Groups in a stable order (statuses worst first, the rest by name), sites worst first within each. */
export function groupSites(sites: readonly SiteSummary[], by: Grouping): SiteGroup[] {
  const groups = new Map<string, SiteGroup>();
  for (const site of sites) {
    const key = by === 'status' ? site.status : (site[by] ?? '');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, label: groupLabel(by, key), sites: [], counts: { ok: 0, degraded: 0, down: 0, unknown: 0 } }));
    group.sites.push(site);
    group.counts[site.status]++;
  }
  const list = [...groups.values()];
  for (const g of list) g.sites.sort(byConcern);
  return by === 'status'
    ? list.sort((a, b) => ORDER[a.key as Health] - ORDER[b.key as Health])
    : list.sort((a, b) => (a.key === '') !== (b.key === '') ? (a.key === '' ? 1 : -1) : byName(a.key, b.key));
}

export function byConcern(a: SiteSummary, b: SiteSummary): number {
  return ORDER[a.status] - ORDER[b.status] || byName(a.name, b.name);
}

const STATUS_WORDS: Record<Health, string> = { down: 'Down', degraded: 'Degraded', unknown: 'Unknown', ok: 'OK' };

function groupLabel(by: Grouping, key: string): string {
  if (by === 'status') return STATUS_WORDS[key as Health] ?? key;
  if (key === '') return by === 'trust' ? 'No trust' : by === 'type' ? 'Type not recorded' : 'Area not recorded';
  return key;
}

/** Distinct non-empty values of a field, sorted: the choices a filter offers. */
export function choices(sites: readonly SiteSummary[], field: 'trust' | 'type' | 'area'): string[] {
  const seen = new Set<string>();
  for (const s of sites) {
    const v = s[field];
    if (v) seen.add(v);
  }
  return [...seen].sort();
}

/** Filter and grouping from the hash's query ("#/wall?status=degraded,down&trust=RXX&group=trust"). */
export function filterFromQuery(query: string): { filter: SiteFilter; group: Grouping } {
  const params = new URLSearchParams(query);
  const statuses = (params.get('status') ?? '').split(',').filter((s): s is Health => s in ORDER);
  const group = params.get('group');
  return {
    filter: { query: params.get('q') ?? '', statuses, trust: params.get('trust') ?? '', type: params.get('type') ?? '', area: params.get('area') ?? '' },
    group: (GROUPINGS as readonly string[]).includes(group ?? '') ? (group as Grouping) : 'status',
  };
}

/** The hash query for a filter and grouping (empty parts left out), the inverse of filterFromQuery. */
export function filterToQuery(filter: SiteFilter, group: Grouping): string {
  const params = new URLSearchParams();
  if (filter.query) params.set('q', filter.query);
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  for (const field of ['trust', 'type', 'area'] as const) if (filter[field]) params.set(field, filter[field]);
  if (group !== 'status') params.set('group', group);
  return params.toString().replace(/%2C/g, ',');
}

/**
 * A filter in words ("status down · trust RB2 · search “ward”"), or "" when it lets every site through:
 * what a filtered view says it is showing, so a wall left on a filtered link never reads as the estate.
 */
export function filterText(filter: SiteFilter): string {
  const parts: string[] = [];
  if (filter.statuses.length > 0) parts.push(`status ${filter.statuses.join(' or ')}`);
  if (filter.trust) parts.push(`trust ${filter.trust}`);
  if (filter.type) parts.push(`type ${filter.type}`);
  if (filter.area) parts.push(`area ${filter.area}`);
  if (filter.query.trim()) parts.push(`search “${filter.query.trim()}”`);
  return parts.join(' · ');
}
