// Generic JSON webhook: the alert as GET /api/alerts shows it, with the notification's status.
import type { Notification } from '../alert-book.ts';
import { notificationTitle } from './message.ts';
import type { Notifier } from './notifier.ts';
import { postJson, type WebhookOptions } from './post-json.ts';

export interface WebhookPayload {
  kind: 'wardwatch.slo-alert';
  version: 1;
  status: Notification['status'];
  repeat: boolean;
  /** Epoch ms of the evaluation that decided to notify. */
  at: number;
  title: string;
  alert: Notification['alert'];
}

export function webhookPayload(n: Notification): WebhookPayload {
  return { kind: 'wardwatch.slo-alert', version: 1, status: n.status, repeat: n.repeat, at: n.at, title: notificationTitle(n), alert: n.alert };
}

export class WebhookNotifier implements Notifier {
  readonly name: string;
  constructor(private readonly options: WebhookOptions & { name?: string }) {
    this.name = options.name ?? 'webhook';
  }

  send(notification: Notification): Promise<void> {
    return postJson(this.name, this.options, webhookPayload(notification));
  }
}
