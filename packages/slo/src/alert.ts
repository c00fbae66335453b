// SLO alerts: the wire shapes (defined in @wardwatch/schema) and the stable fingerprint.
import { createHash } from 'node:crypto';
import type { Severity } from './definition.ts';

/** alertname of wardwatch's SLO alerts, in Alertmanager payloads and generated Prometheus rules alike. */
export const ALERT_NAME = 'WardwatchSloBurn';

export type { AlertStatus, FiredRule, SloAlert, AlertsResponse } from '@wardwatch/schema';

export function fingerprint(slo: string, scope: string, severity: Severity): string {
  return createHash('sha256').update(`${slo}\u0000${scope}\u0000${severity}`).digest('hex').slice(0, 16);
}
