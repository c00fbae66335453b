import { describe, expect, it } from 'vitest';
import { blendedHourlyCost, costOf, DEFAULT_STAFF_COSTS, fteOf, PSSRU_2024_HOURLY } from './staff-costs.ts';
import { DEFAULT_EVIDENCE_CONFIG, EvidenceConfigError, parseEvidenceConfig, staffCostsOf } from './config.ts';

describe('hours to FTE and money', () => {
  it.each([
    // hours lost, period hours, FTE
    [1545, 8766, 1],
    [1545 / 12, 8766 / 12, 1],
    [131.3, 745, 131.3 / (1545 * (745 / 8766))],
    [0, 744, 0],
  ])('%f hours over %i hours are %f FTE', (hours, periodHours, fte) => {
    expect(fteOf(hours, periodHours)).toBeCloseTo(fte, 6);
  });

  it.each([
    // one staff group: the PSSRU figure itself, without and with qualification costs
    ['nurseBand5', 47, 53],
    ['nurseBand6', 58, 64],
    ['nurseBand7', 69, 75],
    ['fy1', 33, 48],
    ['fy2', 38, 55],
    ['registrar', 56, 79],
    ['consultant', 121, 157],
  ])('a mix of only %s costs £%i / £%i an hour', (group, low, high) => {
    expect(blendedHourlyCost({ ...DEFAULT_STAFF_COSTS, mix: { [group]: 1 } })).toEqual({ low, high });
  });

  it('blends the mix by share and prices hours low and high', () => {
    const costs = { ...DEFAULT_STAFF_COSTS, mix: { nurseBand5: 0.5, consultant: 0.5 } };
    expect(blendedHourlyCost(costs)).toEqual({ low: 84, high: 105 });
    expect(costOf(10, costs)).toEqual({ low: 840, high: 1050 });
    const defaults = blendedHourlyCost(DEFAULT_STAFF_COSTS);
    expect(defaults.low).toBeCloseTo(53.15, 2);
    expect(defaults.high).toBeCloseTo(62.86, 2);
    expect(Object.values(DEFAULT_STAFF_COSTS.mix).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
  });

  it('names a staff group with no cost', () => {
    expect(() => blendedHourlyCost({ ...DEFAULT_STAFF_COSTS, mix: { porter: 1 } })).toThrow(/porter/);
  });
});

describe('evidence configuration (YAML)', () => {
  it('defaults to the documented targets, volumes and costs', () => {
    expect(DEFAULT_EVIDENCE_CONFIG.logons).toEqual({ targetS: 30, sensitivityS: [10, 20, 30] });
    expect(DEFAULT_EVIDENCE_CONFIG.applications).toMatchObject({ targetS: 2, sensitivityS: [1, 2, 3], screensPerHour: 20, checkIntervalS: 60 });
    expect(DEFAULT_EVIDENCE_CONFIG.wifi.goodDbm).toBe(-70);
    expect(DEFAULT_EVIDENCE_CONFIG.minDevices).toBe(5);
    expect(DEFAULT_EVIDENCE_CONFIG.priceYear).toBe('2023/24');
    expect(staffCostsOf(DEFAULT_EVIDENCE_CONFIG).hourly).toEqual(PSSRU_2024_HOURLY);
  });

  it('reads a trust file: its own targets, mix, costs, baseline and maintenance', () => {
    const config = parseEvidenceConfig(`
priceYear: "2024/25"
logons: { targetS: 20, sensitivityS: [15, 20, 25] }
applications: { targets: { pacs: 4 }, screensPerHour: 30 }
hourlyCosts: { hca: { without: 30, with: 32 } }
staffMix: { nurseBand5: 0.7, hca: 0.3 }
baseline: { from: 2026-01, to: 2026-03, label: before the refresh }
maintenance:
  - { from: 2026-10-04T22:00:00Z, to: 2026-10-05T02:00:00Z, label: core switch upgrade }
`);
    expect(config.logons.targetS).toBe(20);
    expect(config.applications.targets).toEqual({ pacs: 4 });
    expect(config.applications.targetS).toBe(2);
    expect(blendedHourlyCost(staffCostsOf(config))).toEqual({ low: 0.7 * 47 + 0.3 * 30, high: 0.7 * 53 + 0.3 * 32 });
    expect(config.maintenance[0]).toEqual({ from: Date.UTC(2026, 9, 4, 22), to: Date.UTC(2026, 9, 5, 2), label: 'core switch upgrade' });
    expect(config.baseline).toEqual({ from: '2026-01', to: '2026-03', label: 'before the refresh' });
  });

  it('lists every problem of a file at one reading: the cross-field checks beside the fields\' own', () => {
    let error: unknown;
    try {
      parseEvidenceConfig('logons: { targetS: -1 }\nbaseline: { from: 2026-05, to: 2026-03 }\nstaffMix: { doctorX: 1 }\nmaintenance: [{ from: 2026-10-05T02:00:00Z, to: 2026-10-05T01:00:00Z }, 3]\n', 'evidence.yaml');
    } catch (e) {
      error = e;
    }
    expect((error as EvidenceConfigError).problems).toEqual([
      'logons.targetS: must be more than 0 seconds; got -1',
      'maintenance[1]: must be a set of fields (key: value); got 3',
      expect.stringMatching(/^staffMix\.doctorX: no hourly cost for "doctorX"/),
      'maintenance[0].to: must be after from; got "2026-10-05T01:00:00Z"',
      'baseline.to: must not be before baseline.from; got "2026-03"',
    ]);
  });

  it.each([
    ['logons: { targetS: -5 }', 'logons.targetS: must be more than 0 seconds; got -5'],
    ['staffMix: { nurseBand5: 0.5 }', 'staffMix: shares must add up to 1'],
    ['staffMix: { porter: 1 }', 'staffMix.porter: no hourly cost for "porter"'],
    ['wifi: { goodDbn: -70 }', 'wifi: unknown field "goodDbn"'],
    ['baseline: { from: 2026-1, to: 2026-03 }', 'baseline.from: must be a month as YYYY-MM'],
    ['maintenance: [{ from: yesterday, to: 2026-10-05T02:00:00Z }]', 'maintenance[0].from: must be a date and time'],
    ['maintenance: [{ from: 2026-10-05T02:00:00Z, to: 2026-10-05T01:00:00Z }]', 'maintenance[0].to: must be after from'],
    ['logons: [', 'YAML:'],
  ])('rejects %s naming the field', (yaml, message) => {
    let error: unknown;
    try {
      parseEvidenceConfig(yaml, 'evidence.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvidenceConfigError);
    expect((error as Error).message).toContain('evidence.yaml');
    expect((error as EvidenceConfigError).problems.join('\n')).toContain(message);
  });
});
