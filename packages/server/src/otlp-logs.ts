// An OTLP/HTTP JSON logs request (ExportLogsServiceRequest, the OTLP specification's "JSON Protobuf
// Encoding") read as wardwatch events: each log record carries one event as its body — a kvlistValue
// of the event's fields, or a stringValue of the event's JSON — so any OpenTelemetry pipeline (an SDK's
// log exporter, a trust's OpenTelemetry Collector in front of the server) can carry the telemetry.
// The record's other fields (its time, severity, attributes, trace context) are not read: the event
// has its own time and identity, and wardwatch judges it exactly as POST /api/ingest would.
//
// The envelope must have the specification's shape (400 otherwise: nothing in it can be trusted); a
// record that does not hold an event is refused on its own, so the records beside it still count.
// Unknown fields are ignored (the specification requires it), 64-bit integers come as numbers or
// decimal strings, and a kvlist's keys must be unique (the specification's KeyValueList).
import type { RejectReason } from '@wardwatch/schema';
import { nestingDepth, type BodyLimits } from './routes/ingest-body.ts';
import type { IngestItem } from './routes/ingest-batch.ts';

/** A log record as an item to judge, with where it sits in the request (for the answer's message). */
export interface LogRecordItem extends IngestItem {
  /** e.g. `resourceLogs[0].scopeLogs[1].logRecords[4]` */
  path: string;
}

