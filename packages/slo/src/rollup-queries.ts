// The I/O edge of evaluation: which rollups to fetch for a set of SLOs, and fetching them.
import type { Resolution, RollupQuery, RollupStore } from '@wardwatch/store';
import { BURN_RATE_RULES, type BurnRateRule } from './burn-rate-rules.ts';
import type { SloDefinition } from './definition.ts';
import { parseDuration } from './duration.ts';
import { resolutionsFor, SliCounter } from './sli-counter.ts';
import { INDICATOR_SOURCES, ROLLUP_SCOPE_PATTERNS } from './targets.ts';

/** Rollup queries that cover every window of the rules and every SLO's budget window at `now`. */
export function planRollupQueries(slos: readonly SloDefinition[], now: number, rules: readonly BurnRateRule[] = BURN_RATE_RULES): RollupQuery[] {
  const at = now - (now % 60_000);
  const spans = new Map<Resolution, number>();
  const need = (windowMs: number) => {
    const resolution = resolutionsFor(windowMs)[0]!;
    spans.set(resolution, Math.max(spans.get(resolution) ?? 0, windowMs));
  };
  for (const rule of rules) {
    need(rule.longWindowMs);
    need(rule.shortWindowMs);
  }
  for (const slo of slos) need(parseDuration(slo.timeWindow.duration)!);
  const metrics = [...new Set(slos.map((s) => INDICATOR_SOURCES[s.indicator.kind].metric))].sort();
  const queries: RollupQuery[] = [];
  for (const [resolution, span] of spans) {
    for (const scope of ROLLUP_SCOPE_PATTERNS) {
      for (const metric of metrics) queries.push({ scope, metric, resolution, from: at - span, to: at });
    }
  }
  return queries;
}

/** Fetches the rollups the SLOs need from the store into a counter ready for evaluateSlos. */
export async function loadSliCounter(
  store: Pick<RollupStore, 'query'>,
  slos: readonly SloDefinition[],
  now: number,
  rules: readonly BurnRateRule[] = BURN_RATE_RULES,
): Promise<SliCounter> {
  const counter = new SliCounter();
  // Counts only: the SLO arithmetic reads no distributions, and sketches are most of the bytes.
  for (const query of planRollupQueries(slos, now, rules)) counter.add(await store.query({ ...query, countsOnly: true }));
  return counter;
}
