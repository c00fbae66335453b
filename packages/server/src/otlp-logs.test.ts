import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromAnyValue, logRecordItems } from './otlp-logs.ts';
import { DEFAULT_BODY_LIMITS } from './routes/ingest-body.ts';

const specExample = JSON.parse(readFileSync(new URL('../fixtures/otlp/spec-example-logs.json', import.meta.url), 'utf8')) as unknown;

const kv = (fields: Record<string, unknown>) => ({ kvlistValue: { values: Object.entries(fields).map(([key, value]) => ({ key, value })) } });
const request = (...bodies: unknown[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: bodies.map((body) => ({ timeUnixNano: '1764493200000000000', body })) }] }] });

describe('fromAnyValue: an OTLP AnyValue as the JSON value it stands for', () => {
  it.each<[string, unknown, unknown]>([
    ['a stringValue', { stringValue: 'epr' }, 'epr'],
    ['an empty stringValue', { stringValue: '' }, ''],
    ['a boolValue', { boolValue: false }, false],
    ['an intValue as a number', { intValue: 350 }, 350],
    ['an intValue as a decimal string (64-bit integers in OTLP JSON)', { intValue: '1764493200000' }, 1764493200000],
    ['a negative intValue string', { intValue: '-62' }, -62],
    ['a doubleValue', { doubleValue: 637.704 }, 637.704],
    ['a doubleValue of NaN, as proto3 JSON writes it', { doubleValue: 'NaN' }, NaN],
    ['an AnyValue with no value', {}, null],
    ['an unknown field beside a value (ignored, as OTLP requires)', { stringValue: 'x', futureField: 1 }, 'x'],
    ['an arrayValue', { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'two' }, {}] } }, [1, 'two', null]],
    ['an arrayValue without values', { arrayValue: {} }, []],
    ['a kvlistValue', kv({ app: { stringValue: 'epr' }, totalMs: { doubleValue: 350.5 } }), { app: 'epr', totalMs: 350.5 }],
    ['a kvlistValue entry with no value (left out)', kv({ app: { stringValue: 'epr' }, gone: {} }), { app: 'epr' }],
    ['nested kvlistValues', kv({ body: kv({ phases: kv({ shellMs: { intValue: '2800' } }) }) }), { body: { phases: { shellMs: 2800 } } }],
  ])('%s', (_name, value, expected) => {
    const converted = fromAnyValue(value, 8);
    expect(converted).toEqual({ ok: true, value: expected });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an intValue past 2^53', { intValue: '9007199254740993' }, 'schema', /not an integer wardwatch can hold exactly/],
    ['an intValue with a fraction', { intValue: 1.5 }, 'schema', /not an integer/],
    ['an intValue that is not digits', { intValue: '12ms' }, 'schema', /not an integer/],
    ['a doubleValue that is text', { doubleValue: 'fast' }, 'schema', /not a number/],
    ['a stringValue that is a number', { stringValue: 5 }, 'schema', /not a string/],
    ['two values at once', { stringValue: 'a', intValue: 1 }, 'schema', /more than one value \(stringValue, intValue\)/],
    ['a bytesValue', { bytesValue: 'AAEC' }, 'schema', /bytesValue has no place/],
    ['a repeated key', { kvlistValue: { values: [{ key: 'a', value: { intValue: 1 } }, { key: 'a', value: { intValue: 2 } }] } }, 'schema', /"a" appears twice/],
    ['an entry without a key', { kvlistValue: { values: [{ value: { intValue: 1 } }] } }, 'schema', /no string key/],
    ['values that are not a list', { kvlistValue: { values: { a: 1 } } }, 'schema', /values is not an array/],
    ['a kvlistValue that is text', { kvlistValue: 'a=1' }, 'schema', /kvlistValue is not an object/],
    ['nesting deeper than any event', kv({ a: kv({ b: kv({ c: kv({ d: {} }) }) }) }), 'too-deep', /nested deeper/],
  ])('refuses %s', (_name, value, reason, message) => {
    const converted = fromAnyValue(value, 3);
    expect(converted).toMatchObject({ ok: false, reason });
    expect(converted.ok ? '' : converted.message).toMatch(message);
  });

  it('makes a key named __proto__ a field, never the object\'s prototype', () => {
    // (Written out: an object literal's __proto__ key would set the literal's own prototype.)
    const converted = fromAnyValue({ kvlistValue: { values: [{ key: '__proto__', value: kv({ polluted: { boolValue: true } }) }] } }, 8);
    expect(converted.ok).toBe(true);
    const value = (converted as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('logRecordItems: each log record of a request an item to judge', () => {
  it('reads the specification\'s own example request, and refuses its record, whose body is plain text, on its own', () => {
    const items = logRecordItems(specExample, DEFAULT_BODY_LIMITS);
    expect(Array.isArray(items)).toBe(true);
    expect(items).toHaveLength(1);
    const [item] = items as Exclude<typeof items, { error: string }>;
    expect(item!.path).toBe('resourceLogs[0].scopeLogs[0].logRecords[0]');
    expect(item!.refusal).toEqual({ reason: 'malformed-json', message: expect.stringMatching(/^its body's stringValue is not an event in JSON/) });
    // The dead letter keeps the record as sent.
    expect(JSON.parse(item!.raw)).toMatchObject({ severityText: 'Information', body: { stringValue: 'Example log record' } });
  });

  it('takes an event from a kvlistValue body or a stringValue of its JSON, numbering records across resources and scopes', () => {
    const event = { v: 1, id: 'e1', seq: 1, kind: 'app' };
    const items = logRecordItems(
      {
        resourceLogs: [
          { scopeLogs: [{ logRecords: [{ body: kv({ v: { intValue: '1' }, id: { stringValue: 'e1' }, seq: { intValue: 1 }, kind: { stringValue: 'app' } }) }] }] },
          { scopeLogs: [{ logRecords: [] }, { logRecords: [{ body: { stringValue: JSON.stringify(event) } }, { body: { intValue: 3 } }] }] },
        ],
      },
      DEFAULT_BODY_LIMITS,
    );
    expect(items).toEqual([
      { index: 0, path: 'resourceLogs[0].scopeLogs[0].logRecords[0]', raw: expect.any(String), value: event },
      { index: 1, path: 'resourceLogs[1].scopeLogs[1].logRecords[0]', raw: expect.any(String), value: event },
      { index: 2, path: 'resourceLogs[1].scopeLogs[1].logRecords[1]', raw: expect.any(String), refusal: { reason: 'schema', message: expect.stringMatching(/^its body is a intValue: wardwatch takes each log record's body as one event/) } },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ['a record without a body', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: 'INFO' }] }] }] }, /has no body/],
    ['a record that is not an object', { resourceLogs: [{ scopeLogs: [{ logRecords: ['text'] }] }] }, /must be an object/],
    ['an event nested too deep in a stringValue', request({ stringValue: `${'['.repeat(20)}${']'.repeat(20)}` }), /nested more than 8 deep/],
  ])('refuses %s as an item', (_name, body, message) => {
    const items = logRecordItems(body, DEFAULT_BODY_LIMITS);
    expect(Array.isArray(items) && items[0]?.refusal?.message).toMatch(message);
  });

  it('refuses a record longer than any event on its own, keeping its start for the dead letter', () => {
    const items = logRecordItems(request({ stringValue: 'x'.repeat(70_000) }, { stringValue: '{}' }), DEFAULT_BODY_LIMITS);
    expect(Array.isArray(items) && items.map((i) => i.refusal?.reason)).toEqual(['too-long', undefined]);
    expect(Array.isArray(items) && items[0]!.raw.length).toBe(DEFAULT_BODY_LIMITS.maxItemChars);
  });

  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['resourceLogs null', { resourceLogs: null }],
    ['a resource with no scopes', { resourceLogs: [{ resource: {} }] }],
  ])('reads %s as no records (an empty request is a success)', (_name, body) => {
    expect(logRecordItems(body, DEFAULT_BODY_LIMITS)).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an array', [], /expected a JSON object with "resourceLogs"/],
    ['resourceLogs that is an object', { resourceLogs: {} }, /^resourceLogs is not an array/],
    ['a resourceLogs entry that is text', { resourceLogs: ['x'] }, /^resourceLogs\[0\] is not an object/],
    ['scopeLogs that is text', { resourceLogs: [{ scopeLogs: 'x' }] }, /^resourceLogs\[0\]\.scopeLogs is not an array/],
    ['logRecords that is a number', { resourceLogs: [{ scopeLogs: [{ logRecords: 3 }] }] }, /logRecords is not an array/],
  ])('refuses the whole request when its envelope is %s', (_name, body, message) => {
    const items = logRecordItems(body, DEFAULT_BODY_LIMITS);
    expect(items).toEqual({ error: expect.stringMatching(message) });
  });
});
