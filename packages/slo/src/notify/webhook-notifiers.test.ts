// One contract suite run against every webhook notifier, each against a real local HTTP receiver,
// then the exact payload each one sends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetryOptions } from '@wardwatch/retry';
import { AlertmanagerNotifier } from './alertmanager.ts';
import { ALERT, FIRING, RESOLVED, T0 } from './sample-alert.fixture.ts';
import { startHttpReceiver, type HttpReceiver } from './http-receiver.fixture.ts';
import { NotifierError, type Notifier } from './notifier.ts';
import { SlackNotifier } from './slack.ts';
import { TeamsNotifier } from './teams.ts';
import { WebhookNotifier } from './webhook.ts';

const FAST_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

const NOTIFIERS: Array<[string, (url: string) => Notifier]> = [
  ['webhook', (url) => new WebhookNotifier({ url, retry: FAST_RETRY, headers: { authorization: 'Bearer t' } })],
  ['teams', (url) => new TeamsNotifier({ url, retry: FAST_RETRY, dashboardUrl: 'https://wardwatch.example.nhs.uk/' })],
  ['slack', (url) => new SlackNotifier({ url, retry: FAST_RETRY })],
  ['alertmanager', (url) => new AlertmanagerNotifier({ url, retry: FAST_RETRY, externalUrl: 'https://wardwatch.example.nhs.uk' })],
];

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startHttpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe.each(NOTIFIERS)('%s notifier (contract)', (name, make) => {
  it('POSTs JSON to the webhook URL', async () => {
    const notifier = make(receiver.url);
    expect(notifier.name).toBe(name);
    await notifier.send(FIRING);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', path: '/hook/secret-token', headers: { 'content-type': 'application/json' } });
  });

  it('retries after a 503 and a 429, sending the same body', async () => {
    receiver.respondWith(503, 429);
    await make(receiver.url).send(FIRING);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[2]!.body).toEqual(receiver.requests[0]!.body);
  });

  it('does not retry a 400, and says so without leaking the URL path', async () => {
    receiver.respondWith(400);
    const error = await make(receiver.url).send(FIRING).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NotifierError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 400, retriable: false });
    expect((error as Error).message).toContain('answered 400 (scripted 400)');
    expect((error as Error).message).not.toContain('secret-token');
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up after its attempts when the receiver keeps failing', async () => {
    receiver.respondWith(500, 502, 503, 504);
    await expect(make(receiver.url).send(FIRING)).rejects.toMatchObject({ status: 503, retriable: true });
    expect(receiver.requests).toHaveLength(3);
  });

  it('reports an unreachable receiver as a retriable network error', async () => {
    const url = receiver.url;
    await receiver.close();
    await expect(make(url).send(FIRING)).rejects.toMatchObject({ code: 'NETWORK', retriable: true, message: expect.stringContaining('ECONNREFUSED') });
    receiver = await startHttpReceiver();
  });
});

describe('payloads', () => {
  it('webhook: the alert with status, title and an Authorization header', async () => {
    await NOTIFIERS[0]![1](receiver.url).send(FIRING);
    expect(receiver.requests[0]!.headers.authorization).toBe('Bearer t');
    expect(receiver.requests[0]!.body).toEqual({
      kind: 'wardwatch.slo-alert',
      version: 1,
      status: 'firing',
      repeat: false,
      at: T0,
      title: '[FIRING page] site-app-availability on site:S1',
      alert: ALERT,
    });
  });

  it('teams: an Adaptive Card message', async () => {
    await NOTIFIERS[1]![1](receiver.url).send(RESOLVED);
    expect(receiver.requests[0]!.body).toEqual({
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
              { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, color: 'Good', text: '[RESOLVED page] site-app-availability on site:S1' },
              { type: 'TextBlock', wrap: true, text: 'site-app-availability on site:S1 is no longer burning its error budget fast enough to page; 75.0 % of the budget left.' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'SLO', value: 'site-app-availability' },
                  { title: 'Scope', value: 'site:S1' },
                  { title: 'Severity', value: 'page' },
                  { title: 'Objective', value: '99.5 %' },
                  { title: 'Budget left', value: '75.0 %' },
                  { title: 'Since', value: '2025-01-15T12:00:00.000Z' },
                  { title: 'Resolved', value: '2025-01-15T13:00:00.000Z' },
                ],
              },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open wardwatch', url: 'https://wardwatch.example.nhs.uk/' }],
          },
        },
      ],
    });
  });

  it('slack: header, summary, fields and context blocks with a fallback text', async () => {
    await NOTIFIERS[2]![1](receiver.url).send(FIRING);
    const body = receiver.requests[0]!.body as { text: string; blocks: Array<Record<string, unknown>> };
    expect(body.text).toBe(`[FIRING page] site-app-availability on site:S1: ${ALERT.summary}`);
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '[FIRING page] site-app-availability on site:S1', emoji: true } });
    expect(body.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: ALERT.summary } });
    expect((body.blocks[2]!.fields as unknown[])[0]).toEqual({ type: 'mrkdwn', text: '*SLO*\nsite-app-availability' });
    expect(body.blocks[3]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'fingerprint 0123456789abcdef' }] });
  });

  it.each([
    ['firing', FIRING, '0001-01-01T00:00:00Z'],
    ['resolved', RESOLVED, '2025-01-15T13:00:00.000Z'],
  ])('alertmanager: version 4 payload, %s', async (status, notification, endsAt) => {
    await NOTIFIERS[3]![1](receiver.url).send(notification);
    const labels = { alertname: 'WardwatchSloBurn', slo: 'site-app-availability', scope: 'site:S1', severity: 'page', indicator: 'availability' };
    const annotations = {
      summary: `[${status.toUpperCase()} page] site-app-availability on site:S1`,
      description: notification === FIRING ? ALERT.summary : 'site-app-availability on site:S1 is no longer burning its error budget fast enough to page; 75.0 % of the budget left.',
      objective: '99.5 %',
      error_budget_remaining: '75.0 %',
    };
    expect(receiver.requests[0]!.body).toEqual({
      version: '4',
      groupKey: '{}:{slo="site-app-availability", scope="site:S1", severity="page"}',
      truncatedAlerts: 0,
      status,
      receiver: 'wardwatch',
      groupLabels: { alertname: 'WardwatchSloBurn', slo: 'site-app-availability', scope: 'site:S1' },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: 'https://wardwatch.example.nhs.uk',
      alerts: [{ status, labels, annotations, startsAt: '2025-01-15T12:00:00.000Z', endsAt, generatorURL: 'https://wardwatch.example.nhs.uk', fingerprint: '0123456789abcdef' }],
    });
  });
});
