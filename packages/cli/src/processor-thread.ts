// The embedded pipeline's processor, run in a worker thread so that whatever arrives (a burst, a
// batch of late corrections to merge) costs the processor's event loop and never the server's: the
// API and /healthz answer meanwhile. The worker (processor-worker.ts, running processor-core.ts)
// holds the in-process bus, the processor runtime and the store's writer; this side sends it records
// through a Producer (the same produce and dead-letter code as every other entry point), and applies
// what comes back — statuses to the board, counts to the metrics, the worker's spans to this thread's
// tracer. The messages are below. A small estate's processor runs the same code on this thread
// instead (`inThread`): the same messages, handed over without a copy or a second event loop.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { DeadLetter, LiveEdge, ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import type { OutgoingRecord, Producer } from '@wardwatch/transport';
import type { ProcessorConfig, RuntimeObserver } from '@wardwatch/processor';
import { StatusBoardFeed, type IngestSink, type PipelineMetrics, type StatusBoard } from '@wardwatch/server';
import { ingestSink, metricsObserver, produceTelemetry, reportInvalidStatus, type InvalidStatus, type TopicLayout } from './wiring.ts';
import { SpanMirror, tracingEnabled, type SpanMessage } from './span-relay.ts';
import { runProcessor, type ProcessorPort } from './processor-core.ts';

/** What the worker is started with (workerData). */
export interface ProcessorWorkerSetup {
  storeUrl: string;
  topics: TopicLayout;
  partitions: number;
  processor?: Partial<ProcessorConfig>;
  /** Byte budget of the in-memory dead-letter topic. */
  deadLetterRetainBytes: number;
  /** Least wall time between two checkpoints of a partition (ProcessorRuntimeOptions.checkpointIntervalMs). */
  checkpointIntervalMs?: number;
  /** Whether this process traces: the worker then sends its spans back to be recorded here. */
  tracing?: boolean;
  /**
   * The clock moves in steps (EmbeddedOptions.clock 'stepped'): no timer pushes idle partitions on;
   * each step ends with a `settle`, which does.
   */
  steppedClock?: boolean;
  /**
   * The source marks how far it has delivered (`delivered(to)`, the demo simulator's rounds at the wall
   * clock): live statuses are evaluated at those marks (ProcessorRuntime.statusesAtSourceMarks).
   */
  sourceMarks?: boolean;
  /**
   * The telemetry partitions this thread processes, when the pipeline runs several processor threads
   * (processor-threads.ts gives each a share and sends it only their records): its runtime leaves the
   * others' checkpoints alone. Unset: every partition.
   */
  ownedPartitions?: number[];
  /**
   * Whether this thread folds and prunes the store every hour (one thread of several does; default
   * true).
   */
  housekeeping?: boolean;
  /**
   * The main thread sends the event-time clock after the start (`setClock`: a demo, the stepped
   * clock): the store's housekeeping waits for it instead of judging by the wall clock meanwhile.
   */
  clockFollows?: boolean;
  /** The thread's name (default wardwatch-processor). */
  name?: string;
}

/**
 * The simulated clock, as the main thread's runner keeps it: `simulated` at wall time `wall`, running
 * at `speed` — 0 for a stepped clock, which stands at `simulated` until the next anchor.
 */
export interface ClockAnchor {
  simulated: number;
  wall: number;
  speed: number;
}

export type ToWorker =
  | { type: 'send'; id: number; topic: string; records: OutgoingRecord[] }
  | { type: 'clock'; anchor: ClockAnchor }
  /** Every event before `to` has been sent (ProcessorThread.delivered). */
  | { type: 'delivered'; to: number }
  /** Answered (`done`) once everything sent before it is processed, settled to the clock and its statuses posted. */
  | { type: 'settle'; id: number }
  | { type: 'stop' };

type BatchCounts = Parameters<NonNullable<RuntimeObserver['batch']>>[0];

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /**
   * What the worker's outbox gathered (worker-outbox.ts), applied in this order: batch counts summed,
   * consumer lags that moved, statuses and live edges read from the status topic, answers (`done`).
   */
  | {
      type: 'gathered';
      counts?: BatchCounts;
      lags?: Array<{ topic: string; partition: number; records: number }>;
      statuses?: ScopeStatus[];
      edges?: LiveEdge[];
      done?: Array<{ id: number; error?: string }>;
    }
  | ({ type: 'invalid-status' } & InvalidStatus)
  | { type: 'error'; message: string; context: string }
  | { type: 'dead-letters'; records: number; bytes: number; dropped: number }
  | SpanMessage
  | { type: 'stopped' };

export interface ProcessorThreadOptions extends ProcessorWorkerSetup {
  /**
   * Run the processor on this thread instead of a worker: the same messages, handed over in this
   * thread (nothing copied, no thread to wake) — the choice for a small estate, whose rounds cost less
   * than handing them to another thread (processor-threads.ts says when).
   */
  inThread?: boolean;
  log: Logger;
  metrics: PipelineMetrics;
  board: StatusBoard;
  /** What feeds the board (default one of its own): threads of one pipeline share one. */
  feed?: StatusBoardFeed;
}

