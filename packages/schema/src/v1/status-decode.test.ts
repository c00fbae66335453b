import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScopeStatus } from './json-schema.ts';
import { liveEdgeOf } from './live-edge.ts';
import { decodeStatusRecord } from './status-decode.ts';
import { CAUSE_KINDS, HEALTH_STATES, SCOPE_KINDS, ScopeStatus } from './status.ts';

const status: ScopeStatus = {
  key: 'site:S1',
  scope: 'site',
  id: 'S1',
  trust: 'RXX',
  site: 'S1',
  status: 'degraded',
  reason: 'p95 2.1 s against 1.5 s',
  cause: { kind: 'network', culprit: 'ap:3c:a8:2a:10:00:9a', summary: 'network: access point', evidence: '14 of 16 devices' },
  figures: { appChecks: 60, p50Ms: 350, p95Ms: 2100, p99Ms: 2900, availability: 0.98, logons: 2, logonP95Ms: null, wifiSignalDbm: -71, dnsP95Ms: 12 },
  since: Date.UTC(2026, 10, 24, 9),
  asOf: Date.UTC(2026, 10, 24, 9, 5),
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('decodeStatusRecord', () => {
  const edge = liveEdgeOf([0, 3, 7], Date.UTC(2026, 10, 24, 9, 5, 12, 250));

  it('reads a status as the processor writes it, from bytes or text, and a site status naming its partition', () => {
    expect(decodeStatusRecord(bytes(status))).toEqual({ ok: true, status });
    expect(decodeStatusRecord(JSON.stringify(status))).toEqual({ ok: true, status });
    expect(decodeStatusRecord(bytes({ ...status, partition: 3 }))).toEqual({ ok: true, status: { ...status, partition: 3 } });
  });

  it('drops fields a newer writer adds instead of refusing the status', () => {
    expect(decodeStatusRecord(bytes({ ...status, shiny: 1 }))).toEqual({ ok: true, status });
  });

  it('reads a live edge by its key', () => {
    expect(edge.key).toBe('edge:0,3,7');
    expect(decodeStatusRecord(bytes(edge))).toEqual({ ok: true, edge });
  });

  it.each([
    ['not JSON', '{"key":', 'malformed-json', /^not valid JSON: /],
    ['an edge cut short', '{"key":"edge:', 'malformed-json', /^not valid JSON: /],
    ['not an object', '42', 'schema', /^\(status\): /],
    ['an unknown health', JSON.stringify({ ...status, status: 'fine' }), 'schema', /^status: /],
    ['an unknown scope kind', JSON.stringify({ ...status, scope: 'floor' }), 'schema', /^scope: /],
    ['no figures', JSON.stringify({ ...status, figures: undefined }), 'schema', /^figures: /],
    ['a figure as text', JSON.stringify({ ...status, figures: { ...status.figures, p95Ms: '2100' } }), 'schema', /^figures\.p95Ms: /],
    ['availability above 1', JSON.stringify({ ...status, figures: { ...status.figures, availability: 1.2 } }), 'schema', /^figures\.availability: /],
    ['a cause of no known kind', JSON.stringify({ ...status, cause: { ...status.cause, kind: 'weather' } }), 'schema', /^cause\.kind: /],
    ['no key', JSON.stringify({ ...status, key: undefined }), 'schema', /^key: /],
    ['an edge with no partitions', JSON.stringify({ ...edge, partitions: [] }), 'schema', /^partitions: /],
    ['an edge with a negative partition', JSON.stringify({ ...edge, partitions: [-1] }), 'schema', /^partitions\.0: /],
    ['an edge with its time as text', JSON.stringify({ ...edge, asOf: '2026-11-24' }), 'schema', /^asOf: /],
    ['a status with a partition that is not one', JSON.stringify({ ...status, partition: 1.5 }), 'schema', /^partition: /],
    ['a status keyed as an edge', JSON.stringify({ ...status, key: 'edge:1' }), 'schema', /^partitions: /],
  ])('refuses %s, saying why', (_name, input, reason, message) => {
    const decoded = decodeStatusRecord(input);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason).toBe(reason);
    expect(decoded.message).toMatch(message);
  });
});

