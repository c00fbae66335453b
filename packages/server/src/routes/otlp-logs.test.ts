import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import type { IngestAuthenticator, IngestGrant } from '../ingest-tokens.ts';
import type { RejectedInput } from './ingest-batch.ts';
import type { IngestOptions } from './ingest.ts';
import { sdkBody, sdkLogsRequest } from '../otlp-logs.fixture.ts';
import { otlpLogsRoutes } from './otlp-logs.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const MIN = 60_000;

let seq = 0;
function event(ts: number, overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  seq++;
  return {
    v: 1, id: `otlp-route-${String(seq).padStart(6, '0')}`, seq, ts, trust: 'RXX', site: 'S1', ward: 'W1', device: 'S1-W1-D1',
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 350 }, ...overrides,
  } as TelemetryEvent;
}

/** An ExportLogsServiceRequest whose records carry `bodies` (events go as a stringValue of their JSON). */
function logsRequest(...bodies: unknown[]): string {
  const records = bodies.map((b) => ({ timeUnixNano: String(NOW * 1e6), severityNumber: 9, body: isEvent(b) ? { stringValue: JSON.stringify(b) } : b }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'wardwatch-agent' } }] }, scopeLogs: [{ scope: { name: 'test' }, logRecords: records }] }] });
}
const isEvent = (b: unknown): b is TelemetryEvent => typeof b === 'object' && b !== null && 'kind' in b;

