import { describe, expect, it } from 'vitest';
import { alertThreshold, budgetConsumed, burnRate, errorBudgetRemaining, errorRatio } from './burn-math.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('errorRatio', () => {
  it.each([
    [990, 1000, 0.01],
    [1000, 1000, 0],
    [0, 50, 1],
    [0, 0, 0],
    [3, 4, 0.25],
  ])('good %d of %d → %d', (good, valid, expected) => {
    expect(errorRatio(good, valid)).toBeCloseTo(expected, 12);
  });
});

describe('burnRate', () => {
  it.each([
    // error ratio, objective, burn (hand-computed: ratio / (1 − objective))
    [0.001, 0.999, 1],
    [0.0144, 0.999, 14.4],
    [0.01, 0.99, 1],
    [0.05, 0.99, 5],
    [0.06, 0.95, 1.2],
    [0.025, 0.995, 5],
    [0, 0.995, 0],
  ])('ratio %d at objective %d → %d', (ratio, objective, expected) => {
    expect(burnRate(ratio, objective)).toBeCloseTo(expected, 9);
  });
});

describe('errorBudgetRemaining', () => {
  it.each([
    // good, valid, objective, remaining: allowed bad = (1 − objective) × valid
    [10_000, 10_000, 0.99, 1], // nothing spent
    [9_950, 10_000, 0.99, 0.5], // 50 bad of 100 allowed
    [9_900, 10_000, 0.99, 0], // exactly spent
    [9_800, 10_000, 0.99, -1], // overspent twice over
    [995, 1_000, 0.995, 0], // 5 of 5
    [998, 1_000, 0.995, 0.6], // 2 of 5
    [0, 0, 0.99, 1], // no events
  ])('%d good of %d at %d → %d', (good, valid, objective, expected) => {
    expect(errorBudgetRemaining(good, valid, objective)).toBeCloseTo(expected, 9);
  });
});

describe('alertThreshold', () => {
  it.each([
    [14.4, 0.999, 0.0144],
    [6, 0.999, 0.006],
    [3, 0.999, 0.003],
    [1, 0.999, 0.001],
    [14.4, 0.99, 0.144],
    [6, 0.95, 0.3],
  ])('burn %d at %d → error ratio %d', (burn, objective, expected) => {
    expect(alertThreshold(burn, objective)).toBeCloseTo(expected, 12);
  });
});

describe('budgetConsumed', () => {
  it.each([
    [14.4, HOUR, 30 * DAY, 0.02], // SRE workbook: 2 % in an hour
    [6, 6 * HOUR, 30 * DAY, 0.05], // 5 % in six hours
    [1, 3 * DAY, 30 * DAY, 0.1], // 10 % in three days
    [3, DAY, 30 * DAY, 0.1],
  ])('burn %d over %d ms of %d ms → %d', (burn, window, sloWindow, expected) => {
    expect(budgetConsumed(burn, window, sloWindow)).toBeCloseTo(expected, 12);
  });
});
