// TallyIndex.scopes finds a prefix's scopes by binary search over the sorted keys: the same scopes, in
// the same order, as filtering every key; and a tally's hours, gathered late, are every hour added.
import { describe, expect, it } from 'vitest';
import { Tally, TallyIndex } from './tally.ts';

const record = (scope: string, start: number, hours?: number[]) => ({ scope, metric: 'logon.totalMs', resolution: '1h' as const, start, count: 1, valid: 1, good: 1, fast: 1, sketch: new Uint8Array(0), ...(hours ? { hours } : {}) });

describe('TallyIndex.scopes', () => {
  const scopes = ['site:RXX01', 'site:RXX1', 'site:RXX10', 'siteapp:RXX01/epr', 'siteapp:RXX01/pacs', 'siteapp:RXX10/epr', 'siteapp:RXX1/epr', 'ward:RXX01/W1', 'device:RXX01-D0001', 'device:A', 'ap:3c', 'trust'];
  const index = new TallyIndex(scopes.map((s) => record(s, 0)));
  it.each(['site:', 'siteapp:RXX01/', 'siteapp:RXX1/', 'siteapp:RXX1', 'device:', 'ward:RXX02/', 'trust', '', 'zzz', 'a'])('"%s"', (prefix) => {
    expect(index.scopes(prefix)).toEqual(scopes.filter((s) => s.startsWith(prefix)).sort());
  });

  it('sees a scope added after it was asked', () => {
    expect(index.scopes('siteapp:RXX01/')).toEqual(['siteapp:RXX01/epr', 'siteapp:RXX01/pacs']);
    index.add(record('siteapp:RXX01/lims', 0));
    expect(index.scopes('siteapp:RXX01/')).toEqual(['siteapp:RXX01/epr', 'siteapp:RXX01/lims', 'siteapp:RXX01/pacs']);
  });
});

describe('Tally.hours', () => {
  it('holds each hour of hourly rows and day rows once, asked before, between and after adds and merges', () => {
    const a = new Tally();
    a.add(record('site:S', 0));
    a.add(record('site:S', 86_400_000, [86_400_000, 90_000_000]));
    const b = new Tally();
    b.add(record('site:S', 90_000_000));
    b.add(record('site:S', 0));
    expect([...b.hours].sort()).toEqual([0, 90_000_000]);
    b.add(record('site:S', 3_600_000));
    const sum = new Tally().merge(a).merge(b);
    expect([...sum.hours].sort((x, y) => x - y)).toEqual([0, 3_600_000, 86_400_000, 90_000_000]);
    a.merge(b);
    a.add(record('site:S', 7_200_000, [7_200_000]));
    expect([...a.hours].sort((x, y) => x - y)).toEqual([0, 3_600_000, 7_200_000, 86_400_000, 90_000_000]);
    expect(a.count).toBe(6);
  });
});
