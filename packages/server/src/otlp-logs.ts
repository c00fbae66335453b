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

/** The log records of a request as items to judge, in request order; or why the request itself is unreadable. */
export function logRecordItems(request: unknown, limits: BodyLimits): IngestItem[] | { error: string } {
  if (!isObject(request)) return { error: 'the body is not an OTLP ExportLogsServiceRequest: expected a JSON object with "resourceLogs"' };
  const items: IngestItem[] = [];
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

function recordItem(index: number, path: string, record: unknown, limits: BodyLimits): IngestItem {
  const raw = JSON.stringify(record) ?? 'undefined';
  const refuse = (reason: RejectReason, message: string): IngestItem => ({ index, raw: raw.slice(0, limits.maxItemChars), refusal: { reason, message: `${path}: ${message}` } });
  if (raw.length > limits.maxItemChars) {
    return refuse('too-long', `${raw.length} characters, more than the ${limits.maxItemChars} a log record carrying an event may take`);
  }
  if (!isObject(record)) return refuse('schema', 'a log record must be an object');
  const body = record.body;
  if (!isObject(body)) return refuse('schema', `the log record has no body: ${WHAT_A_BODY_IS}`);
  if (typeof body.stringValue === 'string' && onlyValue(body, 'stringValue')) {
    const text = body.stringValue;
    if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) return refuse('too-deep', `the event in its body is nested more than ${limits.maxDepth} deep; an event is 3 deep (event, body, phases)`);
    try {
      return { index, raw, value: JSON.parse(text) };
    } catch (error) {
      return refuse('malformed-json', `its body's stringValue is not an event in JSON: ${(error as Error).message}`);
    }
  }
  if (isObject(body.kvlistValue) && onlyValue(body, 'kvlistValue')) {
    const event = fromAnyValue(body, limits.maxDepth);
    if (!event.ok) return refuse(event.reason, `in its body, ${event.message}`);
    return { index, raw, value: event.value };
  }
  return refuse('schema', `its body is ${describe(body)}: ${WHAT_A_BODY_IS}`);
}

const WHAT_A_BODY_IS = 'wardwatch takes each log record\'s body as one event, a kvlistValue of its fields or a stringValue of its JSON (docs/api.md, "POST /v1/logs")';

/** The AnyValue members (the protobuf oneof); other fields are unknown and ignored. */
const VALUE_KINDS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

function onlyValue(value: Record<string, unknown>, kind: (typeof VALUE_KINDS)[number]): boolean {
  return VALUE_KINDS.every((k) => k === kind || value[k] === undefined);
}

function describe(value: Record<string, unknown>): string {
  const kinds = VALUE_KINDS.filter((k) => value[k] !== undefined);
  if (kinds.length === 0) return 'empty';
  return `a ${kinds.join(' and a ')}`;
}

type Converted = { ok: true; value: unknown } | { ok: false; reason: RejectReason; message: string };

const INTEGER = /^-?\d+$/;
const SPECIAL_DOUBLES: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * An AnyValue as the JSON value it stands for: strings, booleans and numbers as themselves (an
 * intValue as a number: it must be a safe integer), an arrayValue as an array, a kvlistValue as an
 * object. An AnyValue with no value is null (a kvlist entry holding one is left out). Bytes have no
 * place in an event.
 */
export function fromAnyValue(value: unknown, depthLeft: number): Converted {
  if (!isObject(value)) return { ok: false, reason: 'schema', message: 'a value is not an AnyValue object' };
  const kinds = VALUE_KINDS.filter((k) => value[k] !== undefined);
  if (kinds.length > 1) return { ok: false, reason: 'schema', message: `an AnyValue holds more than one value (${kinds.join(', ')})` };
  switch (kinds[0]) {
    case undefined:
      return { ok: true, value: null };
    case 'stringValue':
      return typeof value.stringValue === 'string' ? { ok: true, value: value.stringValue } : bad('a stringValue is not a string');
    case 'boolValue':
      return typeof value.boolValue === 'boolean' ? { ok: true, value: value.boolValue } : bad('a boolValue is not true or false');
    case 'intValue': {
      const n = value.intValue;
      const parsed = typeof n === 'string' && INTEGER.test(n) ? Number(n) : typeof n === 'number' ? n : NaN;
      if (!Number.isSafeInteger(parsed)) return bad(`intValue ${JSON.stringify(n)} is not an integer wardwatch can hold exactly (up to 2^53)`);
      return { ok: true, value: parsed };
    }
    case 'doubleValue': {
      const d = value.doubleValue;
      if (typeof d === 'number') return { ok: true, value: d };
      if (typeof d === 'string' && d in SPECIAL_DOUBLES) return { ok: true, value: SPECIAL_DOUBLES[d] };
      return bad(`doubleValue ${JSON.stringify(d)} is not a number`);
    }
    case 'bytesValue':
      return bad('a bytesValue has no place in a wardwatch event');
    case 'arrayValue': {
      if (depthLeft <= 0) return { ok: false, reason: 'too-deep', message: 'values are nested deeper than any event is' };
      if (!isObject(value.arrayValue)) return bad('an arrayValue is not an object');
      const values = listAt(value.arrayValue, 'values', 'an arrayValue\'s values');
      if (typeof values === 'string') return bad(values);
      const out: unknown[] = [];
      for (const v of values) {
        const converted = fromAnyValue(v, depthLeft - 1);
        if (!converted.ok) return converted;
        out.push(converted.value);
      }
      return { ok: true, value: out };
    }
    case 'kvlistValue': {
      if (depthLeft <= 0) return { ok: false, reason: 'too-deep', message: 'values are nested deeper than any event is' };
      if (!isObject(value.kvlistValue)) return bad('a kvlistValue is not an object');
      const entries = listAt(value.kvlistValue, 'values', 'a kvlistValue\'s values');
      if (typeof entries === 'string') return bad(entries);
      const fields: Array<[string, unknown]> = [];
      const keys = new Set<string>();
      for (const entry of entries) {
        if (!isObject(entry) || typeof entry.key !== 'string') return bad('a kvlistValue entry has no string key');
        if (keys.has(entry.key)) return bad(`the key "${entry.key}" appears twice in one kvlistValue`);
        keys.add(entry.key);
        const converted = fromAnyValue(entry.value ?? {}, depthLeft - 1);
        if (!converted.ok) return { ...converted, message: `"${entry.key}": ${converted.message}` };
        if (converted.value !== null) fields.push([entry.key, converted.value]);
      }
      // fromEntries defines own properties: a key named __proto__ is a field, never the prototype.
      return { ok: true, value: Object.fromEntries(fields) };
    }
  }
}

function bad(message: string): Converted {
  return { ok: false, reason: 'schema', message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
