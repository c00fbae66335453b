// One truth on the site grid: a site's summary carries the SLO alerts firing on it, and a site whose
// page is firing is never shown as plain OK — its status becomes degraded with the burning SLO named.
import { KEEP_FIRING_FOR_MS, type Health, type ScopeStatus, type SiteAlerts, type SiteSummary, type SloAlert } from '@wardwatch/schema';

/**
 * Firing alerts by site id ("site:S1" scopes; trust- and application-wide alerts name no site). A held
 * alert counts as acknowledged when a silence holds it, as planned when planned work does (a silence
 * of kind maintenance, or a recorded maintenance window: `silenceKind`).
 */
export function alertsBySite(firing: readonly SloAlert[]): Map<string, SiteAlerts> {
  const bySite = new Map<string, SiteAlerts>();
  for (const alert of firing) {
    if (!alert.scope.startsWith('site:')) continue;
    const id = alert.scope.slice('site:'.length);
    let entry = bySite.get(id);
    if (!entry) bySite.set(id, (entry = { page: 0, ticket: 0, slos: [] }));
    entry[alert.severity]++;
    if (alert.silencedBy !== null && alert.silenceKind === 'maintenance') {
      entry.planned = (entry.planned ?? 0) + 1;
      if (alert.severity === 'page') entry.plannedPages = (entry.plannedPages ?? 0) + 1;
    } else if (alert.silencedBy !== null) {
      entry.acknowledged = (entry.acknowledged ?? 0) + 1;
      if (alert.severity === 'page') entry.acknowledgedPages = (entry.acknowledgedPages ?? 0) + 1;
    }
    if (alert.clearingSince !== undefined) {
      entry.held ??= { page: 0, ticket: 0, slos: [] };
      entry.held[alert.severity]++;
      if (!entry.held.slos.includes(alert.slo)) entry.held.slos.push(alert.slo);
    }
    if (!entry.slos.includes(alert.slo)) {
      if (alert.severity === 'page') entry.slos.unshift(alert.slo);
      else entry.slos.push(alert.slo);
    }
  }
  return bySite;
}

/**
 * What a site's pages make of its status: an OK or unknown site with a page firing is degraded, the
 * SLO named as the reason; undefined where they change nothing.
 */
function raisedByPages(status: Health, reason: string, counted: SiteAlerts): { status: Health; reason: string } | undefined {
  if (counted.page === 0 || (status !== 'ok' && status !== 'unknown')) return undefined;
  const paging = counted.slos.slice(0, counted.page);
  const held = paging.filter((slo) => counted.held?.slos.includes(slo));
  const burning = paging.filter((slo) => !held.includes(slo));
  // A page held after its burn fell below the thresholds is still firing (GET /api/alerts), but not burning.
  const why =
    burning.length > 0
      ? `SLO ${burning.join(', ')} is burning its error budget fast enough to page`
      : `SLO ${held.join(', ')} paged and is held firing: its burn is below the thresholds, and it resolves if it stays there ${KEEP_FIRING_FOR_MS / 60_000} min`;
  return { status: 'degraded', reason: status === 'unknown' && reason ? `${why}; ${reason}` : why };
}

/** The summary with its alerts; an OK or unknown site with a page firing is degraded, the SLO named as the reason. */
export function withAlerts(site: SiteSummary, alerts: SiteAlerts | undefined): SiteSummary {
  const counted = alerts ?? { page: 0, ticket: 0, slos: [] };
  const raised = raisedByPages(site.status, site.reason, counted);
  return raised ? { ...site, ...raised, alerts: counted } : { ...site, alerts: counted };
}

/** A site scope's status as the site list gives it (GET /api/scopes/site:…): raised by its pages alike. */
export function siteStatusWithAlerts(status: ScopeStatus, alerts: SiteAlerts | undefined): ScopeStatus {
  const raised = alerts && status.scope === 'site' ? raisedByPages(status.status, status.reason, alerts) : undefined;
  return raised ? { ...status, ...raised } : status;
}

const severity = { down: 0, degraded: 1, unknown: 2, ok: 3 } as const;

/** Every site's summary with its alerts, worst first (the board's order, after alerts may have raised a status). */
export function sitesWithAlerts(sites: readonly SiteSummary[], firing: readonly SloAlert[] | undefined): SiteSummary[] {
  if (!firing) return [...sites];
  const bySite = alertsBySite(firing);
  return sites
    .map((s) => withAlerts(s, bySite.get(s.id)))
    .sort((a, b) => severity[a.status] - severity[b.status] || a.name.localeCompare(b.name));
}
