import { brotliCompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestResult, TelemetryEvent } from '@wardwatch/schema';
import { EstateRegister } from '../estate-register.ts';
import { IngestAdmission } from '../ingest-admission.ts';
import type { IngestGrant } from '../ingest-tokens.ts';
import { ingestRoutes, type IngestOptions, type RejectedInput } from './ingest.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const MIN = 60_000;

let seq = 0;
function event(ts: number, place: Partial<Pick<TelemetryEvent, 'trust' | 'site' | 'ward' | 'device'>> = {}): TelemetryEvent {
  seq++;
  return {
    v: 1, id: `route-test-${String(seq).padStart(6, '0')}`, seq, ts, trust: 'RXX', site: 'S1', ward: 'W1', device: 'S1-W1-D1',
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 350 }, ...place,
  } as TelemetryEvent;
}

function harness(options: Partial<IngestOptions> = {}) {
  const accepted: TelemetryEvent[] = [];
  const rejected: RejectedInput[] = [];
  const skews: number[] = [];
  let corrected = 0;
  const app = ingestRoutes({
    sink: {
      accept: async (events) => void accepted.push(...events),
      reject: async (items) => void rejected.push(...items),
    },
    clock: () => NOW,
    maxBodyBytes: 5 * 1024 * 1024,
    onSkew: (ms) => skews.push(ms),
    onTimeCorrected: (n) => (corrected += n),
    ...options,
  });
  const request = async (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) => {
    const response = await app.request('/', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', ...headers } });
    return { status: response.status, body: (await response.json()) as IngestResult & { error?: string }, headers: response.headers };
  };
  const post = (body: string, headers: Record<string, string> = {}) => request(body, headers);
  return { post, request, accepted, rejected, skews, corrected: () => corrected };
}

const ndjson = (...items: unknown[]) => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n');

describe('POST /api/ingest: fields that contradict each other', () => {
  it('refuses a check whose phases add up to more than its total as inconsistent, naming them, and keeps the rest', async () => {
    const h = harness();
    const good = event(NOW - 2000);
    const phasesPastTotal = { ...event(NOW - 1000), body: { app: 'epr', ok: true, status: 200, dnsMs: 4, tcpMs: 8, tlsMs: 25, ttfbMs: 900, totalMs: 350 } };
    const response = await h.post(ndjson(good, phasesPastTotal, event(NOW - 500)));
    expect(response.status).toBe(202);
    expect(response.body.rejections).toEqual([
      { index: 1, reason: 'inconsistent', message: "body: dnsMs + tcpMs + tlsMs + ttfbMs come to 937 ms, more than totalMs 350 ms: an application check's phases are parts of its total time" },
    ]);
    expect(h.accepted.map((e) => e.ts)).toEqual([NOW - 2000, NOW - 500]);
    // To the dead-letter topic as it was sent.
    expect(h.rejected.map((r) => [r.reason, JSON.parse(r.raw).body.ttfbMs])).toEqual([['inconsistent', 900]]);
  });
});

describe('POST /api/ingest: clock skew', () => {
  it('moves a batch sent 5 minutes ahead onto the server\'s clock and judges it there', async () => {
    const h = harness();
    // Device clock 5 min ahead: its "now + 8 min" is the server's now + 3 min (inside the 5 min allowed),
    // its "now + 11 min" the server's now + 6 min (beyond it).
    const sent = [event(NOW + 5 * MIN - 30_000), event(NOW + 8 * MIN), event(NOW + 11 * MIN)];
    const response = await h.post(ndjson(...sent), { 'Wardwatch-Sent-At': String(NOW + 5 * MIN) });
    expect(response.status).toBe(202);
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([[2, 'future-timestamp']]);
    expect(h.accepted.map((e) => [e.ts, e.skewMs])).toEqual([
      [NOW - 30_000, 5 * MIN],
      [NOW + 3 * MIN, 5 * MIN],
    ]);
    expect(h.skews).toEqual([5 * MIN]);
    expect(h.corrected()).toBe(2);
    // The dead letter keeps what the device sent, not the corrected time.
    expect(JSON.parse(h.rejected[0]!.raw).ts).toBe(NOW + 11 * MIN);
  });

  it('refuses an event older than any window the processors can still count (7 days), and keeps the rest', async () => {
    const h = harness();
    const DAY = 86_400_000;
    const response = await h.post(ndjson(event(NOW - 30 * DAY), event(NOW - 6 * DAY), event(NOW - 1000)));
    expect(response.status).toBe(202);
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([[0, 'too-late']]);
    expect(response.body.rejections[0]!.message).toMatch(/more than 7 days behind the receiver's clock .*too old to be counted/);
    expect(h.accepted.map((e) => e.ts)).toEqual([NOW - 6 * DAY, NOW - 1000]);
    expect(h.rejected.map((r) => r.reason)).toEqual(['too-late']);
  });

  it('moves a batch sent 5 minutes behind forward', async () => {
    const h = harness();
    const response = await h.post(ndjson(event(NOW - 6 * MIN)), { 'wardwatch-sent-at': String(NOW - 5 * MIN) });
    expect(response.status).toBe(202);
    expect(h.accepted.map((e) => [e.ts, e.skewMs])).toEqual([[NOW - MIN, -5 * MIN]]);
  });

  it('records latency-sized skew without moving the events', async () => {
    const h = harness();
    await h.post(ndjson(event(NOW - 1000)), { 'Wardwatch-Sent-At': String(NOW - 120) });
    expect(h.accepted.map((e) => [e.ts, e.skewMs])).toEqual([[NOW - 1000, 0]]);
    expect(h.skews).toEqual([-120]);
    expect(h.corrected()).toBe(0);
  });

  it('overwrites a skew the device claims, with or without the header', async () => {
    const h = harness();
    const claimed = { ...event(NOW - 1000), ts: NOW + 60 * MIN, skewMs: 60 * MIN };
    const response = await h.post(ndjson(claimed, { ...event(NOW - 2000), skewMs: -MIN }));
    expect(response.body.rejections.map((r) => r.reason)).toEqual(['future-timestamp']);
    // Without the header the clock was not measured: no skew at all, not a claimed one, not 0 ("in step").
    expect(h.accepted.map((e) => [e.ts, e.skewMs])).toEqual([[NOW - 2000, undefined]]);
    expect(h.accepted[0]).not.toHaveProperty('skewMs');
    expect(h.skews).toEqual([]);
  });

  it.each([
    ['not digits', 'soon', /Wardwatch-Sent-At must be the time the batch was sent/],
    ['a clock 30 days out', String(NOW - 30 * 24 * 60 * MIN), /days from the receiver's clock/],
  ])('answers 400 to a header %s, before reading the body', async (_name, header, message) => {
    const h = harness();
    const response = await h.post(ndjson(event(NOW)), { 'Wardwatch-Sent-At': header });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(message);
    expect(h.accepted).toEqual([]);
  });
});

describe('POST /api/ingest: hostile values are 4xx, and cost no neighbour', () => {
  const deepJson = '['.repeat(10_000) + ']'.repeat(10_000);
  it.each([
    ['ts beyond what Date holds', JSON.stringify({ ...event(NOW), ts: 8.64e15 + 1 }), 'schema', /^ts: .*before 2100-01-01/],
    ['ts at the top of the range', JSON.stringify({ ...event(NOW), ts: Date.UTC(2100, 0, 1) }), 'schema', /^ts: /],
    ['10,000-deep JSON', deepJson, 'too-deep', /nested more than 8 deep/],
    ['10,000-deep object inside an event', JSON.stringify(event(NOW)).replace('"ok":true', `"ok":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`), 'too-deep', /nested/],
    ['a 1 MB line', JSON.stringify({ ...event(NOW), id: 'x'.repeat(1024 * 1024) }), 'too-long', /more than the 65536/],
  ])('%s: refused with a reason, the events beside it accepted (NDJSON)', async (_name, bad, reason, message) => {
    const h = harness();
    const response = await h.post(ndjson(event(NOW - 1000), bad, event(NOW - 2000)));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(response.body.rejections).toEqual([{ index: 1, reason, message: expect.stringMatching(message) }]);
    expect(h.rejected.map((r) => r.reason)).toEqual([reason]);
    expect(h.rejected[0]!.raw.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('refuses a 10,000-deep element of a JSON array on its own', async () => {
    const h = harness();
    const body = `[${JSON.stringify(event(NOW - 1000))},${deepJson},${JSON.stringify({ ...event(NOW), ts: 9e15 })},${JSON.stringify(event(NOW - 2000))}]`;
    const response = await h.post(body, { 'content-type': 'application/json' });
    expect(response.status).toBe(202);
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'too-deep'], [2, 'schema']]);
    expect(h.accepted).toHaveLength(2);
  });

  it('answers 400, not 500, when nothing valid is left', async () => {
    const h = harness();
    const response = await h.post(ndjson(JSON.stringify({ ...event(NOW), ts: 8.64e15 + 1 }), deepJson));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'no valid event in the body', accepted: 0, rejected: 2 });
  });

  it('answers 503 with Retry-After when the telemetry topic refuses the batch', async () => {
    const h = harness({
      sink: {
        accept: async () => {
          throw new Error('broker not available');
        },
        reject: async () => {},
      },
      onError: () => {},
    });
    const response = await h.post(ndjson(event(NOW)));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body.error).toMatch(/telemetry topic refused the batch \(broker not available\); nothing of this batch was kept/);
  });

  it('still accepts the good events when the dead-letter topic fails', async () => {
    const errors: unknown[] = [];
    const accepted: TelemetryEvent[] = [];
    const app = ingestRoutes({
      sink: {
        accept: async (events) => void accepted.push(...events),
        reject: async () => {
          throw new Error('dead-letter topic full');
        },
      },
      clock: () => NOW,
      maxBodyBytes: 1024 * 1024,
      onError: (e) => errors.push(e),
    });
    const response = await app.request('/', { method: 'POST', body: ndjson(event(NOW), '{"broken') });
    expect(response.status).toBe(202);
    expect(accepted).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});

describe('POST /api/ingest: Content-Encoding', () => {
  const send = async (h: ReturnType<typeof harness>, body: Buffer | string, encoding?: string) => {
    return h.request(typeof body === 'string' ? body : new Uint8Array(body), encoding ? { 'content-encoding': encoding } : {});
  };

  it('takes a gzip body, as POST /v1/logs does', async () => {
    const h = harness();
    const sent = [event(NOW - 1000), event(NOW - 500)];
    const response = await send(h, gzipSync(ndjson(...sent)), 'gzip');
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 2, rejected: 0 });
    expect(h.accepted.map((e) => e.id)).toEqual(sent.map((e) => e.id));
  });

  it('refuses a body its Content-Encoding misdescribes, or an encoding it does not take, keeping nothing', async () => {
    const h = harness();
    const plain = await send(h, ndjson(event(NOW - 1000)), 'gzip');
    expect(plain.status).toBe(400);
    expect(plain.body.error).toMatch(/^the body could not be read: not a gzip stream \(.+\), though its Content-Encoding says gzip$/);
    const brotli = await send(h, brotliCompressSync(ndjson(event(NOW - 1000))), 'br');
    expect(brotli.status).toBe(415);
    expect(brotli.body.error).toBe('Content-Encoding br is not taken here: send gzip or none');
    expect(h.accepted).toEqual([]);
    expect(h.rejected).toEqual([]);
  });

  it('limits a gzip body once inflated too: 413', async () => {
    const h = harness({ maxBodyBytes: 64 * 1024 });
    // 1 MB of one event repeated inflates from a few kB.
    const line = JSON.stringify(event(NOW - 1000));
    const bomb = gzipSync(Array.from({ length: Math.ceil(1_000_000 / line.length) }, () => line).join('\n'));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await send(h, bomb, 'gzip');
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('the body is larger than 65536 bytes (as sent, or once inflated): split it into smaller batches');
    expect(h.accepted).toEqual([]);
  });
});

