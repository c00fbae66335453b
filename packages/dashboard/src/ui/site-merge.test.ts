import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { applySiteChanges } from './site-merge.ts';

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
