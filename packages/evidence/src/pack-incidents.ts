// The month's incidents: the SLO alerts firing at any time in it, as the server recorded them when they
// fired and resolved (the store's alert history), at the pack's scopes. Alerts of one fingerprint
// whose spans overlap are one incident (several servers evaluating the same SLOs record each its own).
import type { EvidenceIncident, SloAlert } from '@wardwatch/schema';

/** The alerts of a trust's pack (its sites, and the trust-wide and per-application SLOs) or of one site's. */
export function incidentsOf(alerts: readonly SloAlert[], sites: readonly string[], oneSite: boolean): EvidenceIncident[] {
  const wanted = new Set(sites.map((s) => `site:${s}`));
  const inPack = alerts.filter((a) => wanted.has(a.scope) || (!oneSite && (a.scope === 'trust' || a.scope.startsWith('app:'))));
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
    scope: first.scope,
    title: `${last.slo}: ${last.summary}`,
    severity: first.severity,
    firingAt: first.startsAt,
    resolvedAt: end,
    durationMs: end === null ? null : end - first.startsAt,
  };
}
