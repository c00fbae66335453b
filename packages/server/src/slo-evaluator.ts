// Evaluates the SLOs on a timer from the store's rollups, keeps the alert book, sends notifications,
// and exports SLI counts, budgets and burn rates to Prometheus. The maths lives in @wardwatch/slo;
// this is the edge with a clock, a store and the network.
import { Counter, Gauge } from 'prom-client';
import { AlertBook, evaluateSlos, loadSliCounter, type BurnRateEvaluation, type BurnRateRule, type Notifier, type SliCounter, type SloDefinition } from '@wardwatch/slo';
import type { RollupStore } from '@wardwatch/store';
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
   * How far behind event time a 1-minute window is final (the processor's allowed lateness plus one
   * window; default 6 minutes). The SLI counters count only final windows, so they never go back.
   */
  settleMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export class SloEvaluator {
  readonly book = new AlertBook();
  private latest: BurnRateEvaluation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly events: Counter<'slo' | 'scope'>;
  private readonly good: Counter<'slo' | 'scope'>;
  /** Per "slo|scope": event time up to which final windows have been counted. */
  private readonly countedUntil = new Map<string, number>();
  private readonly budget: Gauge<'slo' | 'scope'>;
  private readonly burn: Gauge<'slo' | 'scope' | 'window'>;

  constructor(private readonly options: SloEvaluatorOptions) {
    const registers = [options.metrics.registry];
    // Monotonic counters, advanced by the final 1-minute windows since the last evaluation: their
    // increase over any range equals the rollups' counts (the contract in docs/slo-guide.md).
    this.events = new Counter({ name: 'wardwatch_sli_events_total', help: 'Valid SLI events counted for the SLO indicator', labelNames: ['slo', 'scope'], registers });
    this.good = new Counter({ name: 'wardwatch_sli_good_events_total', help: 'Good SLI events counted for the SLO indicator', labelNames: ['slo', 'scope'], registers });
    this.budget = new Gauge({ name: 'wardwatch_slo_error_budget_remaining', help: 'Share of the error budget left over the SLO window', labelNames: ['slo', 'scope'], registers });
    this.burn = new Gauge({ name: 'wardwatch_slo_burn_rate', help: 'Burn rate per alerting window', labelNames: ['slo', 'scope', 'window'], registers });
  }

  /** Evaluates at once (so /api/slos is not empty for the first interval), then on the timer. */
  start(): void {
    void this.evaluateNow();
    this.timer = setInterval(() => void this.evaluateNow(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  evaluations(): BurnRateEvaluation[] {
    return this.latest;
  }

  now(): number {
    return this.options.clock();
  }

  /** One evaluation; overlapping calls share the one under way. */
  evaluateNow(): Promise<void> {
    this.running ??= this.evaluate().finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluate(): Promise<void> {
    try {
      const now = this.options.clock();
      const counter = await loadSliCounter(this.options.store, this.options.slos, now);
      const evaluations = evaluateSlos(this.options.slos, counter, now, { minValidEvents: 10, rules: this.options.burnRateRules });
      this.latest = evaluations;
      this.export(evaluations);
      this.count(evaluations, counter, now);
      for (const notification of this.book.update(now, evaluations)) {
        for (const notifier of this.options.notifiers ?? []) {
          notifier.send(notification).catch((error) => this.options.onError?.(error, `notifier ${notifier.name}`));
        }
      }
    } catch (error) {
      this.options.onError?.(error, 'SLO evaluation');
    }
  }

  private count(evaluations: readonly BurnRateEvaluation[], counter: SliCounter, now: number): void {
    const settled = Math.floor((now - (this.options.settleMs ?? 6 * 60_000)) / 60_000) * 60_000;
    for (const e of evaluations) {
      const key = `${e.slo}|${e.scope}`;
      const from = this.countedUntil.get(key) ?? settled; // counting starts with this process
      if (settled < from) continue;
      const counts = counter.counts(e.scope, e.indicator, from, settled);
      const labels = { slo: e.slo, scope: e.scope };
      this.events.inc(labels, counts.valid);
      this.good.inc(labels, counts.good);
      this.countedUntil.set(key, settled);
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
