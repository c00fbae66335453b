import { describe, expect, it } from 'vitest';
import type { CauseSummary } from '@wardwatch/schema';
import { causesHtml, moreCausesText, plannedText } from './causes-markup.ts';

const cause = (kind: CauseSummary['kind'], n: number): CauseSummary => ({
  kind,
  culprit: `${kind}:${n}`,
  summary: `${kind}: ${n}`,
  evidence: '',
  affected: { sites: 0, wards: 0, accessPoints: 0, devices: 1, applications: 0 },
  siteIds: [],
});

describe('moreCausesText: the causes past those listed', () => {
  const five = [cause('network', 1), cause('network', 2), cause('device', 3), cause('device', 4), cause('network', 5)];
  it.each([
    ['three listed (the grid), two left, one a device', five, undefined, 'and 2 more likely causes (1 of them devices at fault on its own)'],
    ['two listed (the wall beside its worst list)', five, 2, 'and 3 more likely causes (2 of them devices at fault on their own)'],
    ['all listed', five, 5, ''],
    ['one left, a device', five.slice(0, 4), 3, 'and 1 more likely cause (a device at fault on its own)'],
    ['none of the rest devices', [cause('device', 1), cause('network', 2)], 1, 'and 1 more likely cause'],
  ] as const)('%s', (_name, causes, shown, text) => {
    expect(moreCausesText(causes, shown)).toBe(text);
  });
});

describe('plannedText: whether the booked work may be the cause', () => {
  const at = (siteIds: string[], maintenance?: string[]): CauseSummary => ({ ...cause('network', 1), siteIds, ...(maintenance ? { maintenance } : {}) });
  it.each([
    ['no site in maintenance', at(['S1']), ''],
    ['its one site in maintenance', at(['S1'], ['S1']), 'in planned maintenance'],
    ['every site it is felt at', at(['S1', 'S2'], ['S1', 'S2']), 'in planned maintenance'],
    ['some of its sites, named', at(['S1', 'S2', 'S3'], ['S1', 'S3']), 'S1, S3 in planned maintenance'],
    ['an empty list', at(['S1'], []), ''],
  ] as const)('%s', (_name, c, text) => {
    expect(plannedText(c)).toBe(text);
  });

  it('is said in the panel beside what the cause blames, and marks the entry', () => {
    const html = causesHtml([{ ...cause('network', 1), siteIds: ['S1'], maintenance: ['S1'] }, cause('device', 2)]);
    expect(html).toContain('<li data-culprit="network:1" data-cause="network" data-maintenance><span class="kind">⌁ Network</span>1<span class="planned"> · in planned maintenance</span><span class="felt">');
    expect(html).toContain('<li data-culprit="device:2" data-cause="device"><span class="kind">');
  });
});
