// The JSON shape of an SLO alert as GET /api/alerts serves it, and its stable fingerprint.
// (Belongs in @wardwatch/schema once the server serves it; kept here until then.)
import { createHash } from 'node:crypto';
import type { IndicatorKind, Severity } from './definition.ts';
import type { Silence } from './silence.ts';

/** alertname of wardwatch's SLO alerts, in Alertmanager payloads and generated Prometheus rules alike. */
export const ALERT_NAME = 'WardwatchSloBurn';

export type AlertStatus = 'firing' | 'resolved';

/** One burn-rate rule that fired, with the burn rates seen over its two windows. */
export interface FiredRule {
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  longBurnRate: number;
  shortBurnRate: number;
}

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
  /** Rules of this severity firing at the last evaluation that saw it firing. */
  rules: FiredRule[];
  /** Share of the rolling window's budget left at the last evaluation (negative when overspent). */
  errorBudgetRemaining: number;
  /** One line for people: what burns, how fast, how much budget is left. */
  summary: string;
  /** Id of the silence or maintenance window suppressing its notifications now, or null. */
  silencedBy: string | null;
  /** When its firing notification was last sent; null if never (silenced all along). */
  notifiedAt: number | null;
}

/** Body of GET /api/alerts. */
export interface AlertsResponse {
  firing: SloAlert[];
  /** Recently resolved, newest first. */
  resolved: SloAlert[];
  silences: Silence[];
}

export function fingerprint(slo: string, scope: string, severity: Severity): string {
  return createHash('sha256').update(`${slo}\u0000${scope}\u0000${severity}`).digest('hex').slice(0, 16);
}
