import { describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { parseStatusFilter } from './stream-filter.ts';

const status = (key: string, scope: ScopeStatus['scope'], site?: string): ScopeStatus => ({
  key, scope, id: key, trust: 'RXX', ...(site ? { site } : {}), status: 'ok', reason: '',
  figures: { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, logons: 0, logonP95Ms: null, wifiSignalDbm: null }, since: 0, asOf: 0,
});
const all = [status('site:S1', 'site', 'S1'), status('ward:S1/W1', 'ward', 'S1'), status('device:D1', 'device', 'S1'), status('device:D2', 'device', 'S2'), status('trust', 'trust')];

describe('parseStatusFilter', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['site:S1', 'ward:S1/W1', 'device:D1', 'device:D2', 'trust']],
    ['all', ['site:S1', 'ward:S1/W1', 'device:D1', 'device:D2', 'trust']],
    ['none', []],
    ['site:S1', ['site:S1', 'ward:S1/W1', 'device:D1']],
    ['kind:device', ['device:D1', 'device:D2']],
  ])('%s → %j', (param, keys) => {
    const filter = parseStatusFilter(param);
    if (typeof filter === 'string') throw new Error(filter);
    expect(all.filter(filter).map((s) => s.key)).toEqual(keys);
  });

  it.each(['some', 'site:', 'kind:printer'])('refuses %s with a message naming the forms', (param) => {
    expect(parseStatusFilter(param)).toBe(`statuses must be all, none, site:<site id> or kind:<trust|site|ward|device|ap|app>; got "${param}"`);
  });
});
