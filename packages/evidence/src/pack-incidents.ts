// The month's incidents: the SLO alerts firing at any time in it, as the server recorded them when they
// fired and resolved (the store's alert history), at the pack's scopes. Alerts of one fingerprint
// whose spans overlap are one incident (several servers evaluating the same SLOs record each its own).
import type { EvidenceIncident, SloAlert } from '@wardwatch/schema';

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
}

/** The alerts of a pack (its sites', and the estate-wide and per-application SLOs' when they are its own). */
export function incidentsOf(alerts: readonly SloAlert[], { sites, estateWide, before }: IncidentScopes): EvidenceIncident[] {
  const wanted = new Set(sites.map((s) => `site:${s}`));
  const inPack = alerts.filter((a) => a.startsAt < before && (wanted.has(a.scope) || (estateWide && (a.scope === 'trust' || a.scope.startsWith('app:')))));
  const byFingerprint = new Map<string, SloAlert[]>();
  for (const a of inPack) byFingerprint.set(a.fingerprint, [...(byFingerprint.get(a.fingerprint) ?? []), a]);
  const out: EvidenceIncident[] = [];
  for (const group of byFingerprint.values()) {
    group.sort((a, b) => a.startsAt - b.startsAt);
    let current: { first: SloAlert; last: SloAlert; end: number | null } | undefined;
    const flush = () => current && out.push(incident(current.first, current.last, current.end));
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
