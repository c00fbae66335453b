// The embedded pipeline's processors on several worker threads, one per core (or, for a small estate,
// one processor on the main thread: threads 0): the telemetry topic's
// partitions are dealt out between them (partition p to thread p mod N) as Kafka's consumer group
// spreads them over `wardwatch processor` instances, and each record goes to the thread that owns its
// key's partition — a site's events always meet in one thread, in the order they were sent. Each
// thread keeps its own in-process bus, runtime and store connection (processor-thread.ts); this side
// is what embedded.ts uses, the same surface as one thread.
import { availableParallelism } from 'node:os';
import type { DeadLetter, TelemetryEvent } from '@wardwatch/schema';
import { partitionForKey, type OutgoingRecord, type Producer } from '@wardwatch/transport';
import { StatusBoardFeed, WHOLE_ROUND_FEED_TIMING, type IngestSink } from '@wardwatch/server';
import { ProcessorThread, type ClockAnchor, type ProcessorThreadOptions } from './processor-thread.ts';
import { ingestSink, produceTelemetry } from './wiring.ts';

/**
 * Devices one processor thread is given by default when the estate's size is known (a demo): the
 * scale sweep's single thread kept 100,000 devices at real time on 60–87 % of a core
 * (docs/benchmarks.md, "Live statuses at rest and at scale").
 */
export const DEVICES_PER_PROCESSOR_THREAD = 100_000;

/**
 * Up to this many devices — the default demo's 960, not much more — a demo's processor runs on the
 * main thread by default (threads 0): handing each quarter-second round to a worker and its statuses
 * back — a copy each way, two event loops woken — cost a fifth of the default demo's CPU at rest
 * (2.82 % of a core against 2.26 % on the main thread), while a round of this small an estate keeps
 * the main thread a millisecond or two. The saving shrinks as the estate grows (a twentieth at 1,280
 * devices, none at 2,000) and the server's thread pays for the rounds, window ends and checkpoints it
 * takes on (the site list's slowest reads: 112 ms against 71 at 1,280 devices, 123–250 ms against
 * 48–65 at 2,000; docs/benchmarks.md, "The processor on the main thread at 1,280 and 2,000 devices"),
 * so larger estates keep the server's thread free of them.
 */
export const DEVICES_ON_MAIN_THREAD = 1_000;

/**
 * Processor threads by default: a core each, but one left for the server, the simulator and the
 * store's reader on the main thread; at least one, and no more than there are partitions to share.
 * With the estate's size known, no more than one per DEVICES_PER_PROCESSOR_THREAD either: each
 * thread costs its share of the fixed work at rest (its ticks, status reader and checkpoints), which
 * a small estate would pay on every core for nothing — and none (the main thread) up to
 * DEVICES_ON_MAIN_THREAD. An estate of unknown size (ingest from real agents) gets threads: a burst
 * of it must not hold the server.
 */
export function defaultProcessorThreads(partitions: number, cores = availableParallelism(), devices?: number): number {
  const byCores = Math.max(1, Math.min(partitions, cores - 1));
  if (devices === undefined) return byCores;
  if (devices <= DEVICES_ON_MAIN_THREAD) return 0;
  return Math.min(byCores, Math.max(1, Math.ceil(devices / DEVICES_PER_PROCESSOR_THREAD)));
}

/** The partitions thread `index` of `threads` owns: p mod threads = index. */
export function partitionsOfThread(index: number, threads: number, partitions: number): number[] {
  const owned: number[] = [];
  for (let p = index; p < partitions; p += threads) owned.push(p);
  return owned;
}

/** Keys whose owning thread is remembered (the largest simulated estate has 25,000 sites). */
const MAX_REMEMBERED_KEYS = 100_000;

export interface ProcessorThreadsOptions extends Omit<ProcessorThreadOptions, 'ownedPartitions' | 'housekeeping' | 'name' | 'feed' | 'inThread'> {
  /** How many worker threads (1 to `partitions`), or 0: one processor on this thread. */
  threads: number;
}

export class ProcessorThreads {
  /** Sends each record to the thread owning its key's partition; resolves once every bus holds its share. */
  readonly producer: Producer = {
    send: (topic, records) => this.send(topic, records),
    close: async () => {},
  };

