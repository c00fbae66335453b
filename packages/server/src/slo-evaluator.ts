// Evaluates the SLOs on a timer from the store's rollups, keeps the alert book, sends notifications,
// and exports SLI counts, budgets and burn rates to Prometheus. The maths lives in @wardwatch/slo;
// this is the edge with a clock, a store and the network.
import { Counter, Gauge } from 'prom-client';
import {
  AlertBook,
  burnRate,
  ALERT_FLOORS,
  errorBudgetRemaining,
  errorRatio,
  evaluateSlos,
  expandSlo,
  formatSloDuration,
  INDICATOR_SOURCES,
  SliLoader,
  parseSloDuration,
  SliCounter,
  SliTally,
  targetScopesOf,
  TRUST_SCOPE,
  type BurnRateEvaluation,
  type BurnRateRule,
  type Notifier,
  type SloDefinition,
} from '@wardwatch/slo';
import type { BudgetHistory, SloAlert } from '@wardwatch/schema';
import { RESOLUTION_MS, type AlertHistoryStore, type Resolution, type RollupStore } from '@wardwatch/store';
import type { MaintenanceHolds } from './maintenance-holds.ts';
import type { PipelineMetrics } from './metrics.ts';

export interface SloEvaluatorOptions {
  store: RollupStore;
  slos: readonly SloDefinition[];
  /** Burn-rate rules from the SLO file (default: the guide's multiwindow rules). */
  burnRateRules?: readonly BurnRateRule[];
  /** Event-time clock (the processor's notion of now; simulated in demo mode). */
  clock: () => number;
  metrics: PipelineMetrics;
  notifiers?: readonly Notifier[];
  /** Wall time between evaluations (default one minute). */
  intervalMs?: number;
  /**
   * How far behind event time a 1-minute window is final (the processor's watermark lag, one window
   * and the allowed lateness; default 2.5 minutes). Evaluations run as of that point, and the SLI
   * counters count only final windows, so they never go back.
   */
  settleMs?: number;
  onError?: (error: unknown, context: string) => void;
  /**
   * Where each alert is recorded as it fires and as it resolves: the incidents of the evidence pack,
   * kept past the alert book's day of resolved alerts and past a restart. None: memory only.
   */
  alertHistory?: AlertHistoryStore;
  /**
   * Alerts the history holds as still firing when the last process stopped (alertHistory.openAlerts()),
   * taken back at start so that each resolves, or goes on firing, as the same alert.
   */
  firing?: readonly SloAlert[];
  /**
   * The recorded maintenance windows, which hold the notifications of the alerts they cover
   * (maintenance-holds.ts). Given here, the first evaluation is held too; createApp gives an
   * evaluator without them the windows its screens mark.
   */
  holds?: MaintenanceHolds;
}

export type { BudgetHistory };

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** One resolution's rollups loaded for budget histories. */
interface HistoryLevel {
  counter: SliCounter;
  resolutionMs: number;
  /** Start of the range loaded (an hour boundary). */
  loadedFrom: number;
  /** Earliest and latest window start with valid events, per target scope. */
  earliest: Map<string, number>;
  latest: Map<string, number>;
}

/** Whether a level holds all of a scope's data from `from` on: loaded from there, or the data starts inside what was loaded. */
function covers(level: HistoryLevel, scope: string, from: number): boolean {
  return from >= level.loadedFrom || (level.earliest.get(scope) ?? -Infinity) >= level.loadedFrom + level.resolutionMs;
}

/**
 * Where a scope's data starts, for its budget chart: the earliest row of any level (the demo's
 * history, or history written from elsewhere, is hourly only and its minutes start later, so the
 * finest level's first row is not the data's start), told to the minute by a finer level whose first
 * row is in that hour; −∞ where even the hourly rows begin before they were loaded (data older than
 * the chart looks back); undefined without data.
 */
