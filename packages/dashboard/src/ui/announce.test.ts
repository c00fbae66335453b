import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { announceChanges } from './announce.ts';

const site = (name: string, status: SiteSummary['status']): SiteSummary => ({ id: name, name, trust: 'RXX', status, reason: '', p95Ms: null, availability: null, logonP95Ms: null, appChecks: 0, asOf: 0 });

describe('announceChanges', () => {
  it.each<[SiteSummary[], string]>([
    [[], ''],
    [[site('Kingsbridge', 'degraded')], 'Kingsbridge is now Degraded'],
    [[site('A', 'down'), site('B', 'ok'), site('C', 'unknown')], 'A is now Down. B is now OK. C is now Unknown'],
    [[site('A', 'ok'), site('B', 'degraded'), site('C', 'degraded'), site('D', 'down'), site('E', 'ok')], '5 sites changed status: 1 now Down, 2 now Degraded, 2 now OK'],
  ])('%#', (changed, text) => expect(announceChanges(changed)).toBe(text));
});
