// The month's incidents: the SLO alerts firing at any time in it, as the server recorded them when they
// fired and resolved (the store's alert history), at the pack's scopes. Alerts of one fingerprint
// whose spans overlap are one incident (several servers evaluating the same SLOs record each its own).
import type { EvidenceIncident, SloAlert } from '@wardwatch/schema';
import type { MaintenanceWindow } from './pack-inputs.ts';

export interface IncidentScopes {
  /** The pack's sites: their own SLOs' alerts are its. */
  sites: readonly string[];
  /**
   * Whether the estate-wide (`trust`) and per-application (`app:…`) SLOs' alerts are the pack's too:
   * a trust's pack in an estate of that one trust (those SLOs count every trust's checks together).
   */
  estateWide: boolean;
  /** Alerts that fired at or after this (the hour in progress, whose figures the pack has not) are left out. */
  before: number;
  /**
   * The maintenance windows, configured and recorded, whose hours the pack leaves out: an incident that
   * overlaps one at its scope (its site's, or one for every site; an estate-wide alert, one for every
   * site) names it — planned work, which the figures beside it leave out, and the alert was held for.
   */
  maintenance?: readonly MaintenanceWindow[];
}

/** The alerts of a pack (its sites', and the estate-wide and per-application SLOs' when they are its own). */
export function incidentsOf(alerts: readonly SloAlert[], { sites, estateWide, before, maintenance = [] }: IncidentScopes): EvidenceIncident[] {
  const wanted = new Set(sites.map((s) => `site:${s}`));
  const inPack = alerts.filter((a) => a.startsAt < before && (wanted.has(a.scope) || (estateWide && (a.scope === 'trust' || a.scope.startsWith('app:')))));
  const byFingerprint = new Map<string, SloAlert[]>();
  for (const a of inPack) byFingerprint.set(a.fingerprint, [...(byFingerprint.get(a.fingerprint) ?? []), a]);
  const out: EvidenceIncident[] = [];
  for (const group of byFingerprint.values()) {
    group.sort((a, b) => a.startsAt - b.startsAt);
    let current: { first: SloAlert; last: SloAlert; end: number | null } | undefined;
    const flush = () => current && out.push(withMaintenance(incident(current.first, current.last, current.end), maintenance, before));
    for (const a of group) {
      if (current && (current.end === null || a.startsAt <= current.end)) {
        current.end = current.end === null || a.endsAt === null ? null : Math.max(current.end, a.endsAt);
        current.last = a;
        continue;
      }
      flush();
      current = { first: a, last: a, end: a.endsAt };
    }
    flush();
  }
  return out.sort((a, b) => a.firingAt - b.firingAt || a.scope.localeCompare(b.scope) || a.severity.localeCompare(b.severity));
}

function incident(first: SloAlert, last: SloAlert, end: number | null): EvidenceIncident {
  return {
    slo: first.slo,
    scope: first.scope,
    // The summary names the SLO and its scope ("app-availability on app:pacs: …").
    title: last.summary || last.slo,
    severity: first.severity,
    firingAt: first.startsAt,
    resolvedAt: end,
    durationMs: end === null ? null : end - first.startsAt,
  };
}

/** The incident with the labels of the maintenance windows it overlaps at its scope (IncidentScopes.maintenance). */
function withMaintenance(found: EvidenceIncident, windows: readonly MaintenanceWindow[], before: number): EvidenceIncident {
  const site = found.scope.startsWith('site:') ? found.scope.slice('site:'.length) : undefined;
  const to = found.resolvedAt ?? before;
  const labels = windows.filter((w) => w.from < to && w.to > found.firingAt && (w.site === undefined || w.site === site)).map((w) => w.label);
  return labels.length > 0 ? { ...found, maintenance: [...new Set(labels)] } : found;
}

/** What the pack's renderings say of an incident's maintenance windows: " — during planned maintenance: …", or '' when none. */
export function incidentMaintenanceText(incident: Pick<EvidenceIncident, 'maintenance'>): string {
  return incident.maintenance ? ` — during planned maintenance: ${incident.maintenance.join('; ')}` : '';
}
