// The I/O edge of evaluation: which rollups to fetch for a set of SLOs, and fetching them.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { hasRollupChangeLog, ROLLUP_CHANGES_KEPT_MS, ROLLUP_CHANGES_OVERLAP_MS, type Resolution, type RollupQuery, type RollupStore } from '@wardwatch/store';
import { BURN_RATE_RULES, type BurnRateRule } from './burn-rate-rules.ts';
import type { SloDefinition } from './definition.ts';
import { parseSloDuration } from './duration.ts';
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
  for (const slo of slos) need(parseSloDuration(slo.timeWindow.duration)!);
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
  return readInto(new SliCounter(), store, planRollupQueries(slos, now, rules));
}

/** The span of windows one read covers (readInto). */
const READ_SLICE_MS = 86_400_000;

/**
 * Adds the rollups `queries` find to `counter`, and returns it. A day of windows a read, the thread
 * given a turn between: a first load reads every window of the spans, and SQLite answers on the
 * server's thread — a 125-site store's 28 days (504,000 rows) held it 3.5 s at once.
 */
async function readInto(counter: SliCounter, store: Pick<RollupStore, 'query'>, queries: readonly RollupQuery[]): Promise<SliCounter> {
  for (const query of queries) {
    for (let from = query.from; from < query.to; from += READ_SLICE_MS) {
      // Counts only: the SLO arithmetic reads no distributions, and sketches are most of the bytes.
      counter.add(await store.query({ ...query, from, to: Math.min(query.to, from + READ_SLICE_MS), countsOnly: true }));
      await nextTurn();
    }
  }
  return counter;
}

/**
 * The SLOs' counts kept from one evaluation to the next. Each load reads again only what may have
 * changed — by the store's log of recent writes (RollupChangeLog), from the earliest window written
 * at each resolution since the last load, and at least the windows that have come into the spans
 * since — instead of every window of the spans (a 28-day budget's hours, three days of 5-minute
 * windows, six hours of minutes, for every site and site application, each minute). What it gives is
 * what loadSliCounter would read at that moment. It reads everything whenever the store keeps no such
 * log, the SLOs or rules change what is read, or the clock goes back.
 */
export class SliLoader {
  private counter: SliCounter | undefined;
  /** The shape of the last load's queries (scope, metric, resolution, span) and where they ended. */
  private shape = '';
  private loadedTo = -Infinity;
  /** The store's clock at the last load's look at its log. */
  private changesAt = -Infinity;
  /** The log's entries that look saw: their changes are read, and left out when the next look meets them again. */
  private knownChanges: ReadonlySet<number> = new Set();

  constructor(private readonly store: Pick<RollupStore, 'query'>) {}

  async load(slos: readonly SloDefinition[], now: number, rules: readonly BurnRateRule[] = BURN_RATE_RULES): Promise<SliCounter> {
    const queries = planRollupQueries(slos, now, rules);
    const shape = JSON.stringify(queries.map((q) => [q.scope, q.metric, q.resolution, q.to - q.from]));
    const to = queries[0]?.to ?? now;
    // The log before the rows: a write after this look is in the rows read below or in the next look.
    const changes = hasRollupChangeLog(this.store) ? await this.store.rollupChanges(this.changesAt - ROLLUP_CHANGES_OVERLAP_MS, this.knownChanges) : undefined;
    let counter = this.counter;
    // A look a day after the last may have missed entries the log has let go since: everything again.
    const logLetGo = changes !== undefined && changes.at - this.changesAt >= ROLLUP_CHANGES_KEPT_MS - ROLLUP_CHANGES_OVERLAP_MS;
    if (!changes || !counter || shape !== this.shape || to < this.loadedTo || logLetGo) {
      counter = await readInto(new SliCounter(), this.store, queries);
    } else {
      // Per resolution: read again from the earliest window written since the last look, and from
      // where the last load ended (windows that have come into the spans); the whole span where a
      // prune cut into it.
      const readFrom = new Map<Resolution, number>();
      for (const query of queries) {
        const pruned = (changes.deletedBefore[query.resolution] ?? -Infinity) > query.from;
        const changed = pruned ? -Infinity : (changes.from[query.resolution] ?? Infinity);
        readFrom.set(query.resolution, Math.max(query.from, Math.min(changed, this.loadedTo)));
        counter.keepWithin(query.resolution, query.from, readFrom.get(query.resolution)!);
      }
      await readInto(counter, this.store, queries.map((query) => ({ ...query, from: readFrom.get(query.resolution)! })));
    }
    this.counter = counter;
    this.shape = shape;
    this.loadedTo = to;
    if (changes) {
      this.changesAt = changes.at;
      this.knownChanges = new Set(changes.seen);
    }
    return counter;
  }
}
