// The live picture: the latest status of every scope, fed from the processor's status messages, and
// the summaries the API and the dashboard read from it. In-memory by design: the status topic (or
// the embedded bus) is its source of truth, and a restarted server rebuilds it from there — the
// latest message of each key is all it needs (the topic is compacted). A site's time is the later of
// its status's and its partition's live edge (LiveEdge): sites are published when they change, and
// the edge says how far everything else on the partition has been judged.
import { attributionInputChange, LiveAttribution, WholeEstateAttribution, type Attributor } from '@wardwatch/attribution';
import type { Cause, CauseSummary, Health, LiveEdge, ScopeStatus, SiteSummary } from '@wardwatch/schema';

export interface SiteInfo {
  name: string;
  trust: string;
  /** Kind of site (acute hospital, community hospital, clinic…) and area, when the directory knows them. */
  type?: string;
  area?: string;
}

/** What the board knows of sites beyond their figures: a map from site id (the estate register is one). */
export interface SiteDirectory {
  get(id: string): SiteInfo | undefined;
  keys(): Iterable<string>;
}

export type StatusListener = (status: ScopeStatus, changed: boolean) => void;
/** Sites' time moved with their partitions' live edges (no status of theirs arrived): the trusts of those sites. */
export type TimeListener = (trusts: ReadonlySet<string>) => void;

export interface StatusBoardOptions {
  /**
   * 'by-site' (the default) judges again only the sites whose statuses changed what attribution
   * reads (LiveAttribution); 'whole-estate' attributes every scope afresh at each run — the same
   * causes, kept as the reference the other is tested against.
   */
  attribution?: 'by-site' | 'whole-estate';
}

const severity: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };

/** Worst first, then by key, so lists are stable between refreshes. */
export function byConcern(a: ScopeStatus, b: ScopeStatus): number {
  return severity[a.status] - severity[b.status] || a.key.localeCompare(b.key);
}

function withoutCause(status: ScopeStatus): ScopeStatus {
  const { cause: _dropped, ...rest } = status;
  return rest;
}

/**
 * Event time a site's cause may go unreworded after its name-resolution or gateway figures moved (see
 * applyAll): they move at every status tick, and rewording re-attributes the whole estate.
 */
export const SITE_NETWORK_REFRESH_MS = 10_000;

const sameCause = (a: Cause | undefined, b: Cause | undefined) => a?.culprit === b?.culprit && a?.evidence === b?.evidence;

export class StatusBoard {
  private readonly byKey = new Map<string, ScopeStatus>();
  /** site id → keys of the scopes within it, for the drill-down pages. */
  private readonly bySite = new Map<string, Set<string>>();
  /** Ids of the sites with a status of their own, as applied: sites() reads them, not every scope. */
  private readonly siteIds = new Set<string>();
  private readonly listeners = new Set<StatusListener>();
  private readonly timeListeners = new Set<TimeListener>();
  /** Telemetry partition → the event time its processor has judged every scope as of (live edges). */
  private readonly edges = new Map<number, number>();
  /** Telemetry partition → keys of the statuses that name it (sites), whose time its edge moves. */
  private readonly byPartition = new Map<number, Set<string>>();
  /** Holds every status attribution reads and the latest verdicts, by scope key. */
  private readonly attribution: Attributor;
  /** The newest status time the latest attribution saw. */
  private attributedAt = -Infinity;
  /** Whether a site's name-resolution or gateway figure moved since the latest attribution. */
  private siteNetworkMoved = false;

  constructor(
    private readonly directory: SiteDirectory = new Map(),
    options: StatusBoardOptions = {},
  ) {
    this.attribution = options.attribution === 'whole-estate' ? new WholeEstateAttribution() : new LiveAttribution();
  }

  apply(status: ScopeStatus): void {
    this.applyAll([status]);
  }

