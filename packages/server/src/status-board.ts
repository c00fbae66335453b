// The live picture: the latest status of every scope, fed from the processor's status messages, and
// the summaries the API and the dashboard read from it. In-memory by design: the status topic (or
// the embedded bus) is its source of truth, and a restarted server rebuilds it from there.
import type { Health, ScopeStatus, SiteSummary } from '@wardwatch/schema';

export interface SiteInfo {
  name: string;
  trust: string;
}

export type StatusListener = (status: ScopeStatus, changed: boolean) => void;

const severity: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };

/** Worst first, then by key, so lists are stable between refreshes. */
export function byConcern(a: ScopeStatus, b: ScopeStatus): number {
  return severity[a.status] - severity[b.status] || a.key.localeCompare(b.key);
}

export class StatusBoard {
  private readonly byKey = new Map<string, ScopeStatus>();
  /** site id → keys of the scopes within it, for the drill-down pages. */
  private readonly bySite = new Map<string, Set<string>>();
  private readonly listeners = new Set<StatusListener>();

  constructor(private readonly directory: ReadonlyMap<string, SiteInfo> = new Map()) {}

  apply(status: ScopeStatus): void {
    const previous = this.byKey.get(status.key);
    if (previous && previous.asOf > status.asOf) return; // a stale message (replay, reordering)
    this.byKey.set(status.key, status);
    if (status.site) {
      let keys = this.bySite.get(status.site);
      if (!keys) this.bySite.set(status.site, (keys = new Set()));
      keys.add(status.key);
    }
    const changed = !previous || previous.status !== status.status || previous.reason !== status.reason;
    for (const listener of this.listeners) listener(status, changed);
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(key: string): ScopeStatus | undefined {
    return this.byKey.get(key);
  }

  /** Every known site: those with figures, and those the directory names that have not reported yet. */
  sites(): SiteSummary[] {
    const ids = new Set<string>(this.directory.keys());
    for (const status of this.byKey.values()) if (status.scope === 'site') ids.add(status.id);
    return [...ids].map((id) => this.siteSummary(id)!).sort((a, b) => severity[a.status] - severity[b.status] || a.name.localeCompare(b.name));
  }

  siteSummary(id: string): SiteSummary | undefined {
    const status = this.byKey.get(`site:${id}`);
    const info = this.directory.get(id);
    if (!status && !info) return undefined;
    return {
      id,
      name: info?.name ?? id,
      trust: status?.trust ?? info?.trust ?? '',
      status: status?.status ?? 'unknown',
      reason: status?.reason ?? 'no telemetry received yet',
      p95Ms: status?.figures.p95Ms ?? null,
      availability: status?.figures.availability ?? null,
      logonP95Ms: status?.figures.logonP95Ms ?? null,
      appChecks: status?.figures.appChecks ?? 0,
      asOf: status?.asOf ?? 0,
    };
  }

  /** Scopes of one kind within a site, worst first. */
  within(site: string, scope: ScopeStatus['scope']): ScopeStatus[] {
    const keys = this.bySite.get(site);
    if (!keys) return [];
    const found: ScopeStatus[] = [];
    for (const key of keys) {
      const status = this.byKey.get(key)!;
      if (status.scope === scope) found.push(status);
    }
    return found.sort(byConcern);
  }

  /** Every scope of a kind, optionally only those in the given states, worst first. */
  list(scope: ScopeStatus['scope'], states?: readonly Health[]): ScopeStatus[] {
    const found: ScopeStatus[] = [];
    for (const status of this.byKey.values()) {
      if (status.scope === scope && (!states || states.includes(status.status))) found.push(status);
    }
    return found.sort(byConcern);
  }

  /** The furthest event time seen, i.e. "now" for the live views. */
  asOf(): number {
    let latest = 0;
    for (const status of this.byKey.values()) if (status.asOf > latest) latest = status.asOf;
    return latest;
  }
}