const WORKER_ENTRY = new URL('./processor-worker.mjs', import.meta.url);

/** What ProcessorThread needs of a worker: a Worker, or the processor on this thread (LocalProcessor). */
type ProcessorHost = Pick<Worker, 'postMessage' | 'terminate'> & Pick<EventEmitter, 'on'>;

/**
 * The processor on this thread, behind a Worker's face: messages each way are handed over after the
 * current task, in order, as a worker's are — nothing copied (neither side keeps or changes what it
 * has sent). An error thrown out of the processor's message handler ends it as it would end a worker:
 * 'error', then 'exit' with code 1; one thrown out of this side's handler is this thread's, uncaught,
 * as it would be beside a worker.
 */
class LocalProcessor extends EventEmitter {
  private readonly toProcessor = new LocalQueue<ToWorker>((error) => this.fail(error));
  private readonly fromProcessor = new LocalQueue<FromWorker>();
  private exiting: Promise<number> | undefined;

  constructor(setup: ProcessorWorkerSetup) {
    super();
    this.fromProcessor.listen((message) => this.emit('message', message));
    runProcessor(setup, {
      postMessage: (message) => {
        if (!this.exiting) this.fromProcessor.push(message);
      },
      on: (_event, listener) => this.toProcessor.listen(listener),
    } satisfies ProcessorPort);
  }

  postMessage(message: ToWorker): void {
    if (!this.exiting) this.toProcessor.push(message);
  }

  /** As Worker.terminate: resolves once 'exit' has been emitted. */
  terminate(): Promise<number> {
    return this.exit(0);
  }

  private fail(error: unknown): void {
    this.emit('error', error);
    void this.exit(1);
  }

  private exit(code: number): Promise<number> {
    this.exiting ??= new Promise((resolve) =>
      setImmediate(() => {
        this.emit('exit', code);
        resolve(code);
      }),
    );
    return this.exiting;
  }
}

/**
 * Messages delivered after the current task, in the order sent (one setImmediate a burst); held, as a
 * port holds them, until there is a listener. What a delivery throws goes to `onError` when given;
 * without it, it is thrown on.
 */
class LocalQueue<T> {
  private queue: T[] = [];
  private scheduled = false;
  private deliver: ((message: T) => void) | undefined;

  constructor(private readonly onError?: (error: unknown) => void) {}

  listen(deliver: (message: T) => void): void {
    this.deliver = deliver;
    this.schedule();
  }

  push(message: T): void {
    this.queue.push(message);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.deliver || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const messages = this.queue;
      this.queue = [];
      for (const message of messages) {
        try {
          this.deliver!(message);
        } catch (error) {
          if (!this.onError) throw error;
          this.onError(error);
        }
      }
    });
  }
}

/**
 * The worker's young generation: 192 MiB, semi-spaces of 64 MiB (V8's default here: 16 MiB). What
 * the processor keeps (every window's cells, for the 15-minute status horizon) is copied by each
 * scavenge that meets it; fewer, larger scavenges copy it less often. Measured over the processor
 * bench's 400,000 events in a worker (docs/benchmarks.md, 2026-12-01): 10–20 % less CPU, and a lower
 * peak RSS (fewer objects promoted to the old generation), since V8 grows the semi-spaces only while
 * collections find them full of survivors.
 */
export const PROCESSOR_YOUNG_GENERATION_MB = 192;

export class ProcessorThread {
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private exited: Error | undefined;
  private stopping: Promise<void> | undefined;
  private onStopped: (() => void) | undefined;
  private droppedSeen = 0;
  private readonly observer: RuntimeObserver;
  private readonly spans = new SpanMirror();
  /** Statuses reach the board through a feed that applies them at most every 100 ms (status-board-feed.ts). */
  private readonly boardFeed: StatusBoardFeed;
  /** Sends records to the worker's bus; resolves once the bus holds them. */
  readonly producer: Producer = {
    send: (topic, records) => (records.length === 0 ? Promise.resolve() : this.request((id) => ({ type: 'send', id, topic, records }))),
    close: async () => {},
  };

  private constructor(
    private readonly worker: ProcessorHost,
    private readonly options: ProcessorThreadOptions,
  ) {
    this.observer = metricsObserver(options.metrics, options.log, 'bus');
    this.boardFeed = options.feed ?? new StatusBoardFeed(options.board);
  }

