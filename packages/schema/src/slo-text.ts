// How an SLO's budget and burn rates are written wherever they are said: the SLO card, its burn-down's legend, the
// alerts table and the alert's summary (so its email and webhook). Pure and without zod, so the
// dashboard imports it without the validators.

/** Under this share of its window, a budget is said to be of the data so far (budgetCoverage). */
export const FULL_BUDGET_COVERAGE = 0.9;

/**
 * How much data a young budget is of, in words ("40 min", "5 h", "3 days"), or null once the data
 * covers FULL_BUDGET_COVERAGE of the window. The SLO card and the alert's summary both say it, so
 * they share these words.
 */
export function budgetDataSpan(coverage: number, windowMs: number): string | null {
  if (coverage >= FULL_BUDGET_COVERAGE) return null;
  const hours = (coverage * windowMs) / 3_600_000;
  return hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`;
}

/**
 * An error budget's share left as the SLO card, the alerts table and the alert's summary all write it:
 * one decimal ("82.9 %"), two within ten points of nothing ("4.25 %"), a true minus when overspent
 * ("−1081.7 %"). They wrote "−1081.7 %", "-1081.7 %" and "-1081.7 %" for one budget.
 */
export function budgetLeftText(remaining: number): string {
  return `${(remaining * 100).toFixed(Math.abs(remaining) < 0.1 ? 2 : 1).replace('-', '−')} %`;
}

/**
 * A burn rate as the SLO card's table and the alert's summary (so its email and webhook) both write it:
 * whole from 100× ("240×"), one decimal from 10× ("14.6×"), two below ("6.31×", "0.86×"), where a
 * ticket's 6.31× was "6.3×" in its summary beside "6.31×" on the card. The places follow the rounded
 * figure, so 99.96× reads "100×", not "100.0×".
 */
export function burnRateText(rate: number): string {
  return `${rate.toFixed(rate >= 99.95 ? 0 : rate >= 9.995 ? 1 : 2)}×`;
}

/**
 * What holds an alert's notifications, as the alerts table's row and the SLO card both say it after
 * its severity: " (planned maintenance)" for planned work, " (silenced)" for someone's silence, "" when
 * nothing does (SloAlert.silenceKind).
 */
export function heldByText(kind: 'silence' | 'maintenance' | undefined): string {
  return kind === 'maintenance' ? ' (planned maintenance)' : kind === 'silence' ? ' (silenced)' : '';
}