function harness(options: Partial<IngestOptions> = {}) {
  const accepted: TelemetryEvent[] = [];
  const rejected: RejectedInput[] = [];
  const app = otlpLogsRoutes({
    sink: { accept: async (events) => void accepted.push(...events), reject: async (items) => void rejected.push(...items) },
    clock: () => NOW,
    maxBodyBytes: 1024 * 1024,
    ...options,
  });
  const post = async (body: string | Uint8Array, headers: Record<string, string> = {}) => {
    // (A copy: a Uint8Array over a plain ArrayBuffer is what fetch's BodyInit takes.)
    const response = await app.request('/', { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> & { message?: string; partialSuccess?: { rejectedLogRecords: string; errorMessage: string } }, headers: response.headers };
  };
  return { post, accepted, rejected };
}

describe('POST /v1/logs (OTLP/HTTP JSON)', () => {
  it('answers 200 with an empty ExportLogsServiceResponse when every record is an event, and passes them on', async () => {
    const h = harness();
    const sent = [event(NOW - MIN), event(NOW - 2 * MIN, { kind: 'wifi', body: { connected: true, signalDbm: -61, bssid: '3c:a8:2a:00:00:01' } } as Partial<TelemetryEvent>)];
    // As JSON text in each body, and as the OpenTelemetry SDK encodes the event object (a kvlist).
    for (const request of [logsRequest(...sent), await sdkLogsRequest(sent)]) {
      const response = await h.post(request);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.json).toEqual({});
    }
    // As POST /api/ingest passes them: stamped with the batch's skew (none measured here).
    // Sent without Wardwatch-Sent-At: the clock not measured, so no skew stamped.
    expect(h.accepted).toEqual([...sent, ...sent]);
  });

  it('answers a partial success naming what it refused, keeps the good records, and dead-letters the others with their reason', async () => {
    const h = harness();
    const good = event(NOW - MIN);
    const response = await h.post(logsRequest({ stringValue: 'user logged on' }, good, { ...event(NOW + 60 * MIN) }, {}));
    expect(response.status).toBe(200);
    expect(response.json.partialSuccess?.rejectedLogRecords).toBe('3');
    expect(response.json.partialSuccess?.errorMessage).toMatch(/^3 of 4 log records refused, 1 taken\. malformed-json: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]: its body's stringValue is not an event/);
    // A refusal by the schema's time rule, after decoding, names its record's place too.
    expect(response.json.partialSuccess?.errorMessage).toMatch(/future-timestamp: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[2\]: ts 2026-11-30T10:00:00.000Z is more than 300 s ahead/);
    expect(h.accepted).toEqual([good]);
    expect(h.rejected.map((r) => r.reason)).toEqual(['malformed-json', 'future-timestamp', 'schema']);
    expect(JSON.parse(h.rejected[0]!.raw)).toMatchObject({ body: { stringValue: 'user logged on' } });
  });

  it('names at most five refusals in the message, and counts them all', async () => {
    const h = harness();
    const response = await h.post(logsRequest(...Array.from({ length: 8 }, () => ({ boolValue: true }))));
    expect(response.json.partialSuccess?.rejectedLogRecords).toBe('8');
    expect(response.json.partialSuccess?.errorMessage.match(/schema: /g)).toHaveLength(5);
    expect(response.json.partialSuccess?.errorMessage).toMatch(/and 3 more \(each is on the dead-letter topic with its reason\)$/);
    expect(h.rejected).toHaveLength(8);
  });

  it('answers 200 with nothing to do to an empty request', async () => {
    const h = harness();
    expect((await h.post('{}')).json).toEqual({});
    expect((await h.post(JSON.stringify({ resourceLogs: [] }))).status).toBe(200);
  });

  it('takes a gzip body, as the Collector sends by default', async () => {
    const h = harness();
    const response = await h.post(gzipSync(logsRequest(event(NOW - MIN))), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(h.accepted).toHaveLength(1);
  });

  it('answers 413 to a gzip body that inflates past the limit, though small as sent', async () => {
    const h = harness();
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await h.post(bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ code: 8, message: expect.stringMatching(/larger than 1048576 bytes \(as sent, or once inflated\)/) });
  });

  it.each<[string, string | Uint8Array, Record<string, string>, number, RegExp]>([
    ['protobuf', new Uint8Array([0x0a, 0x00]), { 'content-type': 'application/x-protobuf' }, 415, /takes OTLP\/HTTP JSON.*not application\/x-protobuf: set the exporter to http\/json/],
    ['no content type', '{}', { 'content-type': '' }, 415, /not a body without a Content-Type/],
    ['a Content-Encoding other than gzip', '{}', { 'content-encoding': 'br' }, 415, /Content-Encoding br is not taken here/],
    ['a body that claims gzip and is not', '{}', { 'content-encoding': 'gzip' }, 400, /not a gzip stream/],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), {}, 400, /could not be read/],
    ['JSON that does not parse', '{"resourceLogs": [', {}, 400, /not valid JSON/],
    ['an envelope of the wrong shape', JSON.stringify({ resourceLogs: [{ scopeLogs: 'none' }] }), {}, 400, /resourceLogs\[0\]\.scopeLogs is not an array/],
    ['a Wardwatch-Sent-At that is no time', logsRequest(), { 'wardwatch-sent-at': 'soon' }, 400, /Wardwatch-Sent-At must be/],
  ])('answers a Status with a 4xx to %s, keeping nothing', async (_name, body, headers, status, message) => {
    const h = harness();
    const response = await h.post(body, headers);
    expect(response.status).toBe(status);
    expect(response.json.message).toMatch(message);
    expect(typeof response.json.code).toBe('number');
    expect(h.accepted).toEqual([]);
  });

  it('answers 413 to a body over the limit as sent', async () => {
    const h = harness({ maxBodyBytes: 1000 });
    const response = await h.post(logsRequest(...Array.from({ length: 10 }, () => event(NOW - MIN))));
    expect(response.status).toBe(413);
  });

  it('moves events onto the server\'s clock by the Wardwatch-Sent-At header, as POST /api/ingest does', async () => {
    const h = harness();
    const response = await h.post(logsRequest(event(NOW + 4 * MIN)), { 'Wardwatch-Sent-At': String(NOW + 5 * MIN) });
    expect(response.status).toBe(200);
    expect(h.accepted.map((e) => [e.ts, e.skewMs])).toEqual([[NOW - MIN, 5 * MIN]]);
  });

  it('answers 503 with Retry-After when the telemetry topic refuses the batch (a sender retries that)', async () => {
    const h = harness({ sink: { accept: async () => Promise.reject(new Error('broker not available')), reject: async () => {} } });
    const response = await h.post(logsRequest(event(NOW - MIN)));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.json).toMatchObject({ code: 14, message: expect.stringMatching(/broker not available.*send it again/) });
  });

  describe('with device tokens', () => {
    const grant: IngestGrant = { device: 'S1-W1-D1', site: 'S1', trust: 'RXX' };
    const auth: IngestAuthenticator = { authenticate: async (token) => (token === 'good-token' ? grant : undefined) };

    it('answers 401 with a Status and a challenge without a token, before reading the body', async () => {
      const h = harness({ auth });
      const response = await h.post(logsRequest(event(NOW - MIN)));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="wardwatch ingest"/);
      expect(response.json).toMatchObject({ code: 16, message: expect.stringMatching(/needs a device token/) });
      expect(h.accepted).toEqual([]);
    });

    it('takes the device\'s own events with its token, and refuses another device\'s', async () => {
      const h = harness({ auth });
      const response = await h.post(logsRequest(event(NOW - MIN), event(NOW - MIN, { device: 'S1-W1-D9' })), { authorization: 'Bearer good-token' });
      expect(response.status).toBe(200);
      expect(response.json.partialSuccess?.errorMessage).toMatch(/device-mismatch/);
      expect(h.accepted.map((e) => e.device)).toEqual(['S1-W1-D1']);
    });
  });
});

