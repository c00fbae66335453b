// The SLO definition: its runtime schema (zod) and the types inferred from it. Close to OpenSLO's
// shape (name, description, indicator, objective, rolling time window, budgeting method) where
// that costs nothing; scopes and indicators are wardwatch's own.
import { z } from 'zod';
import { INDICATOR_KINDS, partFields, partItems, SEVERITIES, type IndicatorKind, type Severity } from '@wardwatch/schema';
import { parseSloDuration } from './duration.ts';
import { notificationsSchema } from './notify/config.ts';
import { reportsSchema } from './reports-config.ts';

export const SLO_SCOPE_KINDS = ['trust', 'site', 'application'] as const;
export type SloScopeKind = (typeof SLO_SCOPE_KINDS)[number];

/**
 * latency: share of application checks that succeed under the processor's app threshold (2 s default);
 * logon: share of logons that succeed under the logon threshold (30 s default);
 * availability: share of application checks that succeed.
 */
export { INDICATOR_KINDS, SEVERITIES, type IndicatorKind, type Severity };



const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The longest rolling window: the budget's burn-down chart looks back two windows, and the hourly
 * rollups the counts come from are kept 62 days (DEFAULT_RETENTION_MS in the store) — a longer window
 * would be counted over a part of itself, silently.
 */
export const MAX_TIME_WINDOW_MS = 31 * 86_400_000;

const duration = (what: string) =>
  z.string({ error: `must be a duration such as "5m", "1h" or "28d"` }).refine((text) => parseSloDuration(text) !== undefined, {
    error: `must be a duration such as "5m", "1h" or "28d" (${what})`,
  });

const scopeSchema = z.strictObject({
  kind: z.enum(SLO_SCOPE_KINDS, { error: `must be one of ${SLO_SCOPE_KINDS.join(', ')}` }),
  /** A site id or application id, or "*" for each one; ignored (and optional) for the trust. */
  selector: z
    .string({ error: 'must be a site or application id, or "*" for each one' })
    .refine((s) => s === '*' || IDENTIFIER.test(s), { error: 'must be a site or application id (letters, digits, . _ -), or "*" for each one' })
    .optional(),
}, { error: `must be a scope such as { kind: site, selector: "*" } (kind one of ${SLO_SCOPE_KINDS.join(', ')})` });

export const burnRateRuleSchema = z.strictObject({
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
  burnRate: z.number({ error: 'must be a number' }).positive({ error: 'must be greater than 0' }),
  longWindow: duration('the long window'),
  shortWindow: duration('the short window'),
});

export const sloSchema = z
  .strictObject({
    name: z.string({ error: 'must be a string' }).regex(NAME, {
      error: 'must be lower-case letters, digits and dashes, starting and ending with a letter or digit (at most 63)',
    }),
    description: z.string({ error: 'must be a string' }).default(''),
    scope: scopeSchema,
    indicator: z.strictObject(
      { kind: z.enum(INDICATOR_KINDS, { error: `must be one of ${INDICATOR_KINDS.join(', ')}` }) },
      { error: `must be an indicator such as { kind: logon } (kind one of ${INDICATOR_KINDS.join(', ')})` },
    ),
    objective: z
      .number({ error: 'must be a number between 0 and 1 (exclusive), e.g. 0.995' })
      .gt(0, { error: 'must be between 0 and 1 (exclusive)' })
      .lt(1, { error: 'must be between 0 and 1 (exclusive)' }),
    timeWindow: z
      .strictObject({
        duration: duration('the rolling window')
          .refine((text) => parseSloDuration(text)! <= MAX_TIME_WINDOW_MS, {
            error: 'must be at most 31d: SLIs are counted from hourly rollups, kept 62 days, and the budget\'s history looks back two windows',
          })
          .default('28d'),
        isRolling: z.literal(true, { error: 'must be true: only rolling windows are supported' }).default(true),
      })
      .default({ duration: '28d', isRolling: true }),
    budgetingMethod: z.literal('Occurrences', { error: 'must be "Occurrences": SLIs here count events' }).default('Occurrences'),
  })
  // Beside the fields' own issues (`when`, as the file's checks below): a mistyped objective does not
  // hide a missing selector. The value may be part-parsed, so only fields of the right kind are read.
  .superRefine(
    (slo: Partial<Record<string, unknown>>, ctx) => {
      const scope = partFields(slo.scope);
      const scopeKind = scope.kind;
      if (typeof scopeKind !== 'string' || !(SLO_SCOPE_KINDS as readonly string[]).includes(scopeKind)) return;
      if (scopeKind !== 'trust' && scope.selector === undefined) {
        ctx.addIssue({ code: 'custom', path: ['scope', 'selector'], message: `is required for a ${scopeKind} scope: an id, or "*" for each ${scopeKind}` });
      }
      if (scopeKind === 'application' && partFields(slo.indicator).kind === 'logon') {
        ctx.addIssue({ code: 'custom', path: ['indicator', 'kind'], message: 'logon SLIs have no application scope; use scope.kind site or trust' });
      }
    },
    { when: () => true },
  );

