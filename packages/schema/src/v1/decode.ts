// Turns untrusted bytes into a TelemetryEvent, or says precisely why not. Shared by every entry
// point (HTTP ingest, Kafka consumer, agent spool) so that all of them accept and reject alike.
import { EVENT_KINDS, TelemetryEvent } from './event.ts';
import { isTelemetryEvent } from './json-schema.ts';
import { isPlainlyValidEvent } from './event-check.ts';
import { contradiction } from './contradiction.ts';

/** Machine-readable rejection reasons; they label the dead-letter topic and the rejected counter. */
export const REJECT_REASONS = [
  'malformed-json',
  'unknown-kind',
  'schema',
  'future-timestamp',
  // Older than any window the processors can still count (EVENT_MAX_AGE_MS): refused at the gateway,
  // so the sender hears it; dropped by a processor that meets one, behind its own correction horizon.
  'too-late',
  // Refused by the ingest gateway before parsing: nested deeper, or a line longer, than any event can be.
  'too-deep',
  'too-long',
  // Refused by the ingest gateway for where the event claims to come from (token, estate register, cap).
  'device-mismatch',
  'site-mismatch',
  'trust-mismatch',
  'unknown-site',
  'unknown-device',
  'scope-cap',
  // Fields that cannot all be true at once (contradiction.ts): a check's phases adding up to more than
  // its total, a phase inside a logon longer than the logon.
  'inconsistent',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type DecodeResult =
  | { ok: true; event: TelemetryEvent }
  | { ok: false; reason: RejectReason; message: string };

export interface DecodeOptions {
  /** The receiver's clock, epoch ms; events stamped further ahead than maxFutureSkewMs are refused. */
  now: number;
  /** Default five minutes: workstation clocks drift, but not by hours. */
  maxFutureSkewMs?: number;
  /** Events stamped further behind the receiver's clock are refused as too-late (the ingest gateway: EVENT_MAX_AGE_MS); default none. */
  maxAgeMs?: number;
}

/**
 * How old an event may be and still be counted: the processors' correction horizon by default (a
 * later event's window is final, its corrections no longer taken), and the agents' spool's age limit.
 */
export const EVENT_MAX_AGE_MS = 7 * 86_400_000;

const kinds = new Set<string>(EVENT_KINDS);
const textDecoder = new TextDecoder();

export function decodeEvent(input: string | Uint8Array, options: DecodeOptions): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(typeof input === 'string' ? input : textDecoder.decode(input));
  } catch (error) {
    return { ok: false, reason: 'malformed-json', message: `not valid JSON: ${(error as Error).message}` };
  }
  return validateEvent(value, options);
}

export function validateEvent(value: unknown, options: DecodeOptions): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'schema', message: 'an event must be a JSON object' };
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !kinds.has(kind)) {
    return {
      ok: false,
      reason: 'unknown-kind',
      message: `kind must be one of ${EVENT_KINDS.join(', ')}; got ${JSON.stringify(kind) ?? 'nothing'}`,
    };
  }
  // The plain check passes nearly every event at a third of the compiled schema's cost; what it does
  // not pass, the schema judges (and zod explains), as before.
  if (!isPlainlyValidEvent(value) && !isTelemetryEvent(value)) {
    // Rare path: ask zod, the source of truth, for a message that names the field.
    const parsed = TelemetryEvent.safeParse(value);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return { ok: false, reason: 'schema', message: `${path}: ${issue?.message ?? 'does not match the v1 event schema'}` };
  }
  const event = value;
  const contradicted = contradiction(event);
  if (contradicted !== undefined) return { ok: false, reason: 'inconsistent', message: contradicted };
  const maxSkew = options.maxFutureSkewMs ?? 5 * 60_000;
  if (event.ts > options.now + maxSkew) {
    return {
      ok: false,
      reason: 'future-timestamp',
      message: `ts ${new Date(event.ts).toISOString()} is more than ${Math.round(maxSkew / 1000)} s ahead of the receiver's clock (${new Date(options.now).toISOString()})`,
    };
  }
  if (options.maxAgeMs !== undefined && event.ts < options.now - options.maxAgeMs) {
    return {
      ok: false,
      reason: 'too-late',
      message: `ts ${new Date(event.ts).toISOString()} is more than ${Math.round(options.maxAgeMs / 86_400_000)} days behind the receiver's clock (${new Date(options.now).toISOString()}): too old to be counted`,
    };
  }
  return { ok: true, event };
}
