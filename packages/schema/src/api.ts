// Shapes served by the HTTP API and consumed by the dashboard. Series are columnar (one array per
// field) because that is what the charts draw from without copying.
import type { Cause, Health, ScopeStatus } from './v1/status.ts';

export interface SiteSummary {
  id: string;
  name: string;
  trust: string;
  status: Health;
  reason: string;
  p95Ms: number | null;
  availability: number | null;
  logonP95Ms: number | null;
  appChecks: number;
  /**
   * Logons, and the checks and logons over the status rules' targets (the site's figures: one slow
   * value decides no status), so a p95 over its line beside an OK says why. Absent until the site has
   * a status; the slow counts also when its processor writes statuses without them.
   */
  logons?: number;
  slowAppChecks?: number;
  slowLogons?: number;
  /** Event time of the figures. */
  asOf: number;
  /** The likely cause when the site is degraded or down (see GET /api/causes). */
  cause?: Cause;
  /** Site type and area, when the site directory names them (the demo's and the register's do not yet). */
  type?: string;
  area?: string;
  /** SLO alerts firing on the site (silenced ones too: a silence stops notifications, not the burn), when the server evaluates SLOs. */
  alerts?: SiteAlerts;
  /**
   * The maintenance windows recorded (annotations of kind maintenance) at the site or across its trust
   * that are open now, the soonest to close first; absent when none. Planned work: the status is still
   * what the figures earn, and this says why a site may be degraded or down (the uptime history marks
   * the same windows, and the evidence pack leaves them out).
   */
  maintenance?: SiteMaintenance[];
}

/** A maintenance window open at a site now (SiteSummary.maintenance). */
export interface SiteMaintenance {
  title: string;
  /** When it opened and closes, epoch ms (event time, as the site's figures). */
  start: number;
  end: number;
}

/** Firing SLO alerts on one site, by severity, and the SLOs that burn. */
export interface SiteAlerts {
  page: number;
  ticket: number;
  /** Names of the SLOs firing on the site, pages first. */
  slos: string[];
  /**
   * Of those, how many are acknowledged (a silence someone added holds their notifications); absent
   * when none. They still count above, and a page still raises the site's status: the SLO still burns.
   */
  acknowledged?: number;
  /** Of the acknowledged, how many are pages (the rest are tickets); absent when none. */
  acknowledgedPages?: number;
  /**
   * Of those, how many planned work holds (a recorded maintenance window at the site or across its
   * trust, or a silence of kind maintenance: `silenceKind` maintenance on the alert), not counted as
   * acknowledged — booked work is not someone having the alert; absent when none.
   */
  planned?: number;
  /** Of the planned, how many are pages; absent when none. */
  plannedPages?: number;
  /**
   * Of those, the ones held firing after their rules stopped (`clearingSince` on the alert: they
   * resolve unless a rule fires again within KEEP_FIRING_FOR_MS), by severity, with their SLOs' names;
   * absent when none.
   */
  held?: { page: number; ticket: number; slos: string[] };
}

/**
 * One site's change on /api/stream?sites=changes: the fields that moved (`set`), those gone (`unset`,
 * e.g. a cause no longer named), or the site gone from the caller's view (`removed`).
 */
export interface SiteChange {
  id: string;
  set?: Partial<SiteSummary>;
  unset?: string[];
  removed?: true;
}

/** The server's clock beside the figures: `now` is its event-time clock, `asOf` the newest figures' event time. */
export interface StreamClock {
  now: number;
  asOf: number;
}

/** Columnar time series: t is epoch seconds (what uPlot expects); the rest align with it. */
export interface Series {
  /**
   * The span asked for, epoch seconds, [from, to): a chart's time axis shows all of it, so a scope whose
   * data covers only part of the span (new, or stored only recently) shows the rest as empty, not its
   * data stretched over the whole chart.
   */
  from: number;
  to: number;
  /**
   * Each point's window start: windows of the span's resolution, and — before the first of them, where
   * the store holds only hours there — whole hours (appChecks is then an hour's count).
   */
  t: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  availability: (number | null)[];
  appChecks: number[];
}

export interface SiteDetail extends SiteSummary {
  wards: ScopeStatus[];
  /** Every device of the site that is not ok, worst first, then the rest. */
  devices: ScopeStatus[];
  accessPoints: ScopeStatus[];
  /** Each application as seen from this site ("app:S1/epr"). */
  applications: ScopeStatus[];
  series: Series;
}

/** One hour or day of a site's uptime history, judged by the same rules as its live status. */
export interface UptimePeriod {
  /** Epoch ms: the period is [start, end); the last one ends at the server's clock (under way). */
  start: number;
  end: number;
  /** The status its figures earn over the whole period; "unknown" when nothing was measured. */
  status: Health;
  /** Why, when not OK ("availability 42.0 % (58 of 100 checks failed)", "no figures"). */
  reason: string;
  /** Share of application checks that succeeded; null without checks. */
  availability: number | null;
  appChecks: number;
  p95Ms: number | null;
  logons: number;
  logonP95Ms: number | null;
  /** Successful checks and logons over the status rules' targets (the rules let one alone decide nothing). */
  slowAppChecks?: number;
  slowLogons?: number;
  /**
   * Present when the period was judged from the day tier's row for a London day rather than from hours
   * (hourly rollups are kept 62 days; a UTC day is judged from the London day its middle falls in,
   * which in summer starts an hour earlier): that day's [start, end), epoch ms.
   */
  day?: { start: number; end: number };
  /**
   * Titles of the maintenance windows recorded (annotations) at the site or across its trust that
   * overlap the period: planned work, which the evidence pack leaves out. The status is still what
   * the figures earned — what the grid said then — and this says why a bar may be degraded or down.
   */
  maintenance?: string[];
}

/** GET /api/sites/:id/uptime?period=hour|day&count=N: the last N hours or days, oldest first. */
export interface UptimeHistory {
  site: string;
  period: 'hour' | 'day';
  periods: UptimePeriod[];
}

/** GET /api/scopes/:key: one ward, access point, device or site application, drilled into. */
export interface ScopeDetail {
  status: ScopeStatus;
  /** Site name, for the breadcrumb. */
  siteName: string;
  /** Response time and availability over time, at the finest resolution stored for the scope. */
  series: Series;
  /** Wards: their devices and access points; access points: the devices on them. Worst first. */
  devices: ScopeStatus[];
  accessPoints: ScopeStatus[];
}

/** GET /api/causes: one entry per culprit, with how much it affects. */
export interface CauseSummary extends Cause {
  /** Degraded or down scopes it explains, by kind. */
  affected: { sites: number; wards: number; accessPoints: number; devices: number; applications: number };
  /** Sites where it is felt. */
  siteIds: string[];
  /**
   * Of those, the sites in planned maintenance now (a maintenance window recorded at the site or
   * across its trust, as /api/sites marks them: the cause may be the booked work); absent when none.
   */
  maintenance?: string[];
}

export interface IngestRejection {
  /** Zero-based position of the event in the submitted array or NDJSON lines. */
  index: number;
  reason: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  rejections: IngestRejection[];
}

/** Messages on GET /api/stream (Server-Sent Events); the SSE event name is the `type`. */
export type StreamMessage =
  | { type: 'status'; data: ScopeStatus }
  | { type: 'sites'; data: SiteSummary[] }
  | { type: 'clock'; data: StreamClock }
  | { type: 'sites-changed'; data: SiteChange[] };
