import { describe, expect, it } from 'vitest';
import type { SloDefinition } from './definition.ts';
import { budgetCoverage, evaluateBurnRates, evaluateSlos, type CountsFn } from './evaluate.ts';
import { dataSoFar } from './alert-book.ts';
import { SliCounter } from './sli-counter.ts';
import { formatSloDuration } from './duration.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0);

const SLO: SloDefinition = {
  name: 'epr-latency',
  description: '',
  scope: { kind: 'application', selector: 'epr' },
  indicator: { kind: 'latency' },
  objective: 0.999,
  timeWindow: { duration: '28d', isRolling: true },
  budgetingMethod: 'Occurrences',
};

/** Counts with a chosen error ratio per window length (10 000 events each), 0 elsewhere. */
function countsWith(ratios: Record<string, number>, valid = 10_000): CountsFn {
  return (from, to) => {
    expect(to).toBe(NOW);
    const ratio = ratios[formatSloDuration(to - from)] ?? 0;
    return { valid, good: Math.round(valid * (1 - ratio)) };
  };
}

describe('evaluateBurnRates at 99.9 %', () => {
  it.each([
    ['no errors', {}, [], null],
    ['1.44 % over 1 h and 5 m (exactly 14.4×)', { '1h': 0.0144, '5m': 0.0144 }, ['page 14.4'], 'page'],
    ['1 h burning but 5 m recovered', { '1h': 0.02, '5m': 0.001 }, [], null],
    ['a 5-minute blip only', { '1h': 0.001, '5m': 0.05 }, [], null],
    ['just under 14.4× over 1 h', { '1h': 0.0143, '5m': 0.05 }, [], null],
    ['0.6 % over 6 h and 30 m', { '6h': 0.006, '30m': 0.007 }, ['page 6'], 'page'],
    ['0.3 % over 1 d and 2 h', { '1d': 0.003, '2h': 0.004 }, ['ticket 3'], 'ticket'],
    ['0.1 % over 3 d and 6 h', { '3d': 0.001, '6h': 0.001 }, ['ticket 1'], 'ticket'],
    ['2 % everywhere', { '5m': 0.02, '30m': 0.02, '1h': 0.02, '2h': 0.02, '6h': 0.02, '1d': 0.02, '3d': 0.02 }, ['page 14.4', 'page 6', 'ticket 3', 'ticket 1'], 'page'],
  ] as const)('%s', (_case, ratios, expected, severity) => {
    const result = evaluateBurnRates(SLO, 'app:epr', countsWith(ratios), NOW);
    expect(result.firing.map((r) => `${r.severity} ${r.burnRate}`)).toEqual(expected);
    expect(result.severity).toBe(severity);
  });

  it('reports burn rate per window, shortest first, and the error-ratio threshold of each rule', () => {
    const result = evaluateBurnRates(SLO, 'app:epr', countsWith({ '1h': 0.0144, '5m': 0.002 }), NOW);
    expect(result.windows.map((w) => w.window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(result.windows.find((w) => w.window === '1h')!.burnRate).toBeCloseTo(14.4, 9);
    expect(result.windows.find((w) => w.window === '5m')!.burnRate).toBeCloseTo(2, 9);
    expect(result.windows[0]!.from).toBe(NOW - 300_000);
    expect(result.rules.map((r) => r.errorRatioThreshold)).toEqual([
      expect.closeTo(0.0144, 12),
      expect.closeTo(0.006, 12),
      expect.closeTo(0.003, 12),
      expect.closeTo(0.001, 12),
    ]);
  });

  it('reports the budget left over the rolling window', () => {
    const result = evaluateBurnRates(SLO, 'app:epr', countsWith({ '28d': 0.0004 }), NOW);
    expect(result.budget).toEqual({ windowMs: 28 * 86_400_000, good: 9_996, valid: 10_000, remaining: expect.closeTo(0.6, 9) });
  });

  it('does not fire on windows with fewer valid events than minValidEvents', () => {
    const counts = countsWith({ '1h': 0.5, '5m': 0.5 }, 4);
    expect(evaluateBurnRates(SLO, 'app:epr', counts, NOW).severity).toBe('page');
    expect(evaluateBurnRates(SLO, 'app:epr', counts, NOW, { minValidEvents: 5 }).severity).toBeNull();
  });

  it('does not fire on a long window with fewer bad events than minBadEvents', () => {
    // One failure in 200 checks: a 0.5 % error ratio burns a 99.9 % budget at 5×, but it is one check.
    const counts = countsWith({ '3d': 0.005, '6h': 0.005, '1d': 0.005, '2h': 0.005 }, 200);
    expect(evaluateBurnRates(SLO, 'app:epr', counts, NOW).severity).toBe('ticket');
    expect(evaluateBurnRates(SLO, 'app:epr', counts, NOW, { minBadEvents: 2 }).severity).toBeNull();
    expect(evaluateBurnRates(SLO, 'app:epr', countsWith({ '3d': 0.01, '6h': 0.01, '1d': 0.01, '2h': 0.01 }, 200), NOW, { minBadEvents: 2 }).severity).toBe('ticket');
  });

  it('uses a configured rule table', () => {
    const rules = [{ severity: 'ticket' as const, burnRate: 2, longWindow: '2h', shortWindow: '10m', longWindowMs: 7_200_000, shortWindowMs: 600_000 }];
    const result = evaluateBurnRates(SLO, 'app:epr', countsWith({ '2h': 0.002, '10m': 0.003 }), NOW, { rules });
    expect(result.windows.map((w) => w.window)).toEqual(['10m', '2h']);
    expect(result.firing).toEqual(rules);
  });
});

describe('a budget of the data so far (a new installation)', () => {
  const SITE_SLO: SloDefinition = { ...SLO, name: 'site-app-latency', scope: { kind: 'site', selector: 'S1' }, objective: 0.99 };
  const minutes = (from: number, count: number, bad: number) =>
    Array.from({ length: count }, (_, i) => ({ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m' as const, start: from + i * 60_000, count: 100, valid: 100, good: 100, fast: 100 - bad, sketch: new Uint8Array() }));

  it.each([
    ['an hour of data, 5 % slow', 60, 60, 5, 1 / 672, -4, ', on the 1 h of data so far'],
    ['ten minutes', 10, 10, 5, 10 / (28 * 24 * 60), -4, ', on the 10 min of data so far'],
    ['four weeks of data, 0.5 % slow', 28 * 24 * 60, 28 * 24 * 60, 0.5, 1, 0.5, ''],
  ] as const)('%s: the budget says how much of its window the data covers', (_case, minutesBack, count, badPerMinute, coverage, remaining, said) => {
    const at = NOW;
    const counter = new SliCounter(minutes(at - minutesBack * 60_000, count, badPerMinute));
    const [evaluation] = evaluateSlos([SITE_SLO], counter, at);
    expect(evaluation!.budget.dataFrom).toBe(at - minutesBack * 60_000);
    expect(evaluation!.budget.remaining).toBeCloseTo(remaining, 6);
    expect(budgetCoverage(evaluation!)).toBeCloseTo(coverage, 9);
    expect(dataSoFar(evaluation!)).toBe(said);
  });

  it('a budget without a known start covers its window (evaluateBurnRates alone)', () => {
    const evaluation = evaluateBurnRates(SLO, 'app:epr', countsWith({}), NOW);
    expect(evaluation.budget.dataFrom).toBeUndefined();
    expect(budgetCoverage(evaluation)).toBe(1);
    expect(dataSoFar(evaluation)).toBe('');
  });
});