  /**
   * Applies a batch of statuses, then attributes the degraded scopes (attribution compares peers
   * across the whole estate, so it runs here, where every partition's statuses meet; by default it
   * judges again only the sites whose statuses changed what it reads, with the same causes as a run
   * over every scope) and tells listeners about the statuses applied and, in the order the board first
   * saw them, any others whose cause changed. Attribution runs only when the
   * batch changed something it reads (attributionInputChange): most batches between window ends are
   * sites' figures and times, which leave every verdict as it was — those keep the causes already
   * found. A site's name-resolution and gateway figures move with every tick and only ever reword a
   * site's cause, never change who is blamed: when they are all that changed, attribution runs again
   * once SITE_NETWORK_REFRESH_MS of event time has passed since it last ran. Live edges then move
   * the time of their partitions' sites, and time listeners hear of the trusts whose sites moved.
   */
  applyAll(statuses: Iterable<ScopeStatus>, edges: Iterable<LiveEdge> = []): void {
    const previous = new Map<string, ScopeStatus | undefined>();
    let reattribute = false;
    let newest = -Infinity;
    for (const status of statuses) {
      const before = this.byKey.get(status.key);
      if (before && before.asOf > status.asOf) continue; // a stale message (replay, reordering)
      if (!previous.has(status.key)) previous.set(status.key, before);
      if (status.asOf > newest) newest = status.asOf;
      if (!reattribute) {
        const change = before ? attributionInputChange(before, status) : 'verdicts';
        if (change === 'verdicts') reattribute = true;
        else if (change === 'site-network') this.siteNetworkMoved = true;
      }
      // The board's causes are its own attribution's: one arriving with the status is dropped (most carry none: no copy).
      const fresh = 'cause' in status ? withoutCause(status) : status;
      this.byKey.set(status.key, fresh);
      this.attribution.set(fresh);
      if (status.scope === 'site') this.siteIds.add(status.id);
      if (status.site) {
        let keys = this.bySite.get(status.site);
        if (!keys) this.bySite.set(status.site, (keys = new Set()));
        keys.add(status.key);
      }
      if (status.partition !== before?.partition) {
        if (before?.partition !== undefined) this.byPartition.get(before.partition)?.delete(status.key);
        if (status.partition !== undefined) {
          let keys = this.byPartition.get(status.partition);
          if (!keys) this.byPartition.set(status.partition, (keys = new Set()));
          keys.add(status.key);
        }
      }
    }
    let timeMoved: Set<string> | undefined;
    for (const edge of edges) {
      if (edge.asOf > newest) newest = edge.asOf;
      for (const partition of edge.partitions) {
        if (!(edge.asOf > (this.edges.get(partition) ?? -Infinity))) continue; // not newer (replay, reordering)
        this.edges.set(partition, edge.asOf);
        for (const key of this.byPartition.get(partition) ?? []) {
          const status = this.byKey.get(key)!;
          if (edge.asOf > status.asOf && !previous.has(key)) (timeMoved ??= new Set()).add(status.trust);
        }
      }
    }
    if (previous.size === 0 && !timeMoved) return;
    if (this.siteNetworkMoved && newest - this.attributedAt >= SITE_NETWORK_REFRESH_MS) reattribute = true;
    const recaused = new Set<string>();
    if (reattribute) {
      const moved = this.attribution.run();
      this.attributedAt = Math.max(this.attributedAt, newest);
      this.siteNetworkMoved = false;
      for (const [key, cause] of moved) {
        if (previous.has(key)) continue; // taken below with the batch
        const status = this.byKey.get(key)!;
        const had = status.cause;
        if (cause) this.byKey.set(key, { ...status, cause });
        else if (status.cause) this.byKey.set(key, withoutCause(status));
        if (!sameCause(had, cause)) recaused.add(key);
      }
    }
    // The statuses applied take the causes of the latest attribution (this batch's, or the one before).
    for (const key of previous.keys()) {
      const cause = this.attribution.causeOf(key);
      if (cause) this.byKey.set(key, { ...this.byKey.get(key)!, cause });
    }
    for (const [key, before] of previous) {
      const status = this.byKey.get(key)!;
      const changed = !before || before.status !== status.status || before.reason !== status.reason || !sameCause(before.cause, status.cause);
      const timed = this.timed(status);
      for (const listener of this.listeners) listener(timed, changed);
    }
    for (const key of recaused) {
      const status = this.byKey.get(key)!;
      for (const listener of this.listeners) listener(this.timed(status), true);
    }
    if (timeMoved) for (const listener of this.timeListeners) listener(timeMoved);
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Told when live edges alone moved sites' time (a status that arrives goes to `subscribe`'s listeners). */
  subscribeTime(listener: TimeListener): () => void {
    this.timeListeners.add(listener);
    return () => this.timeListeners.delete(listener);
  }