// The compiled schema (isScopeStatus) reads statuses before zod, keeping what it accepts: it must accept
// exactly what ScopeStatus.safeParse accepts, and leave the value as zod's copy of it would be.
describe('the compiled status schema beside zod', () => {
  // Mostly within the contract, now and then just outside it (a negative time, availability above 1).
  const quantile = fc.option(fc.oneof({ weight: 19, arbitrary: fc.double({ min: 0, max: 1e7, noNaN: true }) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: -1 }) }), { nil: null });
  const figures = fc.record(
    {
      appChecks: fc.integer({ min: -2, max: 10_000 }),
      p50Ms: quantile,
      p95Ms: quantile,
      p99Ms: quantile,
      availability: fc.option(fc.oneof({ weight: 19, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -0.5, max: 1.5, noNaN: true }) }), { nil: null }),
      slowAppChecks: fc.integer({ min: -1, max: 100 }),
      logons: fc.nat(50),
      logonP95Ms: quantile,
      slowLogons: fc.nat(5),
      wifiSignalDbm: fc.option(fc.integer({ min: -95, max: -20 }), { nil: null }),
      dnsP95Ms: quantile,
      gatewayRttP95Ms: quantile,
      cpuPct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
      clockSkewMs: fc.integer({ min: -1e6, max: 1e6 }),
    },
    { requiredKeys: ['appChecks', 'p50Ms', 'p95Ms', 'p99Ms', 'availability', 'logons', 'logonP95Ms', 'wifiSignalDbm'] },
  );
  const cause = fc.record({ kind: fc.constantFrom(...CAUSE_KINDS), culprit: fc.string(), summary: fc.string(), evidence: fc.string() });
  const statuses = fc.record(
    {
      key: fc.string({ maxLength: 12 }),
      scope: fc.constantFrom(...SCOPE_KINDS),
      id: fc.string({ maxLength: 8 }),
      trust: fc.string({ maxLength: 4 }),
      site: fc.string({ maxLength: 6 }),
      ward: fc.string({ maxLength: 6 }),
      ap: fc.string({ maxLength: 6 }),
      app: fc.string({ maxLength: 6 }),
      status: fc.constantFrom(...HEALTH_STATES),
      reason: fc.string(),
      cause,
      figures,
      since: fc.integer(),
      asOf: fc.integer(),
      partition: fc.integer({ min: -1, max: 24 }),
    },
    { requiredKeys: ['key', 'scope', 'id', 'trust', 'status', 'reason', 'figures', 'since', 'asOf'] },
  );
  // A status, then perhaps a field somewhere replaced by any JSON value, removed, or one added.
  const anyJson = fc.jsonValue({ maxDepth: 2 });
  const edits = fc.array(fc.tuple(fc.constantFrom('top', 'figures', 'cause'), fc.constantFrom('replace', 'remove', 'add'), fc.nat(20), fc.string({ maxLength: 6 }), anyJson), { maxLength: 2 });
  const edited = fc.tuple(statuses, edits).map(([value, list]) => {
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    for (const [where, how, index, name, json] of list) {
      const target = (where === 'top' ? copy : copy[where]) as Record<string, unknown> | undefined;
      if (typeof target !== 'object' || target === null || Array.isArray(target)) continue;
      const keys = Object.keys(target);
      const key = how === 'add' ? `x${name}` : keys[index % Math.max(1, keys.length)];
      if (key === undefined) continue;
      if (how === 'remove') delete target[key];
      else target[key] = json;
    }
    return JSON.stringify(copy);
  });

  it('accepts what zod accepts and nothing else, and leaves what it accepts as zod reads it (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(edited, (text) => {
        const byZod = ScopeStatus.safeParse(JSON.parse(text));
        const value: unknown = JSON.parse(text);
        expect(isScopeStatus(value)).toBe(byZod.success);
        if (byZod.success) {
          accepted++;
          expect(value).toEqual(byZod.data);
        }
      }),
      { numRuns: 3_000, seed: 20261205 },
    );
    // Both ways were tried: neither nearly all accepted nor nearly all refused.
    expect(accepted).toBeGreaterThan(600);
    expect(accepted).toBeLessThan(2_700);
  });

  it('drops unknown fields from the figures and the cause too, keeping the status', () => {
    const value = JSON.parse(JSON.stringify({ ...status, figures: { ...status.figures, newFigure: 3 }, cause: { ...status.cause, newWord: 'x' } })) as unknown;
    expect(isScopeStatus(value)).toBe(true);
    expect(value).toEqual(status);
  });
});