describe('POST /api/ingest: where an event claims to come from', () => {
  const tokens = new Map<string, IngestGrant>([
    ['dev', { device: 'S1-W1-D1', site: 'S1', trust: 'RXX' }],
    ['old', { device: 'S1-W1-D1' }],
    ['site', { site: 'S1', trust: 'RXX' }],
  ]);
  const auth = { authenticate: async (token: string) => tokens.get(token) };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('a device token refuses its device relabelled to another site or trust, one event at a time', async () => {
    const h = harness({ auth });
    const response = await h.post(
      ndjson(event(NOW), event(NOW, { site: 'S2', ward: 'W9' }), event(NOW, { trust: 'RYY' }), event(NOW, { device: 'S1-W1-D2' })),
      as('dev'),
    );
    expect(response.status).toBe(202);
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'site-mismatch'], [2, 'trust-mismatch'], [3, 'device-mismatch']]);
    expect(response.body.rejections[0]!.message).toMatch(/^site: device "S1-W1-D1" claims site "S2", but this token is for device "S1-W1-D1" at site "S1"/);
  });

  it('a device token from an old file (no site) binds the device only', async () => {
    const h = harness({ auth });
    const response = await h.post(ndjson(event(NOW, { site: 'S2' }), event(NOW, { device: 'X' })), as('old'));
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'device-mismatch']]);
  });

  it('a site token accepts any device of its site, with a register only the known ones', async () => {
    const open = harness({ auth });
    const first = await open.post(ndjson(event(NOW, { device: 'S1-W2-D9', ward: 'W2' }), event(NOW, { site: 'S2', device: 'S2-W1-D1' })), as('site'));
    expect(first.body.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'site-mismatch']]);

    const register = EstateRegister.of([{ id: 'S1', trust: 'RXX' }, { id: 'S2', trust: 'RXX' }], [{ id: 'S1-W1-D1', site: 'S1' }, { id: 'S2-W1-D1', site: 'S2' }]);
    const known = harness({ auth, admission: new IngestAdmission({ register }) });
    const second = await known.post(ndjson(event(NOW), event(NOW, { device: 'S1-W2-D9', ward: 'W2' })), as('site'));
    expect(second.body.rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'unknown-device']]);
  });

  it('with a register, open ingest refuses unknown sites and devices, and devices at the wrong site', async () => {
    const register = EstateRegister.of([{ id: 'S1', trust: 'RXX' }, { id: 'S2', trust: 'RXX' }], [{ id: 'S1-W1-D1', site: 'S1' }, { id: 'S2-W1-D1', site: 'S2' }]);
    const h = harness({ admission: new IngestAdmission({ register }) });
    const response = await h.post(
      ndjson(event(NOW), event(NOW, { site: '__proto__' }), event(NOW, { device: 'S1-W1-D77' }), event(NOW, { device: 'S2-W1-D1' }), event(NOW, { trust: 'RYY' })),
    );
    expect(response.status).toBe(202);
    expect(response.body.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'unknown-site'],
      [2, 'unknown-device'],
      [3, 'site-mismatch'],
      [4, 'trust-mismatch'],
    ]);
    expect(h.rejected.map((r) => r.reason)).toEqual(['unknown-site', 'unknown-device', 'site-mismatch', 'trust-mismatch']);
  });

  it('caps the new sites, wards and devices each token brings per hour', async () => {
    let now = NOW;
    const h = harness({ auth, clock: () => now, admission: new IngestAdmission({ scopeCapPerHour: 5 }) });
    // S1/W1/S1-W1-D1 are 3 new scopes; S1/W2 + S1-W2-D1 2 more: the cap of 5 is reached.
    const fill = await h.post(ndjson(event(now), event(now, { ward: 'W2', device: 'S1-W2-D1' })), as('site'));
    expect(fill.body.rejected).toBe(0);
    const past = await h.post(ndjson(event(now, { ward: 'W3', device: 'S1-W3-D1' }), event(now, { ward: 'W2', device: 'S1-W2-D1' })), as('site'));
    expect(past.body.rejections).toEqual([{ index: 0, reason: 'scope-cap', message: expect.stringMatching(/^the token for site S1 has brought 5 new sites, wards and devices this hour, the most allowed is 5/) }]);
    // Another token has a cap of its own; known scopes never count.
    const other = await h.post(ndjson(event(now)), as('dev'));
    expect(other.body.rejected).toBe(0);
    now += 60 * MIN;
    const nextHour = await h.post(ndjson(event(now, { ward: 'W3', device: 'S1-W3-D1' })), as('site'));
    expect(nextHour.body.rejected).toBe(0);
  });
});

