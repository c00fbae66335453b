// Error budget arithmetic (SRE workbook, event-based "Occurrences" budgeting). Pure functions.

/** Share of valid events that were bad; 0 when there were none (no events spend no budget). */
export function errorRatio(good: number, valid: number): number {
  if (valid <= 0) return 0;
  return (valid - good) / valid;
}

/** How many times faster than "exactly on budget" the budget burns: error ratio ÷ (1 − objective). */
export function burnRate(errorRatioValue: number, objective: number): number {
  return errorRatioValue / (1 - objective);
}

/**
 * Share of the rolling window's error budget left: 1 − bad ÷ ((1 − objective) × valid).
 * Negative once the budget is overspent; 1 with no events.
 */
export function errorBudgetRemaining(good: number, valid: number, objective: number): number {
  if (valid <= 0) return 1;
  return 1 - burnRate(errorRatio(good, valid), objective);
}

/** The error ratio at which a burn-rate rule fires: burn × (1 − objective) (1.44 % for 14.4 at 99.9 %). */
export function alertThreshold(burn: number, objective: number): number {
  return burn * (1 - objective);
}

/** Share of the whole budget spent when burning at `burn` for `windowMs` of an `sloWindowMs` window. */
export function budgetConsumed(burn: number, windowMs: number, sloWindowMs: number): number {
  return (burn * windowMs) / sloWindowMs;
}
