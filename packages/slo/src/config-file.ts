// Reading SLO files: YAML → validated definitions, with errors that name the field at fault.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseConfig } from '@wardwatch/schema';
import { sloConfigSchema, type SloDefinition } from './definition.ts';
import { burnRateRule, BURN_RATE_RULES, type BurnRateRule } from './burn-rate-rules.ts';
import { expandEnvironment, SECRET_FIELDS, type NotifierConfig } from './notify/config.ts';
import type { ReportConfig } from './reports-config.ts';

export class SloConfigError extends Error {
  override readonly name = 'SloConfigError';
  readonly code = 'SLO_CONFIG_INVALID';
  /** One line per problem, each naming its field: `slos[2].objective: must be between 0 and 1 (exclusive); got 1.5`. */
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    const where = source ? `${source}: ` : '';
    super(`${where}invalid SLO configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

export interface ParsedSloConfig {
  slos: SloDefinition[];
  burnRateRules: readonly BurnRateRule[];
  /** The file's `notifications:` list (empty when absent); build them with createNotifiers. */
  notifications: NotifierConfig[];
  /** The file's `reports:` list (empty when absent): evidence packs to email on a schedule. */
  reports: ReportConfig[];
}

export interface SloConfigOptions {
  /** Where `${NAME}` in the notifications is looked up (default process.env). */
  env?: Record<string, string | undefined>;
}

/** Parses and validates SLO YAML text; `source` (a file name) only labels errors. */
export function parseSloConfig(text: string, source?: string, options: SloConfigOptions = {}): ParsedSloConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new SloConfigError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  }
  const raw: unknown = document.toJS();
  const problems: string[] = [];
  // Secrets (webhook URLs, SMTP passwords) may come from the environment: `${TEAMS_WEBHOOK_URL}`.
  const input =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'notifications' in raw
      ? { ...raw, notifications: expandEnvironment((raw as { notifications: unknown }).notifications, options.env ?? process.env, 'notifications', problems) }
      : raw;
  // Webhook URLs, headers and passwords are secrets: say that one is wrong, never what it is.
  const result = parseConfig(sloConfigSchema, input, { secret: (path) => path[0] === 'notifications' && path.some((part) => SECRET_FIELDS.has(String(part))) });
  if (!result.ok) problems.push(...result.problems);
  if (problems.length > 0 || !result.ok) throw new SloConfigError(problems, source);
  const data = result.value;
  const burnRateRules = data.burnRateRules ? data.burnRateRules.map(burnRateRule) : BURN_RATE_RULES;
  return { slos: data.slos, burnRateRules, notifications: data.notifications ?? [], reports: data.reports ?? [] };
}

export function loadSloFile(path: string, options: SloConfigOptions = {}): ParsedSloConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SloConfigError([`cannot read the file (${(error as Error).message}); check the path`], path);
  }
  return parseSloConfig(text, path, options);
}

export const DEFAULT_SLO_FILE = fileURLToPath(new URL('./default-slos.yaml', import.meta.url));

/** The shipped defaults (see default-slos.yaml). */
export const DEFAULT_SLOS: readonly SloDefinition[] = Object.freeze(loadSloFile(DEFAULT_SLO_FILE).slos);