/** The log records of a request as items to judge, in request order; or why the request itself is unreadable. */
export function logRecordItems(request: unknown, limits: BodyLimits): LogRecordItem[] | { error: string } {
  if (!isObject(request)) return { error: 'the body is not an OTLP ExportLogsServiceRequest: expected a JSON object with "resourceLogs"' };
  const items: LogRecordItem[] = [];
  // An empty request is a success (the specification): no resourceLogs, no records.
  const resourceLogs = listAt(request, 'resourceLogs', 'resourceLogs');
  if (typeof resourceLogs === 'string') return { error: resourceLogs };
  for (let r = 0; r < resourceLogs.length; r++) {
    const resource = resourceLogs[r];
    if (!isObject(resource)) return { error: `resourceLogs[${r}] is not an object` };
    const scopeLogs = listAt(resource, 'scopeLogs', `resourceLogs[${r}].scopeLogs`);
    if (typeof scopeLogs === 'string') return { error: scopeLogs };
    for (let s = 0; s < scopeLogs.length; s++) {
      const scope = scopeLogs[s];
      if (!isObject(scope)) return { error: `resourceLogs[${r}].scopeLogs[${s}] is not an object` };
      const records = listAt(scope, 'logRecords', `resourceLogs[${r}].scopeLogs[${s}].logRecords`);
      if (typeof records === 'string') return { error: records };
      for (let l = 0; l < records.length; l++) {
        items.push(recordItem(items.length, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${l}]`, records[l], limits));
      }
    }
  }
  return items;
}

/** `object[key]` as a list: absent (or null) is empty; anything else but an array is an error message. */
function listAt(object: Record<string, unknown>, key: string, path: string): unknown[] | string {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return `${path} is not an array`;
  return value;
}

function recordItem(index: number, path: string, record: unknown, limits: BodyLimits): LogRecordItem {
  // The record as sent, for the dead-letter topic: written out only for a record refused (here or by
  // the checks after), not for each of the thousands taken.
  const item = (rest: Pick<IngestItem, 'value' | 'refusal'>): LogRecordItem => ({
    index,
    path,
    ...rest,
    get raw() {
      return (JSON.stringify(record) ?? 'undefined').slice(0, limits.maxItemChars);
    },
  });
  const refuse = (reason: RejectReason, message: string) => item({ refusal: { reason, message } });
  if (!isObject(record)) return refuse('schema', 'a log record must be an object');
  const body = record.body;
  if (!isObject(body)) return refuse('schema', `the log record has no body: ${WHAT_A_BODY_IS}`);
  const kind = kindOf(body);
  if (kind === 'stringValue' && typeof body.stringValue === 'string') {
    const text = body.stringValue;
    if (text.length > limits.maxItemChars) return refuse('too-long', `its body's stringValue is ${text.length} characters, more than the ${limits.maxItemChars} an event may take (an event is under 2,000)`);
    if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) return refuse('too-deep', `the event in its body is nested more than ${limits.maxDepth} deep; an event is 3 deep (event, body, phases)`);
    try {
      return item({ value: JSON.parse(text) });
    } catch (error) {
      return refuse('malformed-json', `its body's stringValue is not an event in JSON: ${(error as Error).message}`);
    }
  }
  if (kind === 'kvlistValue' && isObject(body.kvlistValue)) {
    const event = fromAnyValue(body, limits.maxDepth);
    if (!event.ok) return refuse(event.reason, `in its body, ${event.message}`);
    return item({ value: event.value });
  }
  return refuse('schema', `its body is ${describeKinds(body)}: ${WHAT_A_BODY_IS}`);
}

const WHAT_A_BODY_IS = 'wardwatch takes each log record\'s body as one event, a kvlistValue of its fields or a stringValue of its JSON (docs/api.md, "POST /v1/logs")';

/** The AnyValue members (the protobuf oneof); other fields are unknown and ignored. */
const VALUE_KINDS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

type ValueKind = (typeof VALUE_KINDS)[number];

/**
 * The one AnyValue member `value` holds; 'none' when it holds none, 'many' when more than one. Walks
 * the value's own keys (one, nearly always) instead of probing for each member: it runs for every
 * value of every event.
 */
function kindOf(value: Record<string, unknown>): ValueKind | 'none' | 'many' {
  let found: ValueKind | 'none' = 'none';
  for (const key in value) {
    if (!IS_VALUE_KIND.has(key) || value[key] === undefined) continue;
    if (found !== 'none') return 'many';
    found = key as ValueKind;
  }
  return found;
}

const IS_VALUE_KIND: ReadonlySet<string> = new Set(VALUE_KINDS);

function describeKinds(value: Record<string, unknown>): string {
  const kinds = VALUE_KINDS.filter((k) => value[k] !== undefined);
  if (kinds.length === 0) return 'empty';
  return `a ${kinds.join(' and a ')}`;
}

type Converted = { ok: true; value: unknown } | { ok: false; reason: RejectReason; message: string };

const INTEGER = /^-?\d+$/;
const SPECIAL_DOUBLES: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Why a value cannot be part of an event (thrown through the nesting, caught once in fromAnyValue). */
class Unconvertible extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An AnyValue as the JSON value it stands for: strings, booleans and numbers as themselves (an
 * intValue as a number: it must be a safe integer), an arrayValue as an array, a kvlistValue as an
 * object. An AnyValue with no value is null (a kvlist entry holding one is left out). Bytes have no
 * place in an event.
 */
export function fromAnyValue(value: unknown, depthLeft: number): Converted {
  try {
    return { ok: true, value: converted(value, depthLeft) };
  } catch (error) {
    if (error instanceof Unconvertible) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

function converted(value: unknown, depthLeft: number): unknown {
  if (!isObject(value)) throw bad('a value is not an AnyValue object');
  switch (kindOf(value)) {
    case 'many':
      throw bad(`an AnyValue holds more than one value (${VALUE_KINDS.filter((k) => value[k] !== undefined).join(', ')})`);
    case 'none':
      return null;
    case 'stringValue':
      if (typeof value.stringValue !== 'string') throw bad('a stringValue is not a string');
      return value.stringValue;
    case 'boolValue':
      if (typeof value.boolValue !== 'boolean') throw bad('a boolValue is not true or false');
      return value.boolValue;
    case 'intValue': {
      const n = value.intValue;
      const parsed = typeof n === 'number' ? n : typeof n === 'string' && INTEGER.test(n) ? Number(n) : NaN;
      if (!Number.isSafeInteger(parsed)) throw bad(`intValue ${JSON.stringify(n)} is not an integer wardwatch can hold exactly (up to 2^53)`);
      return parsed;
    }
    case 'doubleValue': {
      const d = value.doubleValue;
      if (typeof d === 'number') return d;
      if (typeof d === 'string' && d in SPECIAL_DOUBLES) return SPECIAL_DOUBLES[d];
      throw bad(`doubleValue ${JSON.stringify(d)} is not a number`);
    }
    case 'bytesValue':
      throw bad('a bytesValue has no place in a wardwatch event');
    case 'arrayValue': {
      if (depthLeft <= 0) throw new Unconvertible('too-deep', 'values are nested deeper than any event is');
      if (!isObject(value.arrayValue)) throw bad('an arrayValue is not an object');
      const values = listAt(value.arrayValue, 'values', "an arrayValue's values");
      if (typeof values === 'string') throw bad(values);
      const out: unknown[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = converted(values[i], depthLeft - 1);
      return out;
    }
    case 'kvlistValue': {
      if (depthLeft <= 0) throw new Unconvertible('too-deep', 'values are nested deeper than any event is');
      if (!isObject(value.kvlistValue)) throw bad('a kvlistValue is not an object');
      const entries = listAt(value.kvlistValue, 'values', "a kvlistValue's values");
      if (typeof entries === 'string') throw bad(entries);
      const object: Record<string, unknown> = {};
      const keys = new Set<string>();
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        if (!isObject(entry) || typeof entry.key !== 'string') throw bad('a kvlistValue entry has no string key');
        const key = entry.key;
        if (keys.has(key)) throw bad(`the key "${key}" appears twice in one kvlistValue`);
        keys.add(key);
        let field: unknown;
        try {
          field = converted(entry.value ?? {}, depthLeft - 1);
        } catch (error) {
          if (error instanceof Unconvertible) throw new Unconvertible(error.reason, `"${key}": ${error.message}`);
          throw error;
        }
        if (field === null) continue;
        // A key named __proto__ is a field, never the object's prototype.
        if (key === '__proto__') Object.defineProperty(object, key, { value: field, enumerable: true, writable: true, configurable: true });
        else object[key] = field;
      }
      return object;
    }
  }
}

function bad(message: string): Unconvertible {
  return new Unconvertible('schema', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