describe('POST /api/ingest: no body or header answers 5xx (property-based)', () => {
  const good = JSON.stringify(event(NOW - 1000));
  // Hostile replacements for a field: absurd numbers, wrong types, deep and long values, odd keys.
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom(8.64e15 + 1, -8.64e15 - 1, 2 ** 53 - 1, 2 ** 53 + 2, 1e308, -0, Date.UTC(2100, 0, 1), 946_684_799_999),
    fc.integer({ min: 1, max: 20_000 }).map((n) => JSON.parse('['.repeat(Math.min(n, 500)) + ']'.repeat(Math.min(n, 500)))),
    fc.string({ maxLength: 300 }),
  );
  const mutated = fc.tuple(fc.constantFrom('ts', 'seq', 'site', 'device', 'trust', 'ward', 'kind', 'body', 'skewMs', 'id', '__proto__', 'constructor'), hostile).map(
    ([field, value]) => JSON.stringify({ ...JSON.parse(good), [field]: value }),
  );
  const item = fc.oneof(mutated, fc.constant(good), fc.string({ unit: 'binary', maxLength: 100 }), fc.integer({ min: 1, max: 12_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

  it('answers 202, 400 or 413 to any batch of mutated events, with any Wardwatch-Sent-At', async () => {
    const h = harness({ maxBodyBytes: 256 * 1024 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.option(fc.oneof(fc.integer({ min: -1e16, max: 1e16 }).map(String), fc.string({ maxLength: 20 }).filter((v) => !/[\r\n\0]/.test(v))), { nil: undefined }),
        async (items, asArray, sentAt) => {
          const body = asArray ? `[${items.join(',')}]` : items.join('\n');
          const headers: Record<string, string> = sentAt === undefined ? {} : { 'Wardwatch-Sent-At': sentAt };
          const response = await h.post(body, headers).catch(() => ({ status: 0 }));
          expect([202, 400, 413]).toContain(response.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
