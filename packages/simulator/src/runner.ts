// Drives a Simulator against a clock: real time (speed 1) or accelerated. The only part of the
// simulator with a clock in it.
import type { TelemetryEvent } from '@wardwatch/schema';
import type { Simulator } from './simulator.ts';

export interface SimulationRunnerOptions {
  simulator: Simulator;
  /** Simulated milliseconds per wall millisecond (default 1). */
  speed?: number;
  /** Simulated time at start (default: now). */
  startAt?: number;
  /** Wall time between two batches (default 250 ms). */
  tickMs?: number;
  sink: (events: TelemetryEvent[]) => Promise<void>;
  /** Wall clock (tests inject one). */
  now?: () => number;
  /** Told when the sink fails; the span is retried on the next tick. */
  onError?: (error: unknown) => void;
}

export class SimulationRunner {
  private readonly speed: number;
  private readonly now: () => number;
  private readonly startAt: number;
  private wallStart = 0;
  private generatedTo: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: SimulationRunnerOptions) {
    this.speed = options.speed ?? 1;
    this.now = options.now ?? Date.now;
    this.startAt = options.startAt ?? this.now();
    this.generatedTo = this.startAt;
  }

  get simulatedNow(): number {
    if (this.wallStart === 0) return this.startAt;
    return this.startAt + (this.now() - this.wallStart) * this.speed;
  }

  start(): void {
    if (this.timer) return;
    this.wallStart = this.now();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 250);
  }

  /** Generates and delivers everything up to the simulated now; skipped while a delivery is under way. */
  tick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const to = Math.floor(this.simulatedNow);
    if (to <= this.generatedTo) return Promise.resolve();
    // Large jumps (high speed, a stalled loop) go out in simulated-minute chunks.
    const run = (async () => {
      try {
        while (this.generatedTo < to) {
          const end = Math.min(to, this.generatedTo + 60_000);
          await this.options.sink(this.options.simulator.generate(this.generatedTo, end));
          this.generatedTo = end;
        }
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = run;
    return run;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Event time generated so far (exclusive). */
  get generatedUntil(): number {
    return this.generatedTo;
  }
}
