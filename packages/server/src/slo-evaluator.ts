// Evaluates the SLOs on a timer from the store's rollups, keeps the alert book, sends notifications,
// and exports SLI counts, budgets and burn rates to Prometheus. The maths lives in @wardwatch/slo;
// this is the edge with a clock, a store and the network.
import { Gauge } from 'prom-client';
import { AlertBook, evaluateSlos, loadSliCounter, type BurnRateEvaluation, type Notifier, type SloDefinition } from '@wardwatch/slo';
import type { RollupStore } from '@wardwatch/store';
import type { PipelineMetrics } from './metrics.ts';

export interface SloEvaluatorOptions {
  store: RollupStore;
  slos: readonly SloDefinition[];
  /** Event-time clock (the processor's notion of now; simulated in demo mode). */
  clock: () => number;
  metrics: PipelineMetrics;
  notifiers?: readonly Notifier[];
  /** Wall time between evaluations (default one minute). */
  intervalMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export class SloEvaluator {
  readonly book = new AlertBook();
  private latest: BurnRateEvaluation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly events: Gauge<'slo' | 'scope'>;
  private readonly good: Gauge<'slo' | 'scope'>;
  private readonly budget: Gauge<'slo' | 'scope'>;
  private readonly burn: Gauge<'slo' | 'scope' | 'window'>;

  constructor(private readonly options: SloEvaluatorOptions) {
    const registers = [options.metrics.registry];
    // Gauges over the rolling window rather than ever-growing counters: the values come from the
    // store's rollups, which a restart does not reset (see docs/slo-guide.md).
    this.events = new Gauge({ name: 'wardwatch_sli_events_total', help: 'Valid SLI events over the SLO window', labelNames: ['slo', 'scope'], registers });
    this.good = new Gauge({ name: 'wardwatch_sli_good_events_total', help: 'Good SLI events over the SLO window', labelNames: ['slo', 'scope'], registers });
    this.budget = new Gauge({ name: 'wardwatch_slo_error_budget_remaining', help: 'Share of the error budget left over the SLO window', labelNames: ['slo', 'scope'], registers });
    this.burn = new Gauge({ name: 'wardwatch_slo_burn_rate', help: 'Burn rate per alerting window', labelNames: ['slo', 'scope', 'window'], registers });
  }

  start(): void {
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
      const evaluations = evaluateSlos(this.options.slos, counter, now, { minValidEvents: 10 });
      this.latest = evaluations;
      this.export(evaluations);
      for (const notification of this.book.update(now, evaluations)) {
        for (const notifier of this.options.notifiers ?? []) {
          notifier.send(notification).catch((error) => this.options.onError?.(error, `notifier ${notifier.name}`));
        }
      }
    } catch (error) {
      this.options.onError?.(error, 'SLO evaluation');
    }
  }

  private export(evaluations: readonly BurnRateEvaluation[]): void {
    for (const gauge of [this.events, this.good, this.budget, this.burn]) gauge.reset();
    for (const e of evaluations) {
      const labels = { slo: e.slo, scope: e.scope };
      this.events.set(labels, e.budget.valid);
      this.good.set(labels, e.budget.good);
      this.budget.set(labels, e.budget.remaining);
      for (const w of e.windows) this.burn.set({ ...labels, window: w.window }, w.burnRate);
    }
  }
}
