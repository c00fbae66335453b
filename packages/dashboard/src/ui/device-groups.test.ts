import { describe, expect, it } from 'vitest';
import type { Cause, Health, ScopeStatus } from '@wardwatch/schema';
import { deviceConcern, groupDevicesByCause, groupsLead, sharesCause } from './device-groups.ts';

const SITE_WAN: Cause = { kind: 'network', culprit: 'site:S1', summary: 'network: site S1', evidence: '8 of 8 wards degraded' };
const AP: Cause = { kind: 'network', culprit: 'ap:3c:a8:2a:00:00:21', summary: 'network: access point 3c:a8:2a:00:00:21', evidence: '4 of 4 devices' };

function device(id: string, status: Health, cause?: Cause | 'own', figures: { availability?: number | null; p95Ms?: number | null } = {}): ScopeStatus {
  const key = `device:${id}`;
  return {
    key,
    scope: 'device',
    id,
    trust: 'T',
    site: 'S1',
    ward: 'W1',
    status,
    reason: 'r',
    ...(cause === 'own' ? { cause: { kind: 'device', culprit: key, summary: `device ${id}`, evidence: 'CPU 97 %' } } : cause ? { cause } : {}),
    figures: { appChecks: 60, p50Ms: null, p95Ms: figures.p95Ms ?? null, p99Ms: null, availability: figures.availability ?? null, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
    since: 0,
    asOf: 0,
  };
}

const names = (list: ScopeStatus[]) => list.map((d) => d.id);

describe('sharesCause', () => {
  it.each([
    ['a network cause', device('D1', 'degraded', SITE_WAN), true],
    ['the device as its own cause', device('D1', 'degraded', 'own'), false],
    ['no cause found', device('D1', 'degraded'), false],
  ])('%s: %s', (_, d, expected) => {
    expect(sharesCause(d)).toBe(expected);
  });
});

describe('deviceConcern', () => {
  it.each([
    ['down before degraded, whatever the figures', [device('A', 'degraded', undefined, { availability: 0.1 }), device('B', 'down', undefined, { availability: 1 })], ['B', 'A']],
    ['degraded before unknown', [device('A', 'unknown'), device('B', 'degraded')], ['B', 'A']],
    ['the least available first', [device('A', 'degraded', undefined, { availability: 0.99 }), device('B', 'degraded', undefined, { availability: 0.9 })], ['B', 'A']],
    ['no availability counts as whole', [device('A', 'degraded', undefined, { availability: null }), device('B', 'degraded', undefined, { availability: 0.99 })], ['B', 'A']],
    ['as available: the slowest first', [device('A', 'degraded', undefined, { availability: 0.98, p95Ms: 900 }), device('B', 'degraded', undefined, { availability: 0.98, p95Ms: 4000 })], ['B', 'A']],
    ['ties by name', [device('B', 'degraded'), device('A', 'degraded')], ['A', 'B']],
  ])('%s', (_, list, order) => {
    expect(names([...list].sort(deviceConcern))).toEqual(order);
  });
});

describe('groupDevicesByCause', () => {
  it('puts devices degraded on their own first, then each shared cause, the most devices first', () => {
    const groups = groupDevicesByCause([
      device('S1-D1', 'degraded', SITE_WAN),
      device('S1-D2', 'degraded', AP),
      device('S2-D9', 'degraded'),
      device('S1-D3', 'degraded', SITE_WAN),
      device('S3-D4', 'down', 'own'),
    ]);
    expect(groups.map((g) => g.cause?.culprit ?? 'own')).toEqual(['own', 'site:S1', 'ap:3c:a8:2a:00:00:21']);
    expect(groups.map((g) => names(g.devices))).toEqual([['S3-D4', 'S2-D9'], ['S1-D1', 'S1-D3'], ['S1-D2']]);
  });

  it('loses and repeats no device', () => {
    const list = [device('A', 'degraded', SITE_WAN), device('B', 'down'), device('C', 'degraded', AP), device('D', 'degraded', 'own'), device('E', 'degraded', AP)];
    const grouped = groupDevicesByCause(list).flatMap((g) => names(g.devices));
    expect(grouped.sort()).toEqual(names(list).sort());
  });

  it.each([
    ['no devices: no groups', [], []],
    ['only shared causes: no group of their own', [device('A', 'degraded', AP)], ['ap:3c:a8:2a:00:00:21']],
    ['only devices on their own: one group', [device('A', 'degraded'), device('B', 'degraded', 'own')], ['own']],
    ['groups as large: by the culprit’s key', [device('A', 'degraded', SITE_WAN), device('B', 'degraded', AP)], ['ap:3c:a8:2a:00:00:21', 'site:S1']],
  ])('%s', (_, list, culprits) => {
    expect(groupDevicesByCause(list).map((g) => g.cause?.culprit ?? 'own')).toEqual(culprits);
  });

  it('leaves the list it was given as it was', () => {
    const list = [device('B', 'degraded', SITE_WAN), device('A', 'degraded', SITE_WAN)];
    groupDevicesByCause(list);
    expect(names(list)).toEqual(['B', 'A']);
  });
});

describe('groupsLead', () => {
  const many = (n: number, cause?: Cause | 'own') => Array.from({ length: n }, (_, i) => device(`D${i}-${cause === undefined ? 'x' : cause === 'own' ? 'o' : cause.culprit}`, 'degraded', cause));
  it.each([
    ['one on its own', many(1), '1 device not OK, on its own.'],
    ['several, each on its own', [...many(2), ...many(1, 'own')], '3 devices not OK, each on its own.'],
    ['all under one cause', many(80, SITE_WAN), '80 devices not OK, all under one likely cause.'],
    ['under two causes', [...many(80, SITE_WAN), ...many(4, AP)], '84 devices not OK, under 2 likely causes.'],
    ['both', [...many(1), ...many(80, SITE_WAN)], '81 devices not OK: 1 on its own; 80 under one likely cause.'],
    ['both, thousands grouped', [...many(2), ...many(1_200, SITE_WAN), ...many(3, AP)], '1,205 devices not OK: 2 on their own; 1,203 under 2 likely causes.'],
  ])('%s', (_, list, text) => {
    expect(groupsLead(groupDevicesByCause(list))).toBe(text);
  });
});