  /** A scope's status, as of the later of its own time and its partition's live edge. */
  get(key: string): ScopeStatus | undefined {
    const status = this.byKey.get(key);
    return status && this.timed(status);
  }

  /** The time a status is as of: its own, or its partition's live edge when that is later. */
  private timeOf(status: ScopeStatus): number {
    if (status.partition === undefined) return status.asOf;
    const edge = this.edges.get(status.partition);
    return edge !== undefined && edge > status.asOf ? edge : status.asOf;
  }

  /** `status` as of timeOf (a copy only when the edge is later). */
  private timed(status: ScopeStatus): ScopeStatus {
    const asOf = this.timeOf(status);
    return asOf === status.asOf ? status : { ...status, asOf };
  }

  /** Every known site: those with figures, and those the directory names that have not reported yet. */
  sites(): SiteSummary[] {
    const ids = new Set<string>(this.directory.keys());
    for (const id of this.siteIds) ids.add(id);
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
      ...(status ? { logons: status.figures.logons } : {}),
      ...(status?.figures.slowAppChecks !== undefined ? { slowAppChecks: status.figures.slowAppChecks } : {}),
      ...(status?.figures.slowLogons !== undefined ? { slowLogons: status.figures.slowLogons } : {}),
      asOf: status ? this.timeOf(status) : 0,
      ...(status?.cause ? { cause: status.cause } : {}),
      ...(info?.type ? { type: info.type } : {}),
      ...(info?.area ? { area: info.area } : {}),
    };
  }

  /** Every culprit currently blamed, the widest-felt first; counting only the statuses `include` lets through. */
  causes(include: (status: ScopeStatus) => boolean = () => true): CauseSummary[] {
    const byCulprit = new Map<string, CauseSummary & { sites: Set<string> }>();
    const field = { site: 'sites', ward: 'wards', ap: 'accessPoints', device: 'devices', app: 'applications' } as const;
    for (const status of this.byKey.values()) {
      const cause = status.cause;
      if (!cause || status.scope === 'trust' || !include(status)) continue;
      let entry = byCulprit.get(cause.culprit);
      if (!entry) {
        entry = { ...cause, affected: { sites: 0, wards: 0, accessPoints: 0, devices: 0, applications: 0 }, siteIds: [], sites: new Set() };
        byCulprit.set(cause.culprit, entry);
      }
      entry.affected[field[status.scope]]++;
      if (status.site) entry.sites.add(status.site);
    }
    const size = (c: CauseSummary) => c.affected.sites * 1e6 + c.affected.wards * 1e3 + c.affected.devices;
    return [...byCulprit.values()]
      .map(({ sites, ...entry }) => ({ ...entry, siteIds: [...sites].sort() }))
      .sort((a, b) => size(b) - size(a) || a.culprit.localeCompare(b.culprit));
  }

  /** Scopes of one kind within a site, worst first. */
  within(site: string, scope: ScopeStatus['scope']): ScopeStatus[] {
    const keys = this.bySite.get(site);
    if (!keys) return [];
    const found: ScopeStatus[] = [];
    for (const key of keys) {
      const status = this.byKey.get(key)!;
      if (status.scope === scope) found.push(this.timed(status));
    }
    return found.sort(byConcern);
  }

  /** Every scope of a kind, optionally only those in the given states, worst first. */
  list(scope: ScopeStatus['scope'], states?: readonly Health[]): ScopeStatus[] {
    const found: ScopeStatus[] = [];
    for (const status of this.byKey.values()) {
      if (status.scope === scope && (!states || states.includes(status.status))) found.push(this.timed(status));
    }
    return found.sort(byConcern);
  }

  /** The furthest event time seen, i.e. "now" for the live views. */
  asOf(): number {
    let latest = 0;
    for (const status of this.byKey.values()) if (status.asOf > latest) latest = status.asOf;
    for (const edge of this.edges.values()) if (edge > latest) latest = edge;
    return latest;
  }
}