function dataStart(levels: readonly HistoryLevel[], hourly: HistoryLevel, scope: string): number | undefined {
  const starts = levels.map((l) => l.earliest.get(scope)).filter((t): t is number => t !== undefined);
  if (starts.length === 0) return undefined;
  if (!covers(hourly, scope, -Infinity)) return -Infinity;
  const earliest = Math.min(...starts);
  const hourEnd = earliest - (earliest % HOUR) + HOUR;
  return levels.find((l) => covers(l, scope, -Infinity) && l.earliest.get(scope)! < hourEnd)?.earliest.get(scope) ?? earliest;
}

/** Rollups loaded for budget histories at one evaluation time, for one rollup scope and metric. */
interface HistoryRollups {
  hourly: HistoryLevel;
  /** 1-minute, then 5-minute: the finest that covers a range is used. */
  fine: HistoryLevel[];
}

const ZERO = { good: 0, valid: 0 } as const;

export class SloEvaluator {
  readonly book: AlertBook;
  private latest: BurnRateEvaluation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly events: Counter<'slo' | 'scope'>;
  private readonly good: Counter<'slo' | 'scope'>;
  /** Per "slo|scope": what the SLI counters have counted of each recent minute. */
  private readonly tallies = new Map<string, SliTally>();
  private readonly budget: Gauge<'slo' | 'scope'>;
  private readonly burn: Gauge<'slo' | 'scope' | 'window'>;
  /** Rollups for budget histories, shared by the requests made at one evaluation time. */
  private historyAt = Number.NaN;
  private readonly historyRollups = new Map<string, Promise<HistoryRollups>>();
  private readonly evaluatedListeners = new Set<() => void>();

  /** The SLOs' counts, kept between evaluations. */
  private readonly sliLoader: SliLoader;

  /** Fired or resolved alerts not yet recorded in the history (a failed write is tried again next time). */
  private unrecorded: SloAlert[] = [];
  /** The recorded maintenance windows holding alerts' notifications (SloEvaluatorOptions.holds). */
  private maintenanceHolds: MaintenanceHolds | undefined;

  constructor(private readonly options: SloEvaluatorOptions) {
    this.sliLoader = new SliLoader(options.store);
    this.book = new AlertBook({}, options.firing?.length ? { firing: [...options.firing], resolved: [], silences: [] } : undefined);
    if (options.holds) this.holdDuring(options.holds);
    const registers = [options.metrics.registry];
    // Monotonic counters, advanced by the final 1-minute windows since the last evaluation: their
    // increase over any range equals the rollups' counts (the contract in docs/slo-guide.md).
    this.events = new Counter({ name: 'wardwatch_sli_events_total', help: 'Valid SLI events counted for the SLO indicator', labelNames: ['slo', 'scope'], registers });
    this.good = new Counter({ name: 'wardwatch_sli_good_events_total', help: 'Good SLI events counted for the SLO indicator', labelNames: ['slo', 'scope'], registers });
    this.budget = new Gauge({ name: 'wardwatch_slo_error_budget_remaining', help: 'Share of the error budget left over the SLO window', labelNames: ['slo', 'scope'], registers });
    this.burn = new Gauge({ name: 'wardwatch_slo_burn_rate', help: 'Burn rate per alerting window', labelNames: ['slo', 'scope', 'window'], registers });
  }

