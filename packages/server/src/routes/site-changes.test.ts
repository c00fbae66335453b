import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { siteChanges } from './site-changes.ts';

const site = (id: string, patch: Partial<SiteSummary> = {}): SiteSummary => ({
  id, name: `Site ${id}`, trust: 'RXX', status: 'ok', reason: '', p95Ms: 900, availability: 1, logonP95Ms: 20_000, appChecks: 60, asOf: 1000, ...patch,
});

describe('siteChanges', () => {
  it('sends every site whole the first time, then only the fields that moved, nothing for the unchanged', () => {
    const sent = new Map<string, string>();
    expect(siteChanges(sent, [site('A'), site('B')])).toEqual([{ id: 'A', set: site('A') }, { id: 'B', set: site('B') }]);
    expect(siteChanges(sent, [site('A'), site('B')])).toEqual([]);
    expect(siteChanges(sent, [site('A', { asOf: 2000 }), site('B', { asOf: 2000, status: 'degraded', reason: 'app p95 3 s', cause: { kind: 'network', culprit: 'site:B', summary: 's', evidence: 'e' } })])).toEqual([
      { id: 'A', set: { asOf: 2000 } },
      { id: 'B', set: { asOf: 2000, status: 'degraded', reason: 'app p95 3 s', cause: { kind: 'network', culprit: 'site:B', summary: 's', evidence: 'e' } } },
    ]);
  });

  it('names a field that is gone, and a site that is gone', () => {
    const sent = new Map<string, string>();
    siteChanges(sent, [site('A', { cause: { kind: 'device', culprit: 'device:D', summary: 's', evidence: 'e' } }), site('B')]);
    expect(siteChanges(sent, [site('A')])).toEqual([{ id: 'A', set: {}, unset: ['cause'] }, { id: 'B', removed: true }]);
    expect([...sent.keys()]).toEqual(['A']);
  });
});
