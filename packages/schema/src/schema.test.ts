import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeEvent, EVENT_MAX_AGE_MS, isTelemetryEvent, TelemetryEvent, telemetryEventJsonSchema } from './index.ts';

const now = Date.UTC(2026, 10, 24, 9, 0, 0);
const good: TelemetryEvent = {
  v: 1, id: 'evt-00000001', seq: 1, ts: now - 1000, trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1',
  kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 420, dnsMs: 3, tcpMs: 10, tlsMs: 30, ttfbMs: 300 },
};
const line = (e: unknown) => JSON.stringify(e);

describe('decodeEvent', () => {
  it('accepts a valid event and returns it typed', () => {
    const r = decodeEvent(line(good), { now });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.kind === 'app' && r.event.body.totalMs).toBe(420);
  });

  it.each([
    ['malformed JSON', '{"v":1,', 'malformed-json', /not valid JSON/],
    ['not an object', '[1,2]', 'schema', /must be a JSON object/],
    ['unknown kind', line({ ...good, kind: 'mood' }), 'unknown-kind', /kind must be one of/],
    ['missing kind', line({ ...good, kind: undefined }), 'unknown-kind', /got nothing/],
    ['wrong type', line({ ...good, seq: 'one' }), 'schema', /^seq:/],
    ['missing device', line({ ...good, device: undefined }), 'schema', /^device:/],
    ['negative duration', line({ ...good, body: { ...good.body, totalMs: -5 } }), 'schema', /^body\.totalMs:/],
    ['unknown field', line({ ...good, patient: 'x' }), 'schema', /patient/],
    ['user name instead of pseudonym', line({ ...good, kind: 'logon', body: { user: 'jsmith', totalMs: 1, ok: true } }), 'schema', /pseudonym/],
    ['far-future timestamp', line({ ...good, ts: now + 3_600_000 }), 'future-timestamp', /ahead of the receiver's clock/],
    // Beyond what Date can hold: once a 500 "Invalid time value" for the whole batch.
    ['ts past Date\'s range', line({ ...good, ts: 8.64e15 + 1 }), 'schema', /^ts: must be epoch milliseconds before 2100-01-01/],
    ['ts at the top of the range', line({ ...good, ts: Date.UTC(2100, 0, 1) }), 'schema', /^ts: .*before 2100-01-01/],
    ['ts in seconds, not ms', line({ ...good, ts: Math.floor(now / 1000) }), 'schema', /^ts: must be epoch milliseconds from 2000-01-01/],
    ['skew beyond a week', line({ ...good, skewMs: 7 * 86_400_000 + 1 }), 'schema', /^skewMs:/],
    ['fractional skew', line({ ...good, skewMs: 1.5 }), 'schema', /^skewMs:/],
    ['an upper-case BSSID', line({ ...good, kind: 'wifi', body: { connected: true, bssid: '3C:A8:2A:10:00:9A', signalDbm: -60 } }), 'schema', /^body\.bssid: must be a lower-case BSSID like 3c:a8:2a:10:00:9a/],
    ['older than the correction horizon, to a receiver that says so', line({ ...good, ts: now - 8 * 86_400_000 }), 'too-late', /more than 7 days behind the receiver's clock/],
  ])('rejects %s with a reason', (_name, input, reason, message) => {
    const r = decodeEvent(input, { now, maxAgeMs: EVENT_MAX_AGE_MS });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message).toMatch(message);
    }
  });

  it('accepts the edges of the time range and a measured skew', () => {
    const far = { now: Date.UTC(2200, 0, 1) };
    expect(decodeEvent(line({ ...good, ts: Date.UTC(2000, 0, 1) }), { now }).ok).toBe(true);
    expect(decodeEvent(line({ ...good, ts: Date.UTC(2100, 0, 1) - 1 }), far).ok).toBe(true);
    expect(decodeEvent(line({ ...good, skewMs: -300_000 }), { now }).ok).toBe(true);
  });

  it('decodes bytes as well as strings', () => {
    expect(decodeEvent(new TextEncoder().encode(line(good)), { now }).ok).toBe(true);
  });
});

describe('the compiled JSON Schema and the zod schema agree', () => {
  const variants: Array<[string, unknown]> = [
    ['valid app', good],
    ['valid logon', { ...good, kind: 'logon', body: { totalMs: 23_700, ok: true, phases: { profileMs: 4000, groupPolicyMs: 9000 } } }],
    ['valid wifi', { ...good, kind: 'wifi', body: { connected: true, ssid: 'NHS-Staff', bssid: '3c:a8:2a:10:00:9a', signalDbm: -61, linkMbps: 144, channel: 36 } }],
    ['valid health', { ...good, kind: 'health', body: { cpuPct: 12, memPct: 40, diskFreePct: 55, uptimeS: 3600 } }],
    ['valid net', { ...good, kind: 'net', body: { target: 'gateway', rttMs: 2.5, lossPct: 0 } }],
    ['app body on a logon', { ...good, kind: 'logon' }],
    ['extra body field', { ...good, body: { ...good.body, windowTitle: 'Patient X' } }],
    ['bad ap', { ...good, ap: '3C-A8-2A-10-00-9A' }],
    ['fractional seq', { ...good, seq: 1.5 }],
    ['v2', { ...good, v: 2 }],
    ['bad error enum', { ...good, body: { ...good.body, ok: false, error: 'gremlins' } }],
    ['identifier with space', { ...good, ward: 'Ward 1' }],
    ['first ms of 2000', { ...good, ts: Date.UTC(2000, 0, 1) }],
    ['last ms of 2099', { ...good, ts: Date.UTC(2100, 0, 1) - 1 }],
    ['first ms of 2100', { ...good, ts: Date.UTC(2100, 0, 1) }],
    ['last ms of 1999', { ...good, ts: Date.UTC(2000, 0, 1) - 1 }],
    ['skew a week behind', { ...good, skewMs: -7 * 86_400_000 }],
    ['skew past a week ahead', { ...good, skewMs: 7 * 86_400_000 + 1 }],
    // String lengths are counted as zod counts them, in code points (an emoji is one, though two
    // UTF-16 units): the compiled validator must not count .length instead (ajv's unicode: false).
    ['id of 40 emoji (40 code points, 80 UTF-16 units)', { ...good, id: '🏥'.repeat(40) }],
    ['id of 4 emoji (4 code points, 8 UTF-16 units)', { ...good, id: '🏥'.repeat(4) }],
  ];
  it.each(variants)('%s', (_name, value) => {
    expect(isTelemetryEvent(value)).toBe(TelemetryEvent.safeParse(value).success);
  });
});

describe('published JSON Schema', () => {
  it('docs/telemetry-event.v1.schema.json matches the zod definition (run npm run schema:export)', () => {
    const published = JSON.parse(readFileSync(new URL('../../../docs/telemetry-event.v1.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(telemetryEventJsonSchema());
  });
});
