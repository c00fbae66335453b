// Notifiers as an operator configures them: the `notifications:` list of the SLO file, validated
// with zod (errors name the field, like the rest of that file), and turned into Notifier instances.
import { z } from 'zod';
import { AlertmanagerNotifier } from './alertmanager.ts';
import { EmailNotifier } from './email.ts';
import type { Notifier } from './notifier.ts';
import { SlackNotifier } from './slack.ts';
import { TeamsNotifier } from './teams.ts';
import { WebhookNotifier } from './webhook.ts';

export const NOTIFIER_TYPES = ['webhook', 'teams', 'slack', 'alertmanager', 'email'] as const;
export type NotifierType = (typeof NOTIFIER_TYPES)[number];

const httpUrl = (what: string) =>
  z.string({ error: `must be the ${what} as an http:// or https:// URL` }).refine(
    (text) => {
      try {
        return ['http:', 'https:'].includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be the ${what} as an http:// or https:// URL` },
  );

const common = {
  /** Names the channel in logs and errors (default: the type). */
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  /** Per attempt, ms (default 10 s). */
  timeoutMs: z.number({ error: 'must be a number of milliseconds' }).int({ error: 'must be a whole number of milliseconds' }).positive({ error: 'must be greater than 0' }).optional(),
  /** Tries per notification, the first included (default 4). */
  attempts: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(20, { error: 'must be at most 20' }).optional(),
};

const headers = z.record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be a map of header names to values' }).optional();

const webhookSchema = z.strictObject({ type: z.literal('webhook'), url: httpUrl('receiver'), headers, ...common });
const teamsSchema = z.strictObject({ type: z.literal('teams'), url: httpUrl('Teams incoming-webhook or Workflows'), dashboardUrl: httpUrl('dashboard').optional(), ...common });
const slackSchema = z.strictObject({ type: z.literal('slack'), url: httpUrl('Slack incoming-webhook'), dashboardUrl: httpUrl('dashboard').optional(), ...common });
const alertmanagerSchema = z.strictObject({
  type: z.literal('alertmanager'),
  url: httpUrl('receiver'),
  headers,
  receiver: z.string({ error: 'must be a string' }).optional(),
  externalUrl: httpUrl('wardwatch dashboard').optional(),
  ...common,
});

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;
const address = z.string({ error: 'must be an email address' }).refine((text) => ADDRESS.test(text.replace(/^.*<([^>]*)>\s*$/, '$1')), {
  error: 'must be an email address such as wardwatch@trust.nhs.uk (or "Name <address>")',
});

const emailSchema = z.strictObject({
  type: z.literal('email'),
  host: z.string({ error: 'must be the SMTP server host name' }).min(1, { error: 'must be the SMTP server host name' }),
  port: z
    .number({ error: 'must be the SMTP port, a whole number from 1 to 65535 (587 for STARTTLS, 465 for TLS)' })
    .int({ error: 'must be a whole number from 1 to 65535' })
    .min(1, { error: 'must be a whole number from 1 to 65535' })
    .max(65535, { error: 'must be a whole number from 1 to 65535' }),
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure: z.boolean({ error: 'must be true or false' }).optional(),
  /** Refuse to send without STARTTLS. */
  requireTLS: z.boolean({ error: 'must be true or false' }).optional(),
  auth: z
    .strictObject({ user: z.string({ error: 'must be a string' }), pass: z.string({ error: 'must be a string (use ${VARIABLE} to read it from the environment)' }) }, { error: 'must be { user, pass }' })
    .optional(),
  from: address,
  to: z.union([address, z.array(address, { error: 'must be a list of email addresses' }).min(1, { error: 'must name at least one recipient' })], {
    error: 'must be an email address or a list of them',
  }),
  dashboardUrl: httpUrl('dashboard').optional(),
  ...common,
});

export const notifierConfigSchema = z.discriminatedUnion('type', [webhookSchema, teamsSchema, slackSchema, alertmanagerSchema, emailSchema], {
  error: (issue) => (issue.input === null || typeof issue.input !== 'object' || Array.isArray(issue.input) ? `must be a notifier: an object with a type (${NOTIFIER_TYPES.join(', ')})` : `must be one of ${NOTIFIER_TYPES.join(', ')}`),
});

export const notificationsSchema = z.array(notifierConfigSchema, { error: 'must be a list of notifiers' });

export type NotifierConfig = z.output<typeof notifierConfigSchema>;

/** Fields whose values are never echoed in error messages. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['pass', 'headers', 'url']);

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string of the notifications with the environment variable NAME, so
 * that webhook URLs and SMTP passwords (secrets) stay out of the file. Returns the problems found,
 * each naming its field.
 */
export function expandEnvironment(node: unknown, env: Record<string, string | undefined>, path: string, problems: string[]): unknown {
  if (typeof node === 'string') {
    return node.replace(VARIABLE, (_match, name: string) => {
      const value = env[name];
      if (value === undefined) {
        problems.push(`${path}: environment variable ${name} is not set; set it or write the value in the file`);
        return '';
      }
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => expandEnvironment(item, env, `${path}[${i}]`, problems));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, expandEnvironment(value, env, `${path}.${key}`, problems)]));
  }
  return node;
}

/** The Notifier for each configured channel, in the file's order. */
export function createNotifiers(configs: readonly NotifierConfig[]): Notifier[] {
  return configs.map((config) => {
    const retry = config.attempts !== undefined ? { attempts: config.attempts } : undefined;
    const base = { name: config.name, timeoutMs: config.timeoutMs, retry };
    switch (config.type) {
      case 'webhook':
        return new WebhookNotifier({ ...base, url: config.url, headers: config.headers });
      case 'teams':
        return new TeamsNotifier({ ...base, url: config.url, dashboardUrl: config.dashboardUrl });
      case 'slack':
        return new SlackNotifier({ ...base, url: config.url, dashboardUrl: config.dashboardUrl });
      case 'alertmanager':
        return new AlertmanagerNotifier({ ...base, url: config.url, headers: config.headers, receiver: config.receiver, externalUrl: config.externalUrl });
      case 'email':
        return new EmailNotifier({
          ...base,
          host: config.host,
          port: config.port,
          secure: config.secure,
          requireTLS: config.requireTLS,
          auth: config.auth,
          from: config.from,
          to: typeof config.to === 'string' ? [config.to] : config.to,
          dashboardUrl: config.dashboardUrl,
        });
    }
  });
}

/** What an operator may read about a channel (logs, /healthz): never its URL or credentials. */
export function describeNotifier(config: NotifierConfig): string {
  const name = config.name ?? config.type;
  if (config.type === 'email') return `${name} (email via ${config.host}:${config.port} to ${typeof config.to === 'string' ? 1 : config.to.length} recipient(s))`;
  return `${name} (${config.type} to ${new URL(config.url).origin})`;
}
