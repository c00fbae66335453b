import { describe, expect, it } from 'vitest';
import { budgetBadge, budgetState, needsAttention, sloConcern, worstSlosFirst, coverageText } from './slo-order.ts';

const target = (name: string, severity: 'page' | 'ticket' | null, errorBudgetRemaining: number, validEvents = 100) => ({ slo: name, scope: 'site:S1', severity, errorBudgetRemaining, validEvents });

describe('budgetState', () => {
  it.each([
    [0.9, 100, 'healthy'],
    [0.5, 100, 'healthy'],
    [0.49, 100, 'low'],
    [0.001, 100, 'low'],
    [0, 100, 'exhausted'],
    [-3.2, 100, 'exhausted'],
    [1, 0, 'no-data'],
  ])('%d left of %d events: %s', (remaining, valid, state) => {
    expect(budgetState(remaining, valid)).toBe(state);
  });
});

describe('budgetBadge', () => {
  it.each([
    ['healthy', null, 'healthy'],
    ['low', null, 'low'],
    ['healthy', 'page', 'burning-fast'],
    ['low', 'page', 'burning-fast'],
    ['healthy', 'ticket', 'burning'],
    ['low', 'ticket', 'burning'],
    ['exhausted', 'page', 'exhausted'],
    ['exhausted', null, 'exhausted'],
    ['no-data', null, 'no-data'],
  ] as const)('%s budget, %s firing: %s', (state, severity, badge) => {
    expect(budgetBadge(state, severity)).toBe(badge);
  });
});

describe('the SLO page’s order', () => {
  it.each([
    ['a page before a ticket, whatever their budgets', [target('b', 'ticket', -1), target('a', 'page', 0.9)], ['a', 'b']],
    ['a ticket before a spent budget that fires nothing', [target('b', null, -2), target('a', 'ticket', 0.6)], ['a', 'b']],
    ['spent, then low, then healthy, then no data', [target('h', null, 0.8), target('n', null, 1, 0), target('l', null, 0.2), target('x', null, -0.1)], ['x', 'l', 'h', 'n']],
    ['in one state, the least budget left first', [target('a', null, 0.9), target('b', null, 0.6), target('c', null, 0.7)], ['b', 'c', 'a']],
    ['ties by name', [target('b', null, 0.7), target('a', null, 0.7)], ['a', 'b']],
  ])('%s', (_, list, names) => {
    expect(worstSlosFirst(list).map((s) => s.slo)).toEqual(names);
    // The order follows the concern rank throughout.
    const ranks = worstSlosFirst(list).map(sloConcern);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  });

  it('needs attention: firing, spent or low; not healthy or without data', () => {
    expect([target('p', 'page', 0.9), target('t', 'ticket', 0.9), target('x', null, -1), target('l', null, 0.3), target('h', null, 0.6), target('n', null, 1, 0)].filter(needsAttention).map((s) => s.slo)).toEqual(['p', 't', 'x', 'l']);
  });
});

describe('coverageText', () => {
  const DAYS_28 = 28 * 86_400_000;
  it.each([
    [1 / 672, 'Of the data so far: 1 h of the 28d window.'],
    [10 / (28 * 24 * 60), 'Of the data so far: 10 min of the 28d window.'],
    [0.25, 'Of the data so far: 7 days of the 28d window.'],
    [0.899, 'Of the data so far: 25 days of the 28d window.'],
    [0.9, ''],
    [1, ''],
  ])('coverage %s', (coverage, text) => {
    expect(coverageText(coverage, DAYS_28, '28d')).toBe(text);
  });
});
