import { describe, expect, it } from 'vitest';
import type { CauseSummary } from '@wardwatch/schema';
import { moreCausesText } from './causes-markup.ts';

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
