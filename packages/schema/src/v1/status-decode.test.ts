import { describe, expect, it } from 'vitest';
import { liveEdgeOf } from './live-edge.ts';
import { decodeStatusRecord } from './status-decode.ts';
import type { ScopeStatus } from './status.ts';

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
