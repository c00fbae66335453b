// The multiwindow, multi-burn-rate evaluator: burn rates per window and the rules firing, for one
// SLO on one target scope at a given time. Pure: counts and time are passed in.
import { burnRate, errorBudgetRemaining, errorRatio, alertThreshold } from './burn-math.ts';
import { BURN_RATE_RULES, type BurnRateRule } from './burn-rate-rules.ts';
import type { IndicatorKind, Severity, SloDefinition } from './definition.ts';
import { formatSloDuration, parseSloDuration } from './duration.ts';
import type { SliCounter, SliCounts } from './sli-counter.ts';
import { expandSlo } from './targets.ts';

/** Good and valid events of the SLO's scope over [from, to), epoch ms. */
export type CountsFn = (from: number, to: number) => SliCounts;

export interface WindowBurn {
  /** "5m", "1h", … */
  window: string;
  windowMs: number;
  from: number;
  to: number;
  good: number;
  valid: number;
  errorRatio: number;
  burnRate: number;
}

export interface RuleResult {
  rule: BurnRateRule;
  long: WindowBurn;
  short: WindowBurn;
  /** Error ratio at which the rule fires: burn × (1 − objective). */
  errorRatioThreshold: number;
  firing: boolean;
}

export interface BurnRateEvaluation {
  slo: string;
  scope: string;
  indicator: IndicatorKind;
  objective: number;
  at: number;
  /** Every window the rules use, shortest first. */
  windows: WindowBurn[];
  rules: RuleResult[];
  firing: BurnRateRule[];
  /** The most urgent severity firing, or null. */
  severity: Severity | null;
  /**
   * The budget over the SLO's window. `dataFrom`: the start of the earliest data in the window, where
   * the counter knows it (evaluateSlos) — later than the window's start on a young installation, whose
   * budget is then of less data than the window's length (budgetCoverage).
   */
  budget: { windowMs: number; good: number; valid: number; remaining: number; dataFrom?: number };
}

/**
 * How much of a budget's window its data covers, 0–1 (1 without `dataFrom`): a new installation's
 * first hour of a 28-day window is 1/672, and its budget is that hour's, however it reads.
 */
export function budgetCoverage(evaluation: Pick<BurnRateEvaluation, 'at' | 'budget'>): number {
  const { dataFrom, windowMs } = evaluation.budget;
  if (dataFrom === undefined) return 1;
  return Math.max(0, Math.min(1, (evaluation.at - Math.max(dataFrom, evaluation.at - windowMs)) / windowMs));
}

/**
 * The floors wardwatch's own alerts use (the SLO evaluator) and its Prometheus rules write alike: a
 * window with fewer valid events, or a rule's long window with fewer bad events, never burns.
 */
export const ALERT_FLOORS = { minValidEvents: 10, minBadEvents: 5 } as const;

export interface EvaluateOptions {
  rules?: readonly BurnRateRule[];
  /** A window with fewer valid events than this never counts as burning (one failed check at night is not a page). */
  minValidEvents?: number;
  /**
   * A rule's long window with fewer bad events than this never counts as burning: on a young
   * installation one failed check among a hundred is a 1 % error ratio, twice a 99.5 % budget, and
   * must not raise a ticket on its own. Real outages clear this floor within a minute.
   */
  minBadEvents?: number;
}

// 1 − 0.999 is 0.0010000000000000009 in binary floating point, so an error ratio of exactly
// 1.44 % would compute as burn 14.3999…; compare with a relative tolerance far below any real signal.
const TOLERANCE = 1e-9;

export function evaluateBurnRates(slo: SloDefinition, scope: string, counts: CountsFn, now: number, options: EvaluateOptions = {}): BurnRateEvaluation {
  const rules = options.rules ?? BURN_RATE_RULES;
  const minValid = Math.max(1, options.minValidEvents ?? 1);
  const byWindow = new Map<number, WindowBurn>();
  const windowBurn = (windowMs: number): WindowBurn => {
    let burn = byWindow.get(windowMs);
    if (!burn) {
      const from = now - windowMs;
      const { good, valid } = counts(from, now);
      const ratio = errorRatio(good, valid);
      burn = { window: formatSloDuration(windowMs), windowMs, from, to: now, good, valid, errorRatio: ratio, burnRate: burnRate(ratio, slo.objective) };
      byWindow.set(windowMs, burn);
    }
    return burn;
  };
  const minBad = options.minBadEvents ?? 0;
  const burning = (w: WindowBurn, rate: number) => w.valid >= minValid && w.burnRate >= rate * (1 - TOLERANCE);

  const results: RuleResult[] = rules.map((rule) => {
    const long = windowBurn(rule.longWindowMs);
    const short = windowBurn(rule.shortWindowMs);
    const firing = burning(long, rule.burnRate) && burning(short, rule.burnRate) && long.valid - long.good >= minBad;
    return { rule, long, short, errorRatioThreshold: alertThreshold(rule.burnRate, slo.objective), firing };
  });
  const firing = results.filter((r) => r.firing).map((r) => r.rule);
  const severity: Severity | null = firing.some((r) => r.severity === 'page') ? 'page' : firing.length > 0 ? 'ticket' : null;

  const budgetMs = parseSloDuration(slo.timeWindow.duration)!;
  const total = counts(now - budgetMs, now);
  return {
    slo: slo.name,
    scope,
    indicator: slo.indicator.kind,
    objective: slo.objective,
    at: now,
    windows: [...byWindow.values()].sort((a, b) => a.windowMs - b.windowMs),
    rules: results,
    firing,
    severity,
    budget: { windowMs: budgetMs, good: total.good, valid: total.valid, remaining: errorBudgetRemaining(total.good, total.valid, slo.objective) },
  };
}

/**
 * Evaluates every SLO on each of its target scopes ("*" selectors expand to the scopes the counter
 * has seen). `now` is aligned down to the minute so windows hold whole 1-minute rollups.
 */
export function evaluateSlos(slos: readonly SloDefinition[], counter: SliCounter, now: number, options: EvaluateOptions = {}): BurnRateEvaluation[] {
  const at = now - (now % 60_000);
  const known = counter.scopes();
  const evaluations: BurnRateEvaluation[] = [];
  for (const slo of slos) {
    for (const scope of expandSlo(slo, known)) {
      const evaluation = evaluateBurnRates(slo, scope, (from, to) => counter.counts(scope, slo.indicator.kind, from, to), at, options);
      const dataFrom = counter.dataSince(scope, slo.indicator.kind, at - evaluation.budget.windowMs, at);
      if (dataFrom !== undefined) evaluation.budget.dataFrom = dataFrom;
      evaluations.push(evaluation);
    }
  }
  return evaluations;
}
