// Microsoft Teams: an Adaptive Card posted to an incoming webhook (Workflows "post to a channel when
// a webhook request is received", or a classic connector URL — both accept this message shape).
import type { Notification } from '../alert-book.ts';
import { notificationFacts, notificationText, notificationTitle } from './message.ts';
import type { Notifier } from './notifier.ts';
import { postJson, type WebhookOptions } from './post-json.ts';

export interface TeamsOptions extends WebhookOptions {
  name?: string;
  /** Link for the card's button, e.g. the wardwatch dashboard. */
  dashboardUrl?: string;
}

export function teamsPayload(n: Notification, dashboardUrl?: string) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, color: n.status === 'firing' ? 'Attention' : 'Good', text: notificationTitle(n) },
            { type: 'TextBlock', wrap: true, text: notificationText(n) },
            { type: 'FactSet', facts: notificationFacts(n).map(([title, value]) => ({ title, value })) },
          ],
          ...(dashboardUrl ? { actions: [{ type: 'Action.OpenUrl', title: 'Open wardwatch', url: dashboardUrl }] } : {}),
        },
      },
    ],
  };
}

export class TeamsNotifier implements Notifier {
  readonly name: string;
  constructor(private readonly options: TeamsOptions) {
    this.name = options.name ?? 'teams';
  }

  send(notification: Notification): Promise<void> {
    return postJson(this.name, this.options, teamsPayload(notification, this.options.dashboardUrl));
  }
}
