import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BURN_RATE_RULES } from './burn-rate-rules.ts';
import { DEFAULT_SLOS, loadSloFile, parseSloConfig, SloConfigError } from './config-file.ts';

const ONE = `
slos:
  - name: epr-latency
    scope: { kind: application, selector: epr }
    indicator: { kind: latency }
    objective: 0.99
`;

function problemsOf(text: string): string[] {
  try {
    parseSloConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SloConfigError);
    return (error as SloConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('parseSloConfig', () => {
  it('applies OpenSLO-like defaults: 28-day rolling window, Occurrences, default burn-rate table', () => {
    const { slos, burnRateRules } = parseSloConfig(ONE);
    expect(slos).toEqual([
      {
        name: 'epr-latency',
        description: '',
        scope: { kind: 'application', selector: 'epr' },
        indicator: { kind: 'latency' },
        objective: 0.99,
        timeWindow: { duration: '28d', isRolling: true },
        budgetingMethod: 'Occurrences',
      },
    ]);
    expect(burnRateRules).toBe(BURN_RATE_RULES);
  });

  it('reads a burn-rate table override', () => {
    const { burnRateRules } = parseSloConfig(`${ONE}
burnRateRules:
  - { severity: page, burnRate: 14, longWindow: 1h, shortWindow: 5m }
  - { severity: ticket, burnRate: 1, longWindow: 2d, shortWindow: 4h }
`);
    expect(burnRateRules.map((r) => [r.severity, r.burnRate, r.longWindowMs, r.shortWindowMs])).toEqual([
      ['page', 14, 3_600_000, 300_000],
      ['ticket', 1, 2 * 86_400_000, 4 * 3_600_000],
    ]);
  });

  it.each([
    ['objective above 1', ONE.replace('0.99', '1.5'), 'slos[0].objective: must be between 0 and 1 (exclusive); got 1.5'],
    ['objective of exactly 1', ONE.replace('0.99', '1'), 'slos[0].objective: must be between 0 and 1 (exclusive); got 1'],
    ['objective as text', ONE.replace('0.99', '"99%"'), 'slos[0].objective: must be a number between 0 and 1 (exclusive), e.g. 0.995; got "99%"'],
    ['unknown scope kind', ONE.replace('kind: application', 'kind: ward'), 'slos[0].scope.kind: must be one of trust, site, application; got "ward"'],
    ['unknown indicator', ONE.replace('kind: latency', 'kind: speed'), 'slos[0].indicator.kind: must be one of latency, logon, availability; got "speed"'],
    ['logon per application', ONE.replace('kind: latency', 'kind: logon'), 'slos[0].indicator.kind: logon SLIs have no application scope; use scope.kind site or trust; got "logon"'],
    ['missing selector', ONE.replace(', selector: epr', ''), 'slos[0].scope.selector: is required for a application scope: an id, or "*" for each application; missing'],
    ['bad name', ONE.replace('epr-latency', 'EPR latency'), 'slos[0].name: must be lower-case letters, digits and dashes, starting and ending with a letter or digit (at most 63); got "EPR latency"'],
    ['bad window', `${ONE}    timeWindow: { duration: 4 weeks }\n`, 'slos[0].timeWindow.duration: must be a duration such as "5m", "1h" or "28d" (the rolling window); got "4 weeks"'],
    ['window past the hourly rows', `${ONE}    timeWindow: { duration: 60d }\n`, 'slos[0].timeWindow.duration: must be at most 31d: SLIs are counted from hourly rollups, kept 62 days, and the budget\'s history looks back two windows; got "60d"'],
    ['calendar window', `${ONE}    timeWindow: { isRolling: false }\n`, 'slos[0].timeWindow.isRolling: must be true: only rolling windows are supported; got false'],
    ['timeslices', `${ONE}    budgetingMethod: Timeslices\n`, 'slos[0].budgetingMethod: must be "Occurrences": SLIs here count events; got "Timeslices"'],
    ['typo', `${ONE}    objectiv: 0.9\n`, 'slos[0]: unknown field "objectiv"; check the spelling'],
    ['no slos', 'slos: []', 'slos: must hold at least one SLO; got []'],
    ['no scope', 'slos:\n  - { name: a, indicator: { kind: availability }, objective: 0.9 }\n', 'slos[0].scope: must be a scope such as { kind: site, selector: "*" } (kind one of trust, site, application); missing'],
    ['indicator not an object', 'slos:\n  - { name: a, scope: { kind: trust }, indicator: availability, objective: 0.9 }\n', 'slos[0].indicator: must be an indicator such as { kind: logon } (kind one of latency, logon, availability); got "availability"'],
    ['missing selector beside a bad objective', ONE.replace(', selector: epr', '').replace('0.99', '1.5'), 'slos[0].scope.selector: is required for a application scope: an id, or "*" for each application; missing'],
    ['short ≥ long', `${ONE}burnRateRules:\n  - { severity: page, burnRate: 2, longWindow: 1h, shortWindow: 1h }\n`, 'burnRateRules[0].shortWindow: must be shorter than longWindow; got "1h"'],
  ])('names the field: %s', (_case, text, expected) => {
    expect(problemsOf(text)).toContain(expected);
  });

  it('names the third SLO as slos[2] and reports duplicates', () => {
    const text = `slos:\n${['a', 'b', 'a']
      .map((name, i) => `  - { name: ${name}, scope: { kind: trust }, indicator: { kind: availability }, objective: ${i === 2 ? 1.5 : 0.9} }`)
      .join('\n')}\n`;
    expect(problemsOf(text)).toEqual([
      'slos[2].objective: must be between 0 and 1 (exclusive); got 1.5',
      'slos[2].name: duplicates slos[0].name; SLO names must be unique; got "a"',
    ]);
    expect(problemsOf(text.replace('1.5', '0.5'))).toEqual(['slos[2].name: duplicates slos[0].name; SLO names must be unique; got "a"']);
  });

  it('lists every problem of a file at one reading: duplicates and window order beside the fields\' own', () => {
    const text = `slos:
  - { name: a, scope: { kind: trust }, indicator: { kind: availability }, objective: 0.9 }
  - { name: a, scope: { kind: ward }, indicator: { kind: latencyy }, objective: high }
burnRateRules:
  - { severity: page, burnRate: -1, longWindow: 5m, shortWindow: 1h }
  - { severity: critical, burnRate: 2, longWindow: 1x, shortWindow: 5m }
`;
    const problems = problemsOf(text);
    expect(problems).toContain('slos[1].objective: must be a number between 0 and 1 (exclusive), e.g. 0.995; got "high"');
    expect(problems).toContain('burnRateRules[1].longWindow: must be a duration such as "5m", "1h" or "28d" (the long window); got "1x"');
    expect(problems).toContain('slos[1].name: duplicates slos[0].name; SLO names must be unique; got "a"');
    expect(problems).toContain('burnRateRules[0].shortWindow: must be shorter than longWindow; got "1h"');
    expect(problems).toHaveLength(8);
  });

  it('reports YAML syntax errors as such', () => {
    expect(problemsOf('slos: [ {name: x')[0]).toMatch(/^YAML: /);
  });
});

describe('loadSloFile and DEFAULT_SLOS', () => {
  it('ships per-site app latency 99 %, logon 95 %, availability 99.5 % per site and per application', () => {
    expect(DEFAULT_SLOS.map((s) => [s.name, s.scope.kind, s.scope.selector, s.indicator.kind, s.objective, s.timeWindow.duration])).toEqual([
      ['site-app-latency', 'site', '*', 'latency', 0.99, '28d'],
      ['site-logon-latency', 'site', '*', 'logon', 0.95, '28d'],
      ['site-app-availability', 'site', '*', 'availability', 0.995, '28d'],
      ['app-availability', 'application', '*', 'availability', 0.995, '28d'],
    ]);
  });

  it('labels errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    const file = join(dir, 'slos.yaml');
    writeFileSync(file, ONE.replace('0.99', '2'));
    expect(() => loadSloFile(file)).toThrow(`${file}: invalid SLO configuration`);
    expect(() => loadSloFile(join(dir, 'absent.yaml'))).toThrow(/cannot read the file/);
  });
});
