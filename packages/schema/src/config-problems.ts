// How a settings file's mistakes are told: one line per problem, naming the field as the file writes
// it ("slos[2].objective", "tokens[0].sha256"), what it must be, and what it holds ("got 1.5", or
// "missing"). Every file wardwatch reads (SLOs, evidence settings, inventory, estate register, ingest
// tokens, sign-in, the agent's) says its problems this way, whichever package reads it.
import type { z } from 'zod';

export interface ConfigProblemOptions {
  /** Fields whose values must not be echoed (URLs with keys in them, passwords): "got a value (not shown …)". */
  secret?: (path: readonly PropertyKey[]) => boolean;
  /** What to say after an unknown field (default "check the spelling"). */
  unknownFieldHint?: (field: string) => string;
}

export type ConfigParse<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates a settings file's parsed value (YAML or JSON) against its schema. Where a field's schema
 * says nothing of its own, a wrong type reads in the file's words ("must be a list") rather than the
 * validator's ("Invalid input: expected array, received number").
 */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, options: ConfigProblemOptions = {}): ConfigParse<z.output<S>> {
  const result = schema.safeParse(raw, { error: typeMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => describeConfigIssue(issue, raw, options)) };
}

/** One problem's line: the field, what it must be, and what the file holds there. */
export function describeConfigIssue(issue: z.core.$ZodIssue, raw: unknown, options: ConfigProblemOptions = {}): string {
  const field = configField(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${field}: unknown field ${keys}; ${options.unknownFieldHint?.(field) ?? 'check the spelling'}`;
  }
  const value = valueAt(raw, issue.path);
  const got = !value.present ? 'missing' : options.secret?.(issue.path) ? 'got a value (not shown: it may hold a secret)' : `got ${JSON.stringify(value.value)}`;
  return `${field}: ${issue.message}; ${got}`;
}

/** A field's path as the file writes it: `slos[2].objective`. */
export function configField(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text ? `.${String(part)}` : String(part);
  return text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): { present: boolean; value?: unknown } {
  let node = raw;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in node)) return { present: false };
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node === undefined ? { present: false } : { present: true, value: node };
}

/** What each type a field can expect is called in a settings file. */
const TYPE_WORDS: Record<string, string> = {
  object: 'a set of fields (key: value)',
  record: 'a set of key: value entries',
  map: 'a set of key: value entries',
  array: 'a list',
  tuple: 'a list',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  date: 'a date',
};

/** The message for a wrong type where the schema gives none (undefined: the schema's or zod's own). */
function typeMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  const expected = String(issue.expected);
  return `must be ${TYPE_WORDS[expected] ?? expected}`;
}

// Cross-field checks run beside the fields' own (zod's `when`), so that one reading lists every
// problem: the value they see may be part-parsed, and these read it only where it has the shape.

/** `value`'s fields when it is a mapping, else none. */
export function partFields(value: unknown): Partial<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `value`'s items when it is a list, else none. */
export function partItems(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