describe('POST /v1/logs: no body answers 5xx, and every record is either taken or refused (property-based)', () => {
  const good = event(NOW - 1000);
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom(8.64e15 + 1, 2 ** 53 + 2, 1e308, -0, Date.UTC(2100, 0, 1), '9007199254740993'),
    fc.string({ maxLength: 200 }),
  );
  const mutatedEvent = fc
    .tuple(fc.constantFrom('ts', 'seq', 'site', 'device', 'kind', 'body', 'id', '__proto__', 'constructor'), hostile)
    .map(([field, value]) => ({ ...good, [field]: value }));
  // A record's body: the event, a mutated event or any value as the OpenTelemetry SDK encodes it (a
  // kvlist, mostly), the event or a mutated one as JSON text, or a body no SDK would send. The SDK's
  // encoding is asynchronous: a body to encode is drawn as { sdk: value } and encoded in the property.
  const body = fc.oneof(
    fc.constant({ sdk: good }),
    fc.constant({ stringValue: JSON.stringify(good) }),
    mutatedEvent.map((e) => ({ sdk: e })),
    mutatedEvent.map((e) => ({ stringValue: JSON.stringify(e) })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ sdk: v })),
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ intValue: hostile }),
  );
  const record = fc.oneof({ weight: 6, arbitrary: body.map((b) => ({ timeUnixNano: '1', body: b })) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  const encoded = async (records: unknown[]) =>
    Promise.all(
      records.map(async (r) => {
        const b = (r as { body?: unknown } | null)?.body;
        return typeof b === 'object' && b !== null && 'sdk' in b ? { ...(r as object), body: await sdkBody((b as { sdk: unknown }).sdk) } : r;
      }),
    );

  it('answers 200 with every record counted once, or 400 for an envelope it cannot read', async () => {
    const h = harness({ maxBodyBytes: 256 * 1024 });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 6 }), fc.option(fc.jsonValue({ maxDepth: 2 }), { freq: 5, nil: undefined }), async (drawn, brokenEnvelope) => {
        const records = await encoded(drawn);
        const request = brokenEnvelope === undefined ? { resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] } : { resourceLogs: [{ scopeLogs: brokenEnvelope }] };
        const [acceptedBefore, rejectedBefore] = [h.accepted.length, h.rejected.length];
        const response = await h.post(JSON.stringify(request));
        expect([200, 400]).toContain(response.status);
        const taken = h.accepted.length - acceptedBefore;
        const deadLettered = h.rejected.length - rejectedBefore;
        if (response.status === 400) {
          expect([taken, deadLettered]).toEqual([0, 0]);
          return;
        }
        // What the answer says was refused is what went to the dead-letter path…
        expect(deadLettered).toBe(Number(response.json.partialSuccess?.rejectedLogRecords ?? 0));
        // …and every record of the request is either taken or refused, once.
        if (brokenEnvelope === undefined) expect(taken + deadLettered).toBe(records.length);
      }),
      { numRuns: 300 },
    );
  });
});
