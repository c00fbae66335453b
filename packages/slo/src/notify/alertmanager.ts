// Alertmanager's webhook payload (version "4"), so receivers written for Alertmanager — incident
// tools, ticketing bridges — take wardwatch's alerts unchanged.
import { budgetLeftText } from '@wardwatch/schema';
import { ALERT_NAME, type SloAlert } from '../alert.ts';
import type { Notification } from '../alert-book.ts';
import { notificationText, notificationTitle, percent } from './message.ts';
import type { Notifier } from './notifier.ts';
import { postJson, type WebhookOptions } from './post-json.ts';

/** Alertmanager's "not ended" time. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerOptions extends WebhookOptions {
  name?: string;
  /** Receiver name in the payload (default "wardwatch"). */
  receiver?: string;
  /** The payload's externalURL and each alert's generatorURL (default ""). */
  externalUrl?: string;
}

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

export function alertLabels(alert: SloAlert): Record<string, string> {
  return { alertname: ALERT_NAME, slo: alert.slo, scope: alert.scope, severity: alert.severity, indicator: alert.indicator };
}

export function alertmanagerPayload(n: Notification, receiver = 'wardwatch', externalUrl = ''): AlertmanagerPayload {
  const labels = alertLabels(n.alert);
  const annotations = {
    summary: notificationTitle(n),
    description: notificationText(n),
    objective: percent(n.alert.objective),
    // Written as the summary and the dashboard write a budget (slo-text.ts): "−44.7 %", not "-44.75 %".
    error_budget_remaining: budgetLeftText(n.alert.errorBudgetRemaining),
  };
  return {
    version: '4',
    groupKey: `{}:{slo="${labels.slo}", scope="${labels.scope}", severity="${labels.severity}"}`,
    truncatedAlerts: 0,
    status: n.status,
    receiver,
    groupLabels: { alertname: ALERT_NAME, slo: labels.slo!, scope: labels.scope! },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: externalUrl,
    alerts: [
      {
        status: n.status,
        labels,
        annotations,
        startsAt: new Date(n.alert.startsAt).toISOString(),
        endsAt: n.alert.endsAt === null ? ZERO_TIME : new Date(n.alert.endsAt).toISOString(),
        generatorURL: externalUrl,
        fingerprint: n.alert.fingerprint,
      },
    ],
  };
}

export class AlertmanagerNotifier implements Notifier {
  readonly name: string;
  constructor(private readonly options: AlertmanagerOptions) {
    this.name = options.name ?? 'alertmanager';
  }

  send(notification: Notification): Promise<void> {
    return postJson(this.name, this.options, alertmanagerPayload(notification, this.options.receiver, this.options.externalUrl));
  }
}
