// Drives a Simulator against a clock: real time (speed 1), accelerated, or stepped (simulated time
// moves only when the caller says, for tests). The only part of the simulator with a clock in it.
import type { TelemetryEvent } from '@wardwatch/schema';
import type { EventStream } from './event-stream.ts';
import type { Simulator } from './simulator.ts';

/** A simulated minute of 500,000 devices is 3.2 million events: the sink gets them this many at a time. */
const DEFAULT_BATCH_SIZE = 50_000;

/** A span being delivered: what is left of it, and the batch the sink is to get next. */
interface Delivery {
  to: number;
  events: EventStream;
  batch: TelemetryEvent[];
}

export interface SimulationRunnerOptions {
  simulator: Simulator;
  /** Simulated milliseconds per wall millisecond (default 1). */
  speed?: number;
  /**
   * Simulated time moves only by `advance(ms)`, never with the wall clock (`speed`, `startWall`,
   * `tickMs` and `now` are then unused, and `start()` is refused): a test steps it and knows what
   * has been generated whatever the machine's load.
   */
  stepped?: boolean;
  /** Simulated time at start (default: now). */
  startAt?: number;
  /**
   * Simulated time at which generation ends (exclusive; default never): nothing at or after it is
   * generated, however far ahead the clock runs (an accelerated run with a fixed length).
   */
  until?: number;
  /**
   * The wall time at which simulated time was `startAt` (default: when `start()` is called). A
   * caller that spends a while before starting (writing a backfill) passes the time it chose
   * `startAt`, so the simulated clock does not lag the wall by that while for the whole run.
   */
  startWall?: number;
  /** Wall time between two batches (default 250 ms). */
  tickMs?: number;
  /** Gets every span's events in time order: at least one call per span, at most `batchSize` events a call. */
  sink: (events: TelemetryEvent[]) => Promise<void>;
  /** Most events handed to the sink at once (default 50,000), so a large estate's minute is never held whole. */
  batchSize?: number;
  /** Wall clock (tests inject one). */
  now?: () => number;
  /** Told when the sink fails; the batch that failed is retried on the next tick, then the rest of its span. */
  onError?: (error: unknown) => void;
  /**
   * Told once each tick's span has been handed to the sink: every event before `to` has been given to
   * it — the last batch as soon as it is handed over, before the sink's promise settles (a sink that
   * keeps order, as the processor thread's messages do, gets the mark right behind the events, and
   * the two travel together instead of waiting a round trip for the answer). A consumer can show its
   * figures as of then, even where the span held no events for it. Not told for a tick whose sink
   * failed before its last batch.
   */
  delivered?: (to: number) => void;
}

export class SimulationRunner {
  private readonly speed: number;
  private readonly now: () => number;
  private readonly startAt: number;
  private readonly batchSize: number;
  private wallStart = 0;
  private delivery: Delivery | undefined;
  private generatedTo: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** The simulated now of a stepped runner. */
  private steppedNow: number;

  constructor(private readonly options: SimulationRunnerOptions) {
    this.speed = options.speed ?? 1;
    this.now = options.now ?? Date.now;
    this.startAt = options.startAt ?? this.now();
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.generatedTo = this.startAt;
    this.steppedNow = this.startAt;
  }

  get simulatedNow(): number {
    if (this.options.stepped) return this.steppedNow;
    if (this.wallStart === 0) return this.startAt;
    return this.startAt + (this.now() - this.wallStart) * this.speed;
  }

  start(): void {
    if (this.options.stepped) throw new Error('a stepped runner moves only by advance(ms); it has no timer to start');
    if (this.timer) return;
    this.wallStart = this.options.startWall ?? this.now();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 250);
  }

  /** Generates and delivers everything up to the simulated now; skipped while a delivery is under way. */
  tick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const to = Math.min(Math.floor(this.simulatedNow), this.options.until ?? Infinity);
    if (to <= this.generatedTo) return Promise.resolve();
    const run = (async () => {
      try {
        let marked = false;
        const mark = () => {
          marked = true;
          this.options.delivered?.(to);
        };
        await this.deliverUntil(to, mark);
        if (!marked) mark();
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = run;
    return run;
  }

  /**
   * A stepped runner's only way forward: simulated time moves on by `ms` at once, and the span's
   * events are delivered as `tick` delivers them; resolves once the sink has taken them all, rejects
   * with the sink's error (what failed is delivered first by the next call).
   */
  advance(ms: number): Promise<void> {
    if (!this.options.stepped) return Promise.reject(new Error('advance(ms) is for a runner made with stepped: true; this one follows the wall clock'));
    if (!(Number.isInteger(ms) && ms >= 0)) return Promise.reject(new RangeError(`advance(ms) takes whole milliseconds, 0 or more; got ${ms}`));
    if (this.inFlight) return Promise.reject(new Error('advance(ms) called while the previous step is still being delivered'));
    this.steppedNow += ms;
    const run = this.deliverUntil(Math.min(this.steppedNow, this.options.until ?? Infinity)).finally(() => (this.inFlight = undefined));
    this.inFlight = run.catch(() => {});
    return run;
  }

  /**
   * Delivers every event before `to` not yet delivered: large jumps a simulated minute at a time, each
   * in batches. `handed` is called as the last batch goes to the sink, when it is known to be the last
   * (shorter than a full batch), before the sink's promise settles.
   */
  private async deliverUntil(to: number, handed?: () => void): Promise<void> {
    while (this.generatedTo < to) {
      const delivery = (this.delivery ??= this.open(this.generatedTo, Math.min(to, this.generatedTo + 60_000)));
      do {
        const sent = this.options.sink(delivery.batch);
        if (handed && delivery.to >= to && delivery.batch.length < this.batchSize) {
          handed();
          handed = undefined;
        }
        await sent;
        delivery.batch = delivery.events.take(this.batchSize);
      } while (delivery.batch.length > 0);
      this.generatedTo = delivery.to;
      this.delivery = undefined;
    }
  }

  private open(from: number, to: number): Delivery {
    const events = this.options.simulator.stream(from, to);
    return { to, events, batch: events.take(this.batchSize) };
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