export const sloConfigSchema = z
  .strictObject({
    apiVersion: z.literal('wardwatch/v1', { error: 'must be "wardwatch/v1"' }).default('wardwatch/v1'),
    slos: z.array(sloSchema, { error: 'must be a list of SLO definitions' }).min(1, { error: 'must hold at least one SLO' }),
    /** Overrides the default multiwindow burn-rate table for every SLO of the file. */
    burnRateRules: z.array(burnRateRuleSchema, { error: 'must be a list of burn-rate rules' }).min(1, { error: 'must hold at least one rule' }).optional(),
    /** Where alert notifications go (webhook, teams, slack, alertmanager, email); none by default. */
    notifications: notificationsSchema.optional(),
    /** Evidence packs emailed on a schedule through one of the email notifiers (see reports-config.ts). */
    reports: reportsSchema.optional(),
  })
  // Run beside the fields' own issues (`when`), so one reading of the file lists every problem: the
  // value may then be part-parsed, so each check reads only what has the shape it needs.
  .superRefine(
    (config: Partial<Record<string, unknown>>, ctx) => {
      const seen = new Map<string, number>();
      partItems(config.slos).map(partFields).forEach((slo, i) => {
        if (typeof slo.name !== 'string') return;
        const first = seen.get(slo.name);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['slos', i, 'name'], message: `duplicates slos[${first}].name; SLO names must be unique` });
        else seen.set(slo.name, i);
      });
      const emails = partItems(config.notifications).map(partFields).flatMap((n) => (n.type === 'email' ? [typeof n.name === 'string' ? n.name : 'email'] : []));
      partItems(config.reports).map(partFields).forEach((report, i) => {
        if (typeof report.email !== 'string' || emails.includes(report.email)) return;
        const message = emails.length > 0
          ? `no email notifier named "${report.email}" under notifications; the email notifiers are ${emails.join(', ')}`
          : `no email notifier under notifications: add one ({ type: email, name: ${report.email}, host, port, from, to })`;
        ctx.addIssue({ code: 'custom', path: ['reports', i, 'email'], message });
      });
      partItems(config.burnRateRules).map(partFields).forEach((rule, i) => {
        const short = typeof rule.shortWindow === 'string' ? parseSloDuration(rule.shortWindow) : undefined;
        const long = typeof rule.longWindow === 'string' ? parseSloDuration(rule.longWindow) : undefined;
        if (short !== undefined && long !== undefined && short >= long) {
          ctx.addIssue({ code: 'custom', path: ['burnRateRules', i, 'shortWindow'], message: 'must be shorter than longWindow' });
        }
      });
    },
    { when: () => true },
  );

export type SloDefinition = z.output<typeof sloSchema>;
/** What may be written (defaults not yet applied). */
export type SloDefinitionInput = z.input<typeof sloSchema>;
export type SloScope = SloDefinition['scope'];
export type SloConfig = z.output<typeof sloConfigSchema>;
