import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { choices, filterFromQuery, filterSites, filterToQuery, groupSites, NO_FILTER } from './site-filter.ts';

const site = (id: string, name: string, status: SiteSummary['status'], trust = 'RXX', type?: string, area?: string): SiteSummary => ({
  id, name, trust, status, reason: '', p95Ms: null, availability: null, logonP95Ms: null, appChecks: 0, asOf: 0,
  ...(type ? { type } : {}), ...(area ? { area } : {}),
});

const estate = [
  site('RXX01', "St Aldhelm's Hospital", 'ok', 'RXX', 'acute', 'North'),
  site('RXX02', 'Northfield General Hospital', 'degraded', 'RXX', 'acute', 'North'),
  site('RYY01', 'Riverside Community Hospital', 'down', 'RYY', 'community', 'South'),
  site('RYY02', 'Elmwood Mental Health Unit', 'unknown', 'RYY'),
];

describe('filterSites', () => {
  it.each<[string, Partial<typeof NO_FILTER>, string[]]>([
    ['no filter', {}, ['RXX01', 'RXX02', 'RYY01', 'RYY02']],
    ['one status', { statuses: ['degraded'] }, ['RXX02']],
    ['two statuses', { statuses: ['degraded', 'down'] }, ['RXX02', 'RYY01']],
    ['trust', { trust: 'RYY' }, ['RYY01', 'RYY02']],
    ['type', { type: 'acute' }, ['RXX01', 'RXX02']],
    ['area', { area: 'South' }, ['RYY01']],
    ['search by name, any case', { query: 'HOSPITAL north' }, ['RXX02']],
    ['search by code', { query: 'ryy0' }, ['RYY01', 'RYY02']],
    ['everything together', { query: 'hospital', statuses: ['ok', 'down'], trust: 'RXX' }, ['RXX01']],
    ['nothing matches', { query: 'zzz' }, []],
  ])('%s', (_name, filter, ids) => {
    expect(filterSites(estate, { ...NO_FILTER, ...filter }).map((s) => s.id)).toEqual(ids);
  });
});

describe('groupSites', () => {
  it('by status: worst group first, with counts', () => {
    const groups = groupSites(estate, 'status');
    expect(groups.map((g) => `${g.label}:${g.sites.length}`)).toEqual(['Down:1', 'Degraded:1', 'Unknown:1', 'OK:1']);
  });

  it('by trust, type and area: named groups sorted, the unrecorded last, worst first inside', () => {
    expect(groupSites(estate, 'trust').map((g) => [g.label, g.sites.map((s) => s.id), g.counts.down])).toEqual([
      ['RXX', ['RXX02', 'RXX01'], 0],
      ['RYY', ['RYY01', 'RYY02'], 1],
    ]);
    expect(groupSites(estate, 'area').map((g) => g.label)).toEqual(['North', 'South', 'Area not recorded']);
    expect(groupSites(estate, 'type').map((g) => g.label)).toEqual(['acute', 'community', 'Type not recorded']);
  });
});

describe('choices and filterFromQuery', () => {
  it('offers the distinct recorded values', () => {
    expect(choices(estate, 'trust')).toEqual(['RXX', 'RYY']);
    expect(choices(estate, 'area')).toEqual(['North', 'South']);
  });

  it('reads the filter from the hash query and ignores what it does not know', () => {
    expect(filterFromQuery('status=degraded,bogus,down&trust=RXX&q=north&group=trust')).toEqual({
      filter: { query: 'north', statuses: ['degraded', 'down'], trust: 'RXX', type: '', area: '' },
      group: 'trust',
    });
    expect(filterFromQuery('group=colour').group).toBe('status');
  });
});

describe('filterToQuery', () => {
  it('writes only what is set, and reads back the same', () => {
    expect(filterToQuery(NO_FILTER, 'status')).toBe('');
    const q = filterToQuery({ query: 'north field', statuses: ['degraded', 'down'], trust: 'RXX', type: '', area: 'North' }, 'area');
    expect(q).toBe('q=north+field&status=degraded,down&trust=RXX&area=North&group=area');
    expect(filterFromQuery(q)).toEqual({ filter: { query: 'north field', statuses: ['degraded', 'down'], trust: 'RXX', type: '', area: 'North' }, group: 'area' });
  });
});
