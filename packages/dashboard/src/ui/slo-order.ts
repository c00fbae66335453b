// The SLO page's order and its "needing attention" view: the targets that page first, then those that
// ticket, then spent budgets, then low ones, the healthy last and those without data after them; in
// each, the least budget left first. Pure, so the order is table-tested.
import { budgetDataSpan, type SloSummary } from '@wardwatch/schema';

export type BudgetState = 'healthy' | 'low' | 'exhausted' | 'no-data';

/** Healthy at half the budget or more, low below half, exhausted at none left. */
export function budgetState(remaining: number, validEvents: number): BudgetState {
  if (validEvents <= 0) return 'no-data';
  if (remaining >= 0.5) return 'healthy';
  return remaining > 0 ? 'low' : 'exhausted';
}

/**
 * Said under a budget whose window the data covers only in part (a new installation): "Of the data
 * so far: 1 h of the 28d window." — a first hour's bad checks can overspend a 28-day budget many
 * times, and the figure must not read as four weeks'. Nothing at 90 % or more.
 */
export function coverageText(coverage: number, windowMs: number, window: string): string {
  const span = budgetDataSpan(coverage, windowMs);
  return span === null ? '' : `Of the data so far: ${span} of the ${window} window.`;
}

/** What a card's budget badge says: its state, except that a budget still above none says it is burning while an alert fires on it. */
export type BudgetBadge = BudgetState | 'burning-fast' | 'burning';

/**
 * The badge beside a target's budget. A page or ticket firing on a budget that is still healthy or
 * low says so: a green "Healthy" above a red page reads as two answers to one question.
 */
export function budgetBadge(state: BudgetState, severity: SloSummary['severity']): BudgetBadge {
  if (!severity || state === 'exhausted' || state === 'no-data') return state;
  return severity === 'page' ? 'burning-fast' : 'burning';
}

type Ranked = Pick<SloSummary, 'slo' | 'scope' | 'severity' | 'errorBudgetRemaining' | 'validEvents'>;

const STATE_RANK: Record<BudgetState, number> = { exhausted: 2, low: 3, healthy: 4, 'no-data': 5 };

/** Lower is more concerning: a page 0, a ticket 1, then by the budget's state. */
export function sloConcern(s: Ranked): number {
  if (s.severity === 'page') return 0;
  if (s.severity === 'ticket') return 1;
  return STATE_RANK[budgetState(s.errorBudgetRemaining, s.validEvents)];
}

/** Whether a target needs someone: an alert firing on it, or its budget low or spent. */
export const needsAttention = (s: Ranked): boolean => sloConcern(s) <= STATE_RANK.low;

/** Worst first (sloConcern, then the least budget left, then SLO and scope by name); a new array. */
export function worstSlosFirst<T extends Ranked>(list: readonly T[]): T[] {
  return [...list].sort(
    (a, b) => sloConcern(a) - sloConcern(b) || a.errorBudgetRemaining - b.errorBudgetRemaining || a.slo.localeCompare(b.slo) || a.scope.localeCompare(b.scope),
  );
}
