// What a ProcessorRuntime is given: its transport, store, topics and clock, the policies it follows,
// and the observer it tells what happened (for metrics). Types only.
import type { Resolution, ScopeStatus } from '@wardwatch/schema';
import type { Transport } from '@wardwatch/transport';
import type { RollupStore } from '@wardwatch/store';
import type { ProcessorConfig } from '../config.ts';

export interface RuntimeTopics {
  telemetry: string;
  deadLetter: string;
  status: string;
}

/** Told what happened to events, for metrics. Called once per batch with counts, never per event. */
export interface RuntimeObserver {
  batch?(counts: {
    accepted: number;
    late: number;
    corrected: number;
    tooLate: number;
    duplicates: number;
    seqResets: number;
    rejected: Record<string, number>;
    /** Sender clock skews measured from `wardwatch-sent-at` headers in the batch (ms, ahead > 0). */
    clockSkewsMs?: number[];
  }): void;
  statuses?(statuses: ScopeStatus[]): void;
  /** Live edges published (status-topic messages besides the statuses). */
  liveEdges?(count: number): void;
  /** Records still to read on a partition after a batch (consumer lag). */
  lag?(topic: string, partition: number, records: number): void;
  error?(error: unknown, context: string): void;
}

export interface ProcessorRuntimeOptions {
  transport: Transport;
  store: RollupStore;
  topics: RuntimeTopics;
  groupId: string;
  /** Receiver clock used to refuse far-future timestamps and to advance idle partitions. */
  clock: () => number;
  config?: Partial<ProcessorConfig>;
  observer?: RuntimeObserver;
  /**
   * Resume from the offsets stored with the checkpoints (Kafka: yes; the in-process bus starts empty
   * at every run, so only the processor state is restored there).
   */
  resumeFromCheckpoint?: boolean;
  /** Least time between two checkpoints of a partition (state snapshots cost more than rollups). */
  checkpointIntervalMs?: number;
  /**
   * A partition with no records for this long (wall time) has its watermark pushed by the clock.
   * Infinity: never by a timer — a caller that steps the clock calls `settle()` instead.
   */
  idleAdvanceMs?: number;
  /**
   * The telemetry topic's partition count, when known (the CLI makes sure of it): a record whose event
   * names a site that belongs on another partition is dead-lettered as `wrong-partition`. A site's
   * events must meet on one partition — one processor's windows, one device's replay window — so a
   * record written with no key or another key (a producer not keying by site) would be counted apart
   * from its site and escape the duplicate check.
   */
  telemetryPartitions?: number;
  /**
   * The store's retention per resolution (what `prune` is given), when known: a late correction for a
   * window already older than its resolution's retention (by the clock) is not written, as pruning
   * would have removed the row it adds to. Unset: every correction is written.
   */
  retentionMs?: Record<Resolution, number>;
  /**
   * The source says how far it has delivered (`liveTo`, after each of the demo simulator's rounds):
   * statuses are evaluated at those marks, on every partition, and not as each batch arrives — a batch
   * would evaluate as of its newest event, a mark moments later finds nothing due, and a site's time
   * would trail by that gap. Unset: as batches arrive, as of their newest event.
   */
  statusesAtSourceMarks?: boolean;
  /**
   * The telemetry partitions this runtime keeps, when it shares a transport's partitions with other
   * runtimes by a fixed split rather than by a consumer group (the embedded pipeline's processor
   * threads, each with a bus of its own): a partition assigned to it outside these is left alone — no
   * processor made, no checkpoint read or written — since another runtime owns its checkpoint. Unset:
   * every partition assigned.
   */
  partitions?: readonly number[];
}
