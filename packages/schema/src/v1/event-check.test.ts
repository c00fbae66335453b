import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPlainlyValidEvent } from './event-check.ts';
import { isTelemetryEvent } from './json-schema.ts';
import { TelemetryEvent } from './event.ts';

const envelope = {
  v: 1, id: 'RXX08-W03-D04-28728172800002', seq: 28728172800002, ts: 1795510800000, trust: 'RXX', site: 'RXX08', ward: 'W03',
  device: 'RXX08-W03-D04', ap: '3c:a8:2a:00:00:92', buffered: false, skewMs: -1200,
};
// Every field of every kind, so each one's check is exercised.
const VALID: Array<Record<string, unknown>> = [
  { ...envelope, kind: 'app', body: { app: 'epr', ok: true, status: 200, error: 'timeout', dnsMs: 6.2, tcpMs: 8.9, tlsMs: 23.5, ttfbMs: 211.3, totalMs: 288.4, source: 'real' } },
  { ...envelope, kind: 'net', body: { target: 'gateway', rttMs: 1.8, lossPct: 0 } },
  { ...envelope, kind: 'wifi', body: { connected: true, ssid: 'NHS-Staff', bssid: '3c:a8:2a:00:00:92', signalDbm: -61, signalPct: 70, linkMbps: 433, channel: 36 } },
  { ...envelope, kind: 'health', body: { cpuPct: 12.5, memPct: 60, diskFreePct: 40, uptimeS: 3600, bootMs: 41_000 } },
  {
    ...envelope, kind: 'logon',
    body: { user: '0123456789abcdef', totalMs: 23_700, ok: true, readyBy: 'explorer-start', phases: { winlogonMs: 1, profileMs: 2, groupPolicyMs: 3, preShellMs: 4, shellMs: 5, appLogonMs: 6, logonTasksMs: 7, subscribersMs: 8, gpScriptsMs: 9 } },
  },
];

/** Values that sit on and just past the contract's edges, and of the wrong type. */
const ODD: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 0.5, 1.5, 100, 100.5, 101, 233, 234, 599, 600, -120, -120.5, 100_000, 100_001,
  86_400_000, 86_400_000.5, 946_684_800_000, 946_684_799_999, 4_102_444_799_999, 4_102_444_800_000, 604_800_000, 604_800_001, -604_800_001,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity, '', 'a', 'epr', 'real', 'synthetic', 'timeout', 'bogus',
  'explorer-start', '3c:a8:2a:00:00:92', '3C:A8:2A:00:00:92', '0123456789abcdef', 'jsmith', 'a b', 'x'.repeat(8), 'x'.repeat(15), 'x'.repeat(16),
  'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), '😀'.repeat(4), '😀'.repeat(8), '😀'.repeat(16),
  '😀'.repeat(17), '😀'.repeat(33), 'é'.repeat(10), [], [1], {}, { winlogonMs: 1 }, { shellMs: -1 }, { nope: 1 },
  // Each character class edge of the identifier and BSSID patterns.
  'a.b_c:d-e/f', 'a b', 'a\tb', 'a\nb', 'a+b', 'a\\b', 'a@b', 'a`b', 'a[b', 'a{b', 'ü', '\u0000', 'A'.repeat(128) + '\u0080',
  '3c:a8:2a:00:00:9g', '3c-a8-2a-00-00-92', '3c:a8:2a:00:00:92:', '3c:a8:2a:00:00', '3c:a8:2a:0:00:092', ':c:a8:2a:00:00:92', 'gc:a8:2a:00:00:92',
];

const mutate = (base: Record<string, unknown>, path: string[], value: unknown, drop: boolean): Record<string, unknown> => {
  const copy = structuredClone(base);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (drop) delete at[last];
  else at[last] = value;
  return copy;
};

const keysOf = (event: Record<string, unknown>): string[][] => {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value !== 'object' || value === null) return;
    for (const key of Object.keys(value)) {
      paths.push([...path, key]);
      walk((value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(event, []);
  return paths;
};

describe('isPlainlyValidEvent', () => {
  it.each(VALID.map((e) => [e.kind, e]))('passes a valid %s event with every field', (_kind, event) => {
    expect(isTelemetryEvent(event)).toBe(true);
    expect(isPlainlyValidEvent(event)).toBe(true);
    expect(isPlainlyValidEvent(JSON.parse(JSON.stringify(event)))).toBe(true);
  });

  it('passes minimal events of each kind', () => {
    const minimal = [
      { kind: 'app', body: { app: 'epr', ok: false, totalMs: 0 } },
      { kind: 'net', body: { target: 'gateway', rttMs: 0, lossPct: 100 } },
      { kind: 'wifi', body: { connected: false } },
      { kind: 'health', body: { cpuPct: 0, memPct: 100, diskFreePct: 0, uptimeS: 0 } },
      { kind: 'logon', body: { totalMs: 86_400_000, ok: false } },
    ];
    for (const e of minimal) {
      const event = { v: 1, id: 'evt-0000000000000001', seq: 0, ts: 946_684_800_000, trust: 'T', site: 'S', ward: 'W', device: 'D', ...e };
      expect(isTelemetryEvent(event)).toBe(true);
      expect(isPlainlyValidEvent(event)).toBe(true);
    }
  });

  it.each([
    ['an unknown field', { ...VALID[0], patient: 'x' }],
    ['an unknown body field', { ...VALID[1], body: { target: 'gateway', rttMs: 1, lossPct: 0, extra: 1 } }],
    ['a short id (its length in code points is for the schema to judge)', { ...VALID[0], id: 'evt-0001' }],
    ['a field present but undefined', { ...VALID[0], ap: undefined }],
    ['no body', { ...VALID[0], body: undefined }],
    ['an unknown kind', { ...VALID[0], kind: 'mood' }],
  ])('leaves %s to the full validator', (_name, event) => {
    expect(isPlainlyValidEvent(event)).toBe(false);
  });

  // What it passes, the compiled schema and zod accept: over every field of every kind set to an odd
  // value or dropped, one and two at a time, and extra keys.
  it('passes nothing the compiled schema refuses (single and double mutations)', () => {
    let passed = 0;
    let checked = 0;
    for (const base of VALID) {
      const paths = [...keysOf(base), ['extra'], ['body', 'extra'], ['body', 'phases', 'extra']];
      for (const path of paths) {
        for (const value of [...ODD, 'drop']) {
          const event = mutate(base, path, value, value === 'drop');
          checked++;
          if (isPlainlyValidEvent(event)) {
            passed++;
            expect(isTelemetryEvent(event), JSON.stringify(event)).toBe(true);
            expect(TelemetryEvent.safeParse(event).success, JSON.stringify(event)).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(passed).toBeGreaterThan(100);
  });

  it('passes nothing the compiled schema refuses (random mutations)', () => {
    const value = fc.oneof(fc.constantFrom(...ODD), fc.anything(), fc.string(), fc.double(), fc.integer());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), fc.array(fc.tuple(fc.nat(), value, fc.boolean()), { minLength: 1, maxLength: 4 }), (which, edits) => {
        let event = VALID[which]!;
        for (const [i, v, drop] of edits) {
          const paths = keysOf(event);
          if (paths.length === 0) break;
          event = mutate(event, paths[i % paths.length]!, v, drop);
        }
        if (isPlainlyValidEvent(event)) expect(isTelemetryEvent(event)).toBe(true);
      }),
      { numRuns: 3000, seed: 10 },
    );
  });
});