  /** Starts the worker; resolves once its processor consumes, rejects with its reason if it cannot start. */
  static start(options: ProcessorThreadOptions): Promise<ProcessorThread> {
    const { log, metrics: _metrics, board: _board, feed: _feed, inThread, ...rest } = options;
    // On this thread the processor's spans go to this thread's tracer as they are: nothing to relay.
    const setup: ProcessorWorkerSetup = { ...rest, tracing: inThread ? false : (rest.tracing ?? tracingEnabled()) };
    const worker: ProcessorHost = inThread
      ? new LocalProcessor(setup)
      : new Worker(WORKER_ENTRY, { workerData: setup, name: rest.name ?? 'wardwatch-processor', resourceLimits: { maxYoungGenerationSizeMb: PROCESSOR_YOUNG_GENERATION_MB } });
    const thread = new ProcessorThread(worker, options);
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          started = true;
          resolve(thread);
        } else if (message.type === 'failed') {
          void worker.terminate();
          reject(new Error(`the processor thread could not start: ${message.message}`));
        } else {
          thread.receive(message);
        }
      });
      worker.on('error', (error) => {
        if (!started) reject(error);
        else log.error({ err: error }, 'the processor thread failed');
      });
      worker.on('exit', (code) => {
        thread.exited = new Error(`the processor thread has stopped (exit code ${code})`);
        if (started && !thread.stopping) log.error({ code }, 'the processor thread stopped: events are no longer counted');
        for (const { reject: fail } of thread.pending.values()) fail(thread.exited);
        thread.pending.clear();
        thread.onStopped?.();
        if (!started) reject(thread.exited);
      });
    });
  }

  /** False once the worker has exited (stopped, or failed: the log says why). */
  get running(): boolean {
    return this.exited === undefined;
  }

  /** Telemetry onto the telemetry topic, in a producer span (its context travels in the headers). */
  produce(events: TelemetryEvent[], source: string): Promise<void> {
    return produceTelemetry(this.producer, this.options.topics.telemetry, events, source);
  }

  /** Where HTTP ingest sends what it accepts and refuses (each dead letter also to `onDeadLetter`). */
  sink(onDeadLetter?: (letter: DeadLetter) => void): IngestSink {
    return ingestSink(this.producer, this.options.topics, onDeadLetter);
  }

  /** The processor judges event time by this clock from now on (the simulated one, in demo mode). */
  setClock(anchor: ClockAnchor): void {
    this.post({ type: 'clock', anchor });
  }

  /**
   * Every event before `to` has been sent (after the sends it follows have resolved): once the worker
   * has read them, each partition's live statuses are brought up to `to` (with `sourceMarks`).
   */
  delivered(to: number): void {
    if (this.options.sourceMarks) this.post({ type: 'delivered', to });
  }

  /**
   * Resolves once every record sent before the call has been processed, every partition settled to
   * the clock (ProcessorRuntime.settle: windows closed, corrections merged, rollups and a checkpoint
   * stored), and the statuses that published are on the board: each step of a stepped clock ends with
   * it, and a demo at real time once its backfill is sent (embedded.ts).
   */
  async settle(): Promise<void> {
    await this.request((id) => ({ type: 'settle', id }));
    // The worker posts the statuses it read before its answer, and messages keep their order.
    this.boardFeed.flush();
  }

  /** Stops the processor (it checkpoints every partition), the bus and the store's writer, then the thread. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = this.exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.onStopped = resolve;
          this.post({ type: 'stop' });
        }).then(async () => {
          await this.worker.terminate();
          this.boardFeed.flush();
        });
    return this.stopping;
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'gathered': {
        if (message.counts) this.observer.batch?.(message.counts);
        if (message.lags) for (const lag of message.lags) this.observer.lag?.(lag.topic, lag.partition, lag.records);
        if (message.statuses || message.edges) {
          const statuses = message.statuses ?? [];
          this.options.metrics.statusMessages.inc(statuses.length + (message.edges?.length ?? 0));
          // Decoded and checked (ScopeStatus, LiveEdge) by the worker as it read them from the topic.
          this.boardFeed.push(statuses, message.edges);
        }
        if (message.done) for (const answer of message.done) this.answered(answer.id, answer.error);
        return;
      }
      case 'invalid-status':
        reportInvalidStatus(message, this.options.log, this.options.metrics);
        return;
      case 'error':
        this.observer.error?.(new Error(message.message), message.context);
        return;
      case 'dead-letters':
        if (message.dropped > this.droppedSeen) this.options.metrics.deadLettersDropped.inc(message.dropped - this.droppedSeen);
        this.droppedSeen = message.dropped;
        return;
      case 'stopped':
        this.onStopped?.();
        return;
      case 'span-start':
      case 'span-end':
        this.spans.receive(message);
        return;
      default:
        return;
    }
  }

  private answered(id: number, error: string | undefined): void {
    const waiting = this.pending.get(id);
    this.pending.delete(id);
    if (error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(error));
  }

  private request(build: (id: number) => ToWorker): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post(build(id));
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}

/**
 * A store URL both threads can open. `sqlite::memory:` is one connection's private database, which a
 * second thread cannot see: it becomes a file in a fresh temporary folder, removed by `dispose` —
 * still nothing kept from one run to the next.
 */
export function storeUrlForThreads(url: string, log: Logger): { url: string; dispose: () => void } {
  if (url !== 'sqlite::memory:') return { url, dispose: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-memory-store-'));
  const file = join(dir, 'wardwatch.db');
  log.info({ file }, 'sqlite::memory: is kept in a temporary file the processor threads and the server share; it is removed at stop');
  return { url: `sqlite:${file}`, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