  private readonly ownerOfKey = new Map<string, number>();

  private constructor(
    private readonly threads: readonly ProcessorThread[],
    private readonly options: ProcessorThreadsOptions,
    private readonly inThread: boolean,
  ) {}

  /** Starts every thread; rejects (with the others stopped) if one cannot start. */
  static async start(options: ProcessorThreadsOptions): Promise<ProcessorThreads> {
    const { threads: count, partitions } = options;
    if (!(Number.isInteger(count) && count >= 0 && count <= partitions)) {
      throw new RangeError(`processor threads must be a whole number from 0 (the main thread) to the ${partitions} partitions they share; got ${count}`);
    }
    const inThread = count === 0;
    // One thread sends each round whole (worker-outbox.ts): applied as it comes. Several send theirs
    // apart, and the feed gathers them for a moment into one apply.
    const feed = new StatusBoardFeed(options.board, count <= 1 ? WHOLE_ROUND_FEED_TIMING : undefined);
    const { threads: _threads, ...common } = options;
    const started = await Promise.allSettled(
      Array.from({ length: Math.max(1, count) }, (_, index) =>
        ProcessorThread.start({
          ...common,
          feed,
          inThread,
          ...(count > 1 ? { ownedPartitions: partitionsOfThread(index, count, partitions), name: `wardwatch-processor-${index + 1}` } : {}),
          housekeeping: index === 0,
        }),
      ),
    );
    const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await Promise.all(running.map((thread) => thread.stop()));
      throw failed.reason;
    }
    if (count > 1) options.log.info({ threads: count, partitions }, `the processor runs on ${count} threads, the ${partitions} partitions dealt between them`);
    if (inThread) options.log.info({ threads: 0 }, 'the processor runs on the main thread (--processor-threads 0, a small demo\'s default)');
    return new ProcessorThreads(running, options, inThread);
  }

  /** How many worker threads process: 0 when the processor runs on this thread. */
  get count(): number {
    return this.inThread ? 0 : this.threads.length;
  }

  /** False once any thread has exited (its partitions' events are no longer counted; the log says why). */
  get running(): boolean {
    return this.threads.every((thread) => thread.running);
  }

  /** Telemetry onto the telemetry topic, in a producer span (its context travels in the headers). */
  produce(events: TelemetryEvent[], source: string): Promise<void> {
    return produceTelemetry(this.producer, this.options.topics.telemetry, events, source);
  }

  /** Where HTTP ingest sends what it accepts and refuses (each dead letter also to `onDeadLetter`). */
  sink(onDeadLetter?: (letter: DeadLetter) => void): IngestSink {
    return ingestSink(this.producer, this.options.topics, onDeadLetter);
  }

  /** Every thread judges event time by this clock from now on. */
  setClock(anchor: ClockAnchor): void {
    for (const thread of this.threads) thread.setClock(anchor);
  }

  /** Every event before `to` has been sent: each thread brings its partitions' live statuses up to it. */
  delivered(to: number): void {
    for (const thread of this.threads) thread.delivered(to);
  }

  /** Every thread settled (ProcessorThread.settle), their statuses on the board. */
  async settle(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.settle()));
  }

  /** Stops every thread (each checkpoints its partitions). */
  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }

  private send(topic: string, records: OutgoingRecord[]): Promise<void> {
    const threads = this.threads;
    if (threads.length === 1) return threads[0]!.producer.send(topic, records);
    const { partitions } = this.options;
    const shares: OutgoingRecord[][] = threads.map(() => []);
    // The partition the thread's bus will put the record on (the same partitioner), and its owner —
    // remembered by key: records are keyed by site, a few thousand keys at most.
    const owners = this.ownerOfKey;
    for (const record of records) {
      let owner = owners.get(record.key);
      if (owner === undefined) {
        if (owners.size >= MAX_REMEMBERED_KEYS) owners.clear();
        owners.set(record.key, (owner = partitionForKey(record.key, partitions) % threads.length));
      }
      shares[owner]!.push(record);
    }
    return Promise.all(shares.map((share, index) => threads[index]!.producer.send(topic, share))).then(() => {});
  }
}