  /**
   * Evaluates at once (so /api/slos is not empty for the first interval), then on the timer. Resolves
   * once that first evaluation is done (it never rejects: a failed one is reported through onError).
   */
  start(): Promise<void> {
    const first = this.evaluateNow();
    this.timer = setInterval(() => void this.evaluateNow(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
    return first;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** The maintenance windows holding alerts' notifications, if any (GET /api/alerts lists them). */
  get holds(): MaintenanceHolds | undefined {
    return this.maintenanceHolds;
  }

  /** Holds the notifications of the alerts `holds`' windows cover, from the next evaluation on (and the alerts say so at once). */
  holdDuring(holds: MaintenanceHolds): void {
    this.maintenanceHolds = holds;
    this.book.holdWith(holds, this.options.clock());
  }

  /** Calls `listener` after each evaluation has updated the alert book; returns how to stop. */
  onEvaluated(listener: () => void): () => void {
    this.evaluatedListeners.add(listener);
    return () => this.evaluatedListeners.delete(listener);
  }

  evaluations(): BurnRateEvaluation[] {
    return this.latest;
  }

  now(): number {
    return this.options.clock();
  }

  private get settleMs(): number {
    return this.options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  /** The SLO definitions evaluated. */
  definitions(): readonly SloDefinition[] {
    return this.options.slos;
  }

  /** The target scopes of an SLO: those last evaluated, or for a fixed scope the one it names. */
  scopesOf(slo: SloDefinition): string[] {
    const evaluated = [...new Set(this.latest.filter((e) => e.slo === slo.name).map((e) => e.scope))];
    return evaluated.length > 0 ? evaluated.sort() : expandSlo(slo, []);
  }

  /**
   * The error budget left over the rolling SLO window at up to `points` times: the last is the last
   * evaluation's time, the first one window earlier or where the scope's data starts. Each point
   * counts the events in [t − window, t) with the slo package's SliCounter and budget maths, from
   * whole hourly rollups where they are stored and 1-minute (or 5-minute) rollups for the rest, so
   * a point never counts events after t; the last one counts the minutes not yet rolled up into an
   * hour as the evaluation's own figure does (SliCounter.counts), so the two routes give one budget.
   */
  async budgetHistory(slo: SloDefinition, scope: string, points: number): Promise<BudgetHistory> {
    const windowMs = parseSloDuration(slo.timeWindow.duration)!;
    const at = this.latest[0]?.at ?? this.options.clock() - (this.options.clock() % MINUTE);
    const kind = slo.indicator.kind;
    const rollups = await this.loadHistoryRollups(at, rollupPatternOf(scope), INDICATOR_SOURCES[kind].metric);
    const series: BudgetHistory['series'] = { t: [], budgetRemaining: [], burnRate1h: [], validEvents: [] };
    const levels = [...rollups.fine, rollups.hourly];
    const first = dataStart(levels, rollups.hourly, scope);
    let stepMs = MINUTE;
    if (first !== undefined) {
      // From the end of the first minute with data, or one window ago.
      const dataFrom = first === -Infinity ? -Infinity : first - (first % MINUTE) + MINUTE;
      const from = Math.min(at, Math.max(at - windowMs, dataFrom));
      stepMs = stepFor(at - from, points);
      // `at`, then back on the step's grid, so that older points fall on the boundaries of the
      // coarser rollups that count them.
      const times = [at];
      for (let t = at - (at % stepMs); t >= from && times.length < points; t -= stepMs) if (t < at) times.push(t);
      times.reverse();
      const lastHour = (rollups.hourly.latest.get(scope) ?? -Infinity) + HOUR;
      const counts = (level: HistoryLevel, from: number, to: number) => (to > from ? level.counter.counts(scope, kind, from, to) : ZERO);
      const fine = (from: number, to: number) => {
        const level = rollups.fine.find((l) => covers(l, scope, from)) ?? rollups.hourly;
        return counts(level, from, to);
      };
      // Whole hours with a stored hourly rollup from it; the partial hours at either end, and the
      // hours not rolled up yet, from the finer rollups.
      const count = (from: number, to: number) => {
        const a = Math.min(from + ((HOUR - (from % HOUR)) % HOUR), to);
        const b = Math.max(a, Math.min(to - (to % HOUR), lastHour));
        const parts = [fine(from, a), counts(rollups.hourly, a, b), fine(b, to)];
        return { good: parts.reduce((n, p) => n + p.good, 0), valid: parts.reduce((n, p) => n + p.valid, 0) };
      };
      for (const t of times) {
        const total = count(t - windowMs, t);
        const hour = count(t - HOUR, t);
        series.t.push(t / 1000);
        series.budgetRemaining.push(errorBudgetRemaining(total.good, total.valid, slo.objective));
        series.burnRate1h.push(hour.valid > 0 ? burnRate(errorRatio(hour.good, hour.valid), slo.objective) : null);
        series.validEvents.push(total.valid);
      }
    }
    return { slo: slo.name, scope, indicator: kind, objective: slo.objective, window: formatSloDuration(windowMs), windowMs, at, stepMs, series };
  }

  /**
   * Rollups of one rollup scope pattern and metric for histories ending at `at`, loaded once per
   * evaluation time and kept one counter per resolution (so that each range is counted from a
   * resolution known to cover it): hourly over two of the longest SLO windows (the first point
   * looks back a whole window), 5-minute over three days and 1-minute over seven hours (the recent
   * points and their 1-hour burn rates), each from an hour boundary.
   */
  private loadHistoryRollups(at: number, scope: string, metric: string): Promise<HistoryRollups> {
    if (at !== this.historyAt) {
      this.historyAt = at;
      this.historyRollups.clear();
    }
    const key = `${scope}\u0000${metric}`;
    let loading = this.historyRollups.get(key);
    if (!loading) {
      const longest = Math.max(...this.options.slos.map((s) => parseSloDuration(s.timeWindow.duration)!));
      const level = async (resolution: Resolution, span: number): Promise<HistoryLevel> => {
        const loadedFrom = at - span - ((at - span) % HOUR);
        const records = await this.options.store.query({ scope, metric, resolution, from: loadedFrom, to: at, countsOnly: true });
        const earliest = new Map<string, number>();
        const latest = new Map<string, number>();
        for (const record of records) {
          if (record.valid <= 0) continue;
          for (const target of targetScopesOf(record.scope)) {
            if (record.start < (earliest.get(target) ?? Infinity)) earliest.set(target, record.start);
            if (record.start > (latest.get(target) ?? -Infinity)) latest.set(target, record.start);
          }
        }
        return { counter: new SliCounter(records), resolutionMs: RESOLUTION_MS[resolution], loadedFrom, earliest, latest };
      };
      loading = (async () => {
        const fine = [await level('1m', 7 * HOUR), await level('5m', 3 * DAY + HOUR)];
        return { hourly: await level('1h', 2 * longest), fine };
      })();
      loading.catch(() => this.historyRollups.delete(key));
      this.historyRollups.set(key, loading);
    }
    return loading;
  }

  /** One evaluation; overlapping calls share the one under way. */
  evaluateNow(): Promise<void> {
    this.running ??= this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * One evaluation begun after any under way has finished, so it reads everything stored before the
   * call (a stepped clock evaluates this way after each step, with no timer).
   */
  async evaluateAfterPending(): Promise<void> {
    while (this.running) await this.running;
    await this.evaluateNow();
  }

  private async evaluate(): Promise<void> {
    try {
      // Rollups exist only for final windows: evaluate as of the end of the last settled minute, so
      // every window — the 5-minute one too — holds complete minutes rather than an empty tail.
      const now = settledMinute(this.options.clock(), this.settleMs);
      // Read again only where rollups were written since the last evaluation (SliLoader): re-reading
      // every window of the spans each minute took ~0.4 s of CPU for the default demo's 12 sites.
      const counter = await this.sliLoader.load(this.options.slos, now, this.options.burnRateRules);
      const evaluations = evaluateSlos(this.options.slos, counter, now, { ...ALERT_FLOORS, rules: this.options.burnRateRules });
      this.latest = evaluations;
      this.export(evaluations);
      this.count(evaluations, counter, now);
      const before = this.options.alertHistory ? new Map(this.book.firing().map((a) => [a.fingerprint, a])) : undefined;
      // Silences are judged by the clock, as GET /api/alerts judges them, not at the settled minute;
      // the maintenance windows once fresh (read again when 30 s old: another server may have recorded one).
      await this.maintenanceHolds?.settled();
      for (const notification of this.book.update(now, evaluations, this.options.clock())) {
        for (const notifier of this.options.notifiers ?? []) {
          notifier.send(notification).catch((error) => this.options.onError?.(error, `notifier ${notifier.name}`));
        }
      }
      if (before) await this.recordTransitions(now, before);
      for (const listener of this.evaluatedListeners) listener();
    } catch (error) {
      this.options.onError?.(error, 'SLO evaluation');
    }
  }

  /**
   * Records each alert that fired, was held after its rules stopped (or burnt again), or resolved in
   * the evaluation at `now`, as it now stands: a restarted server takes back a held alert with its
   * hold, which ends when it would have, not ten minutes after the restart.
   */
  private async recordTransitions(now: number, before: ReadonlyMap<string, SloAlert>): Promise<void> {
    this.unrecorded.push(
      ...this.book.firing().filter((a) => before.get(a.fingerprint)?.startsAt !== a.startsAt || before.get(a.fingerprint)?.clearingSince !== a.clearingSince),
      ...this.book.resolved().filter((a) => a.endsAt === now && before.get(a.fingerprint)?.startsAt === a.startsAt),
    );
    while (this.unrecorded.length > 0) {
      try {
        await this.options.alertHistory!.recordAlert(this.unrecorded[0]!);
      } catch (error) {
        this.options.onError?.(error, 'recording alerts in the store (tried again at the next evaluation)');
        return;
      }
      this.unrecorded.shift();
    }
  }

  /**
   * Advances the SLI counters by the 1-minute rollups the store holds now and did not at the last
   * evaluation, and by what corrections added to those it did (SliTally): where a processor lags,
   * its minutes are counted when written, not passed over as empty for good.
   */
  private count(evaluations: readonly BurnRateEvaluation[], counter: SliCounter, now: number): void {
    const settled = now; // already settled: see evaluate()
    for (const e of evaluations) {
      const key = `${e.slo}|${e.scope}`;
      const tally = this.tallies.get(key);
      if (!tally) {
        this.tallies.set(key, new SliTally(settled)); // counting starts with this process
        continue;
      }
      const counts = tally.step(counter, e.scope, e.indicator, settled);
      const labels = { slo: e.slo, scope: e.scope };
      this.events.inc(labels, counts.valid);
      this.good.inc(labels, counts.good);
    }
  }

  private export(evaluations: readonly BurnRateEvaluation[]): void {
    for (const gauge of [this.budget, this.burn]) gauge.reset();
    for (const e of evaluations) {
      const labels = { slo: e.slo, scope: e.scope };
      this.budget.set(labels, e.budget.remaining);
      for (const w of e.windows) this.burn.set({ ...labels, window: w.window }, w.burnRate);
    }
  }
}

/**
 * A 1-minute window is final once the watermark (event time minus its lag) has passed its end plus
 * the allowed lateness: with the processor's defaults, 30 s + 1 min + 1 min behind the clock.
 */
export const DEFAULT_SETTLE_MS = 30_000 + 60_000 + 60_000;

/** The end of the last minute whose rollups are final at `clock`. */
export function settledMinute(clock: number, settleMs: number): number {
  return Math.floor((clock - settleMs) / MINUTE) * MINUTE;
}

/**
 * Time between points for `spanMs` in at most `points` points, on the boundaries of the rollups that
 * count the older points: whole minutes within the 1-minute rollups loaded (6 hours), 5 minutes
 * within the 5-minute ones (3 days), whole hours beyond.
 */
function stepFor(spanMs: number, points: number): number {
  const unit = spanMs <= 6 * HOUR ? MINUTE : spanMs <= 3 * DAY ? 5 * MINUTE : HOUR;
  return Math.max(1, Math.ceil(spanMs / Math.max(1, points - 1) / unit)) * unit;
}

/** The stored rollup scopes (RollupQuery syntax) a target scope is counted from. */
function rollupPatternOf(scope: string): string {
  if (scope === TRUST_SCOPE) return 'site:*';
  if (scope.startsWith('app:')) return 'siteapp:*';
  return scope; // site:<id>
}
