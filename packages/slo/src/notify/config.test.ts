import { describe, expect, it } from 'vitest';
import { parseSloConfig, SloConfigError } from '../config-file.ts';
import { AlertmanagerNotifier } from './alertmanager.ts';
import { createNotifiers, describeNotifier } from './config.ts';
import { EmailNotifier } from './email.ts';
import { SlackNotifier } from './slack.ts';
import { TeamsNotifier } from './teams.ts';
import { WebhookNotifier } from './webhook.ts';

const SLOS = `
slos:
  - name: app-availability
    scope: { kind: application, selector: "*" }
    indicator: { kind: availability }
    objective: 0.995
`;

const ALL = `${SLOS}
notifications:
  - type: webhook
    url: http://127.0.0.1:9000/hook
    headers: { Authorization: Bearer x }
  - type: teams
    name: service-desk-teams
    url: \${TEAMS_URL}
    dashboardUrl: https://wardwatch.trust.nhs.uk/
  - type: slack
    url: https://hooks.slack.com/services/T/B/secret
  - type: alertmanager
    url: http://alertmanager:9093/api/v2/alerts
    receiver: oncall
    attempts: 2
  - type: email
    host: smtp.trust.nhs.uk
    port: 587
    requireTLS: true
    auth: { user: wardwatch, pass: "\${SMTP_PASSWORD}" }
    from: wardwatch@trust.nhs.uk
    to: [it-service-desk@trust.nhs.uk, "On call <oncall@trust.nhs.uk>"]
    timeoutMs: 5000
`;

const env = { TEAMS_URL: 'https://trust.webhook.office.com/workflows/secret', SMTP_PASSWORD: 'hunter2' };

function problemsOf(text: string, environment: Record<string, string> = env): string[] {
  try {
    parseSloConfig(text, undefined, { env: environment });
  } catch (error) {
    expect(error).toBeInstanceOf(SloConfigError);
    return (error as SloConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

const oneNotifier = (lines: string) => `${SLOS}notifications:\n${lines}`;

describe('notifications in the SLO file', () => {
  it('are none by default', () => {
    expect(parseSloConfig(SLOS).notifications).toEqual([]);
  });

  it('reads every kind of notifier, with secrets from the environment', () => {
    const { notifications } = parseSloConfig(ALL, 'slos.yaml', { env });
    expect(notifications.map((n) => n.type)).toEqual(['webhook', 'teams', 'slack', 'alertmanager', 'email']);
    expect(notifications[1]).toMatchObject({ url: env.TEAMS_URL, name: 'service-desk-teams' });
    expect(notifications[4]).toMatchObject({ host: 'smtp.trust.nhs.uk', port: 587, auth: { user: 'wardwatch', pass: 'hunter2' }, to: ['it-service-desk@trust.nhs.uk', 'On call <oncall@trust.nhs.uk>'] });

    const notifiers = createNotifiers(notifications);
    expect(notifiers.map((n) => n.constructor)).toEqual([WebhookNotifier, TeamsNotifier, SlackNotifier, AlertmanagerNotifier, EmailNotifier]);
    expect(notifiers.map((n) => n.name)).toEqual(['webhook', 'service-desk-teams', 'slack', 'alertmanager', 'email']);
    (notifiers[4] as EmailNotifier).close();
    // What the logs may show: no URL path, no password.
    expect(notifications.map(describeNotifier)).toEqual([
      'webhook (webhook to http://127.0.0.1:9000)',
      'service-desk-teams (teams to https://trust.webhook.office.com)',
      'slack (slack to https://hooks.slack.com)',
      'alertmanager (alertmanager to http://alertmanager:9093)',
      'email (email via smtp.trust.nhs.uk:587 to 2 recipient(s))',
    ]);
  });

  it('takes a single address for to', () => {
    const { notifications } = parseSloConfig(oneNotifier('  - { type: email, host: localhost, port: 25, from: a@b.nhs.uk, to: c@d.nhs.uk }\n'));
    const [email] = createNotifiers(notifications) as [EmailNotifier];
    expect(email).toBeInstanceOf(EmailNotifier);
    email.close();
  });

  it.each([
    ['an unknown type', '  - { type: pager, url: http://x }\n', 'notifications[0].type: must be one of webhook, teams, slack, alertmanager, email; got "pager"'],
    ['no type', '  - { url: http://x }\n', 'notifications[0].type: must be one of webhook, teams, slack, alertmanager, email; missing'],
    ['not an object', '  - http://x\n', 'notifications[0]: must be a notifier: an object with a type (webhook, teams, slack, alertmanager, email); got "http://x"'],
    ['a webhook without a URL', '  - { type: webhook }\n', 'notifications[0].url: must be the receiver as an http:// or https:// URL; missing'],
    ['a URL that is not http', '  - { type: slack, url: "ftp://hooks.slack.com/x" }\n', 'notifications[0].url: must be the Slack incoming-webhook as an http:// or https:// URL; got a value (not shown: it may hold a secret)'],
    ['a misspelt field', '  - { type: teams, url: "https://x.example/y", dashboardURL: "https://d" }\n', 'notifications[0]: unknown field "dashboardURL"; check the spelling'],
    ['an email without a port', '  - { type: email, host: smtp, from: a@b.nhs.uk, to: [c@d.nhs.uk] }\n', 'notifications[0].port: must be the SMTP port, a whole number from 1 to 65535 (587 for STARTTLS, 465 for TLS); missing'],
    ['a port out of range', '  - { type: email, host: smtp, port: 70000, from: a@b.nhs.uk, to: [c@d.nhs.uk] }\n', 'notifications[0].port: must be a whole number from 1 to 65535; got 70000'],
    ['a bad sender', '  - { type: email, host: smtp, port: 25, from: wardwatch, to: [c@d.nhs.uk] }\n', 'notifications[0].from: must be an email address such as wardwatch@trust.nhs.uk (or "Name <address>"); got "wardwatch"'],
    ['no recipients', '  - { type: email, host: smtp, port: 25, from: a@b.nhs.uk, to: [] }\n', 'notifications[0].to: must name at least one recipient; got []'],
    ['a bad recipient', '  - { type: email, host: smtp, port: 25, from: a@b.nhs.uk, to: [c@d.nhs.uk, nobody] }\n', 'notifications[0].to[1]: must be an email address such as wardwatch@trust.nhs.uk (or "Name <address>"); got "nobody"'],
    ['a password that is not text', '  - { type: email, host: smtp, port: 25, from: a@b.nhs.uk, to: c@d.nhs.uk, auth: { user: u, pass: 1234 } }\n', 'notifications[0].auth.pass: must be a string (use ${VARIABLE} to read it from the environment); got a value (not shown: it may hold a secret)'],
    ['an unset variable', '  - { type: webhook, url: "${NOT_SET_ANYWHERE}" }\n', 'notifications[0].url: environment variable NOT_SET_ANYWHERE is not set; set it or write the value in the file'],
    ['not a list', '  type: webhook\n', 'notifications: must be a list of notifiers; got {"type":"webhook"}'],
  ])('refuses %s, naming the field', (_case, lines, expected) => {
    expect(problemsOf(oneNotifier(lines))).toContain(expected);
  });

  it('names the notifier by its place in the list', () => {
    const text = oneNotifier('  - { type: webhook, url: "http://127.0.0.1/a" }\n  - { type: email, host: smtp, port: "25", from: a@b.nhs.uk, to: c@d.nhs.uk }\n');
    expect(problemsOf(text)).toEqual(['notifications[1].port: must be the SMTP port, a whole number from 1 to 65535 (587 for STARTTLS, 465 for TLS); got "25"']);
  });
});
