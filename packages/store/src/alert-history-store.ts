// The SLO alerts' history kept beside the rollups: each alert as it stood when it fired and when it
// resolved, so the evidence pack lists a month's incidents after a restart (the alert book keeps
// resolved alerts a day, in memory) and a restarted server takes back the alerts still firing.
// Implemented by both stores; tested by the shared contract.
import type { SloAlert } from '@wardwatch/schema';

export interface AlertHistoryQuery {
  /** Alerts firing at any time in [from, to): started before `to`, not resolved by `from`. */
  from: number;
  to: number;
}

export interface AlertHistoryStore {
  /**
   * Records an alert as it stands at a transition (it fired, or it resolved): one row per
   * (fingerprint, startsAt), replaced by a later record of the same alert.
   */
  recordAlert(alert: SloAlert): Promise<void>;
  /** Alerts that fired in or before [from, to) and were still firing at some time in it, by start then fingerprint. */
  alertHistory(query: AlertHistoryQuery): Promise<SloAlert[]>;
  /** Alerts recorded as firing and not (yet) as resolved, by start then fingerprint. */
  openAlerts(): Promise<SloAlert[]>;
}

/** The row both stores keep: the alert whole, with the columns it is found by. */
export interface AlertRow {
  fingerprint: string;
  starts_at: number;
  ends_at: number | null;
  slo: string;
  scope: string;
  severity: string;
  body: string;
}

export function toAlertRow(alert: SloAlert): AlertRow {
  return { fingerprint: alert.fingerprint, starts_at: alert.startsAt, ends_at: alert.endsAt, slo: alert.slo, scope: alert.scope, severity: alert.severity, body: JSON.stringify(alert) };
}

export function fromAlertRow(row: { body: string }): SloAlert {
  return JSON.parse(row.body) as SloAlert;
}
