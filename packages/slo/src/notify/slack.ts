// Slack: Block Kit message posted to an incoming webhook.
import type { Notification } from '../alert-book.ts';
import { notificationFacts, notificationText, notificationTitle } from './message.ts';
import type { Notifier } from './notifier.ts';
import { postJson, type WebhookOptions } from './post-json.ts';

export interface SlackOptions extends WebhookOptions {
  name?: string;
  dashboardUrl?: string;
}

/** Slack's mrkdwn treats &, < and > as markup. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackPayload(n: Notification, dashboardUrl?: string) {
  const title = notificationTitle(n);
  const context = `fingerprint ${n.alert.fingerprint}${dashboardUrl ? ` · <${dashboardUrl}|Open wardwatch>` : ''}`;
  return {
    // Shown in notifications and by clients that cannot draw blocks.
    text: `${title}: ${notificationText(n)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(notificationText(n)) } },
      { type: 'section', fields: notificationFacts(n).map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${escapeMrkdwn(value)}` })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

export class SlackNotifier implements Notifier {
  readonly name: string;
  constructor(private readonly options: SlackOptions) {
    this.name = options.name ?? 'slack';
  }

  send(notification: Notification): Promise<void> {
    return postJson(this.name, this.options, slackPayload(notification, this.options.dashboardUrl));
  }
}
