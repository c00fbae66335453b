import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { applySiteChanges, reuseUnchanged, sameSummary } from './site-merge.ts';

const site = (id: string, patch: Partial<SiteSummary> = {}): SiteSummary => ({
  id, name: `Site ${id}`, trust: 'RXX', status: 'ok', reason: '', p95Ms: 900, availability: 1, logonP95Ms: 20_000, appChecks: 60, asOf: 1000, ...patch,
});

describe('applySiteChanges', () => {
  it('merges changed fields, drops unset ones and removed sites, and keeps worst first', () => {
    const sites = new Map([site('A', { cause: { kind: 'device', culprit: 'device:D', summary: 's', evidence: 'e' }, status: 'degraded' }), site('B'), site('C')].map((s) => [s.id, s]));
    const list = applySiteChanges(sites, [
      { id: 'A', set: { status: 'ok', reason: '' }, unset: ['cause'] },
      { id: 'B', set: { status: 'down', reason: 'no check succeeded', asOf: 2000 } },
      { id: 'C', removed: true },
      { id: 'D', set: site('D') },
    ]);
    expect(list.map((s) => `${s.id}:${s.status}`)).toEqual(['B:down', 'A:ok', 'D:ok']);
    expect(list[0]).toEqual(site('B', { status: 'down', reason: 'no check succeeded', asOf: 2000 }));
    expect('cause' in list[1]!).toBe(false);
  });
});

describe('reuseUnchanged', () => {
  it('keeps the previous list when every site says the same, in the same order', () => {
    const previous = [site('A', { alerts: { page: 1, ticket: 0, slos: ['logon'] } }), site('B')];
    const again = previous.map((s) => JSON.parse(JSON.stringify(s)) as SiteSummary);
    expect(reuseUnchanged(previous, again)).toBe(previous);
  });

  it('keeps the objects of unchanged sites and takes the changed ones', () => {
    const previous = [site('A'), site('B'), site('C')];
    const next = [site('A'), site('B', { status: 'degraded', reason: 'slow' }), site('C', { alerts: { page: 0, ticket: 1, slos: ['app'] } })];
    const merged = reuseUnchanged(previous, next);
    expect(merged).not.toBe(previous);
    expect(merged[0]).toBe(previous[0]);
    expect(merged[1]).toBe(next[1]);
    expect(merged[2]).toBe(next[2]);
  });

  it('takes a new list when sites came, went or moved, and a field set or unset counts as a change', () => {
    const previous = [site('A'), site('B')];
    expect(reuseUnchanged(previous, [site('B'), site('A')])).not.toBe(previous);
    expect(reuseUnchanged(previous, [site('A')])).not.toBe(previous);
    expect(reuseUnchanged(previous, [site('A'), site('B'), site('C')])).not.toBe(previous);
    const withType = reuseUnchanged(previous, [site('A', { type: 'Clinic' }), site('B')]);
    expect(withType[0]).not.toBe(previous[0]);
    expect(sameSummary(site('A', { type: 'Clinic' }), site('A'))).toBe(false);
  });
});
