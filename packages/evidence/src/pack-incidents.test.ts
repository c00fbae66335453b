import { describe, expect, it } from 'vitest';
import type { SloAlert } from '@wardwatch/schema';
import { incidentsOf } from './pack-incidents.ts';
import type { MaintenanceWindow } from './pack-inputs.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 10, 8);
const alert = (scope: string, startsAt: number, endsAt: number | null): SloAlert => ({
  fingerprint: `${scope}-page`,
  slo: 'site-logon-latency',
  scope,
  severity: 'page',
  status: endsAt === null ? 'firing' : 'resolved',
  indicator: 'logon',
  objective: 0.95,
  startsAt,
  endsAt,
  updatedAt: endsAt ?? startsAt,
  rules: [],
  errorBudgetRemaining: 0.5,
  summary: `site-logon-latency on ${scope}`,
  silencedBy: null,
  notifiedAt: null,
  assignment: null,
});

const switchAtS1: MaintenanceWindow = { from: T, to: T + 2 * HOUR, label: 'Core switch (site:S1)', site: 'S1' };
const everySite: MaintenanceWindow = { from: T + 5 * HOUR, to: T + 6 * HOUR, label: 'Network upgrade' };

describe('incidentsOf and the maintenance windows', () => {
  it.each([
    ['overlapping its site’s window', alert('site:S1', T + HOUR, T + 3 * HOUR), ['Core switch (site:S1)']],
    ['at another site', alert('site:S2', T + HOUR, T + 3 * HOUR), undefined],
    ['before the window', alert('site:S1', T - 2 * HOUR, T - HOUR), undefined],
    ['ending as the window opens', alert('site:S1', T - HOUR, T), undefined],
    ['still firing into a window for every site', alert('site:S2', T + 4 * HOUR, null), ['Network upgrade']],
    ['estate-wide, across a window for every site', alert('trust', T + 5 * HOUR, T + 7 * HOUR), ['Network upgrade']],
    ['estate-wide, across one site’s window only', alert('trust', T + HOUR, T + 2 * HOUR), undefined],
    ['spanning both of its site’s', alert('site:S1', T + HOUR, T + 5.5 * HOUR), ['Core switch (site:S1)', 'Network upgrade']],
  ])('an incident %s names %j', (_case, fired, expected) => {
    const [found] = incidentsOf([fired], { sites: ['S1', 'S2'], estateWide: true, before: T + 24 * HOUR, maintenance: [switchAtS1, everySite] });
    expect(found!.maintenance).toEqual(expected);
  });
});
