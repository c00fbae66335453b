// The maintenance windows a trust has recorded (annotations of kind maintenance) that are open now, for
// the site list — the grid's cards and tiles and the wall say that a site is in planned work, so that
// the desk does not chase what was booked — and for the alerts, whose notifications they hold
// (maintenance-holds.ts). Both are answered synchronously, the site list many times a second, so the
// windows are read from the store ahead of time — those open now or opening within the look-ahead,
// read again after every change to the annotations and, in the background, when they are asked for
// and the last read is MAINTENANCE_REFRESH_MS old (another server may have recorded one; no timer:
// the SLO evaluation asks every minute) — and judged against the clock at each read: a window opens
// and closes on the minute it says, not at a refresh.
import type { Annotation, CauseSummary, SiteMaintenance, SiteSummary } from '@wardwatch/schema';
import type { AnnotationStore } from '@wardwatch/store';

/** How often the windows are read again from the store (another server may have recorded one). */
export const MAINTENANCE_REFRESH_MS = 30_000;
/** Windows opening within this are read ahead, so one that opens between reads shows on time. */
const LOOK_AHEAD_MS = 3_600_000;

/**
 * Whether an annotation is a maintenance window at site `site` of trust `trust`: recorded at the site
 * or across the trust (scope "trust"), with an end. The uptime history's hours and the site list's
 * marks both judge by it.
 */
export function isMaintenanceAt(annotation: Pick<Annotation, 'kind' | 'trust' | 'scope' | 'end'>, trust: string, site: string): boolean {
  return annotation.kind === 'maintenance' && annotation.end !== undefined && annotation.trust === trust && (annotation.scope === 'trust' || annotation.scope === `site:${site}`);
}

export class MaintenanceNow {
  /** The maintenance annotations read: open now or opening within the look-ahead, the soonest to close first. */
  private windows: Annotation[] = [];
  /** Wall time of the last read begun; undefined while one runs. */
  private lastRead: number | undefined = -Infinity;
  /** The latest read begun, while it runs (settled() waits for it). */
  private reading: Promise<void> | undefined;
  /** Reads begun: a read's answer is kept only if no later read has begun (reads may answer out of order). */
  private reads = 0;
  private readonly listeners = new Set<(trusts: ReadonlySet<string>) => void>();

  constructor(
    private readonly store: Pick<AnnotationStore, 'annotations'>,
    /** The server's event-time clock (simulated in demo mode): the windows' times are event time. */
    private readonly clock: () => number,
    /** A background read that failed (the last windows read are kept). */
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.refreshIfDue();
  }

  /**
   * Reads the windows open now or opening within the look-ahead; resolves once the latest read begun
   * has answered (a read begun later than this one is as fresh, and its answer is the one kept).
   */
  refresh(): Promise<void> {
    const read = this.read(++this.reads);
    this.reading = read;
    void read.catch(() => {}).finally(() => {
      if (this.reading === read) this.reading = undefined;
    });
    return read.then(() => this.settled());
  }

  /**
   * Once the windows are as fresh as MAINTENANCE_REFRESH_MS asks: a read begun if the last is that
   * old, and the read under way (if any) ended, failed or not. The SLO evaluation waits for it, so a
   * window another server recorded holds the first page of an alert that fires under it.
   */
  async settled(): Promise<void> {
    this.refreshIfDue();
    let waited: Promise<void> | undefined;
    while (this.reading && this.reading !== waited) {
      waited = this.reading;
      await waited.catch(() => {});
    }
  }

  /** The windows open at `now` (recorded at a site, a ward or across a trust), the soonest to close first. */
  openAt(now: number): Annotation[] {
    this.refreshIfDue();
    return this.windows.filter((w) => w.start <= now && now < w.end!);
  }

  private async read(number: number): Promise<void> {
    const now = this.clock();
    const found = await this.store.annotations({ kind: 'maintenance', from: now, to: now + LOOK_AHEAD_MS });
    if (number !== this.reads) return; // a later read began: its answer, not this older one, is kept
    const before = this.windows;
    this.windows = found.filter((a) => a.end !== undefined && a.end > now).sort((a, b) => a.end! - b.end! || a.start - b.start);
    const moved = new Set<string>();
    const key = (w: Annotation) => `${w.id}\n${w.title}\n${w.start}\n${w.end}\n${w.scope}`;
    const kept = new Set(before.map(key));
    const after = new Set(this.windows.map(key));
    for (const w of this.windows) if (!kept.has(key(w))) moved.add(w.trust);
    for (const w of before) if (!after.has(key(w))) moved.add(w.trust);
    if (moved.size > 0) for (const listener of this.listeners) listener(moved);
  }

  /** Tells `listener` the trusts whose windows a read found added, changed or removed. */
  subscribe(listener: (trusts: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each site with the windows open at it now (`maintenance`, absent when none): the same list when none is open. */
  mark(sites: SiteSummary[]): SiteSummary[] {
    const open = this.openAt(this.clock());
    if (open.length === 0) return sites;
    return sites.map((site) => {
      const here = open.filter((w) => isMaintenanceAt(w, site.trust, site.id));
      return here.length === 0 ? site : { ...site, maintenance: here.map((w): SiteMaintenance => ({ title: w.title, start: w.start, end: w.end! })) };
    });
  }

  /**
   * Each cause with the sites it is felt at that are in planned maintenance now (`maintenance`, absent
   * when none) — judged as `mark` judges the sites, so the causes panel and the site's card agree;
   * `trustOf` gives a site's trust. The same list when no window is open.
   */
  markCauses(causes: CauseSummary[], trustOf: (site: string) => string | undefined): CauseSummary[] {
    const open = this.openAt(this.clock());
    if (open.length === 0) return causes;
    return causes.map((cause) => {
      const planned = cause.siteIds.filter((site) => {
        const trust = trustOf(site);
        return trust !== undefined && open.some((w) => isMaintenanceAt(w, trust, site));
      });
      return planned.length === 0 ? cause : { ...cause, maintenance: planned };
    });
  }

  /** Starts a read in the background when the last began MAINTENANCE_REFRESH_MS ago (wall time) and none runs. */
  private refreshIfDue(): void {
    if (this.lastRead === undefined || Date.now() - this.lastRead < MAINTENANCE_REFRESH_MS) return;
    this.lastRead = undefined;
    void this.refresh()
      .catch(this.onError)
      .finally(() => (this.lastRead = Date.now()));
  }
}
