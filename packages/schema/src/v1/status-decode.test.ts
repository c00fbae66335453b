import { describe, expect, it } from 'vitest';
import { decodeStatus } from './status-decode.ts';
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

describe('decodeStatus', () => {
  it('reads a status as the processor writes it, from bytes or text', () => {
    expect(decodeStatus(bytes(status))).toEqual({ ok: true, status });
    expect(decodeStatus(JSON.stringify(status))).toEqual({ ok: true, status });
  });

  it('drops fields a newer writer adds instead of refusing the status', () => {
    expect(decodeStatus(bytes({ ...status, shiny: 1 }))).toEqual({ ok: true, status });
  });

  it.each([
    ['not JSON', '{"key":', 'malformed-json', /^not valid JSON: /],
    ['not an object', '42', 'schema', /^\(status\): /],
    ['an unknown health', JSON.stringify({ ...status, status: 'fine' }), 'schema', /^status: /],
    ['an unknown scope kind', JSON.stringify({ ...status, scope: 'floor' }), 'schema', /^scope: /],
    ['no figures', JSON.stringify({ ...status, figures: undefined }), 'schema', /^figures: /],
    ['a figure as text', JSON.stringify({ ...status, figures: { ...status.figures, p95Ms: '2100' } }), 'schema', /^figures\.p95Ms: /],
    ['availability above 1', JSON.stringify({ ...status, figures: { ...status.figures, availability: 1.2 } }), 'schema', /^figures\.availability: /],
    ['a cause of no known kind', JSON.stringify({ ...status, cause: { ...status.cause, kind: 'weather' } }), 'schema', /^cause\.kind: /],
    ['no key', JSON.stringify({ ...status, key: undefined }), 'schema', /^key: /],
  ])('refuses %s, saying why', (_name, input, reason, message) => {
    const decoded = decodeStatus(input);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason).toBe(reason);
    expect(decoded.message).toMatch(message);
  });
});
