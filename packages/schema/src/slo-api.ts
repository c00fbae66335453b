// Service-level shapes served by the HTTP API (GET /api/slos, /api/slos/:slo/budget, /api/alerts) and
// read by the dashboard. The SLO maths lives in @wardwatch/slo; what crosses the wire is defined here.
import type { Annotation } from './annotation.ts';

export const INDICATOR_KINDS = ['latency', 'logon', 'availability'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const SEVERITIES = ['page', 'ticket'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One SLO on one of its target scopes: what every SLO shape in the API starts with. */
export interface SloTarget {
  slo: string;
  /** Target scope: "trust", "site:S1", "app:epr". */
  scope: string;
  indicator: IndicatorKind;
  objective: number;
  /** The rolling window, e.g. "28d". */
  window: string;
  windowMs: number;
}

/** GET /api/slos: one entry per SLO and target scope, as of the last evaluation. */
export interface SloSummary extends SloTarget {
  /** good ÷ valid over the window; null without valid events. */
  sli: number | null;
  validEvents: number;
  /** Share of the window's error budget left (negative when overspent). */
  errorBudgetRemaining: number;
  /**
   * Share of the window the data covers, 0–1: under 1 on a new installation, whose budget is of the
   * data so far (an hour's bad checks can overspend it many times while the window is young).
   */
  budgetCoverage: number;
  /** Burn rate per alerting window ("5m", "1h", …). */
  burnRates: Record<string, number>;
  /** The alerting rules whose windows both burn at their rates in this evaluation. */
  firing: Array<{ severity: Severity; burnRate: number; longWindow: string; shortWindow: string }>;
  /**
   * The worst severity of this target's alerts firing (GET /api/alerts), or null: an alert held after
   * its rules stopped counts, so `firing` can then be empty.
   */
  severity: Severity | null;
  /** When that alert is held: when its rules stopped (it resolves KEEP_FIRING_FOR_MS later unless they fire again). */
  clearingSince?: number;
  /** When that alert's notifications are held, by what: a silence, or planned work (SloAlert.silenceKind, as of now). */
  silenceKind?: 'silence' | 'maintenance';
  /** Event time of the evaluation, epoch ms. */
  at: number;
}

/** GET /api/slos/:slo/budget: an SLO's error-budget burn-down on one target scope. */
export interface BudgetHistory extends SloTarget {
  /** Event time of the last point (the evaluation the series ends at), epoch ms. */
  at: number;
  /** Time between points, ms (whole minutes). */
  stepMs: number;
  /** Columnar; t is epoch seconds. budgetRemaining and validEvents are over [t − window, t). */
  series: {
    t: number[];
    budgetRemaining: number[];
    /** Burn rate over [t − 1h, t); null when that hour holds no valid events. */
    burnRate1h: (number | null)[];
    validEvents: number[];
  };
}

export type AlertStatus = 'firing' | 'resolved';

/** One burn-rate rule that fired, with the burn rates seen over its two windows. */
export interface FiredRule {
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  longBurnRate: number;
  shortBurnRate: number;
}

/**
 * How long an alert keeps firing once no rule of its severity fires: a burn rate hovering at a row's
 * threshold would otherwise page and resolve at each crossing (a page and its resolution every few
 * minutes, until people stop reading them). A rule firing again within it carries on the same alert,
 * unannounced. wardwatch's alerts and the Prometheus rules it generates (`keep_firing_for`) hold alike.
 */
export const KEEP_FIRING_FOR_MS = 10 * 60_000;

export interface SloAlert {
  /** Stable across evaluations and restarts: 16 hex digits of SHA-256 over (SLO name, scope, severity). */
  fingerprint: string;
  slo: string;
  /** Target scope: "trust", "site:S1", "app:epr". */
  scope: string;
  severity: Severity;
  status: AlertStatus;
  indicator: IndicatorKind;
  objective: number;
  /** Epoch ms (UTC), like every time in the API. */
  startsAt: number;
  /** When it resolved; null while firing. */
  endsAt: number | null;
  /** The evaluation that last saw it firing (or resolved it). */
  updatedAt: number;
  /**
   * While firing: when its rules stopped firing, if they have. It is held firing KEEP_FIRING_FOR_MS
   * from then, and resolves after unless a rule fires again; absent otherwise.
   */
  clearingSince?: number;
  /** Rules of this severity firing at the last evaluation that saw it firing. */
  rules: FiredRule[];
  /** Share of the rolling window's budget left at the last evaluation (negative when overspent). */
  errorBudgetRemaining: number;
  /** One line for people: what burns, how fast, how much budget is left. */
  summary: string;
  /** Id of the silence or maintenance window suppressing its notifications now, or null. */
  silencedBy: string | null;
  /**
   * What `silencedBy` names: a silence someone added (`silence`: the alert is acknowledged), or planned
   * work (`maintenance`: a silence of that kind, or a recorded maintenance window); absent when nothing
   * holds it.
   */
  silenceKind?: 'silence' | 'maintenance';
  /** When its firing notification was last sent; null if never (silenced all along). */
  notifiedAt: number | null;
  /** Who is on it, while it fires (and, once resolved, who was); null when nobody has been assigned. */
  assignment: AlertAssignment | null;
}

/** A firing alert given to a person or a team (PUT /api/alerts/:fingerprint/assignment). */
export interface AlertAssignment {
  /** The person or team, as the operator wrote it ("Network team", "J. Smith"). */
  assignee: string;
  /** What they are to do or have been told; may be "". */
  note: string;
  /** The signed-in user who assigned it; "" for the local administrator. */
  assignedBy: string;
  /** Epoch ms, on the server's event-time clock (the simulated one in demo mode). */
  assignedAt: number;
}

export interface SilenceMatchers {
  slo?: string;
  /** Exact target scope ("site:S1"), or a prefix ending in "*" ("site:*", "*"). */
  scope?: string;
  severity?: Severity;
}

export interface Silence {
  id: string;
  /** A maintenance window is planned work; a silence is an ad-hoc mute. Both behave the same. */
  kind: 'silence' | 'maintenance';
  matchers: SilenceMatchers;
  /** Active over [startsAt, endsAt), epoch ms. */
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
}

/** Body of GET /api/alerts. */
export interface AlertsResponse {
  firing: SloAlert[];
  /** Recently resolved, newest first. */
  resolved: SloAlert[];
  silences: Silence[];
  /**
   * The maintenance windows recorded at sites or across trusts (annotations of kind maintenance) open
   * now: they hold the notifications of the alerts they cover, as silences do, and an alert one holds
   * names it in `silencedBy`. From the server (GET /api/alerts); not part of the alert book's state.
   */
  maintenance?: Annotation[];
}
