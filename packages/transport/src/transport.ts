// The interface producers and the processor talk through. Two implementations: the in-process bus
// (embedded default) and Kafka. Modelled on Kafka's semantics — keyed records, partitions, consumer
// groups, offsets committed after a batch's effects are durable — so both behave alike above it.

export interface OutgoingRecord {
  /** Partitioning key; records with the same key keep their order (wardwatch keys by site). */
  key: string;
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface ConsumedRecord {
  key: string | null;
  value: Uint8Array;
  headers: Record<string, string>;
  /** Offset within its partition, as a decimal string (Kafka offsets exceed 2^53 in principle). */
  offset: string;
  /**
   * Epoch ms: the broker's or bus's append time when `logAppendTime` (a topic with
   * message.timestamp.type=LogAppendTime; the in-process bus always), else the producer's create time.
   */
  timestamp: number;
  /** Whether `timestamp` is the log's append time, stamped by the receiver — not the sender's clock. */
  logAppendTime?: boolean;
}

export interface RecordBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** Offset the next record appended to the partition will get (the log end), when known. */
  logEndOffset?: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Keep only the latest record per key (status topics). */
  compacted?: boolean;
  /**
   * Stamp records with the log's append time (Kafka: message.timestamp.type=LogAppendTime), so a
   * consumer can measure a sender's clock against the receiver's (telemetry: device clock skew).
   */
  logAppendTime?: boolean;
}

export interface Producer {
  /** Resolves once the records are acknowledged (acks=all on Kafka); rejects with a TransportError. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface PartitionAssignment {
  topic: string;
  partitions: number[];
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts: the oldest record (default) or only new ones. */
  fromBeginning?: boolean;
  /** Largest batch handed to the handler at once (default: 20,000 on Kafka, 5,000 on the in-process bus). */
  maxBatchSize?: number;
  /** Called after partitions are assigned to this member, before any of their records arrive. */
  onAssigned?: (assignment: PartitionAssignment[]) => Promise<void> | void;
  /** Called before partitions are taken away; the last batch for them has been handled by then. */
  onRevoked?: (assignment: PartitionAssignment[]) => Promise<void> | void;
  /**
   * Offsets kept outside the broker (e.g. stored atomically with the processor's state) win over the
   * group's committed offset: asked once per partition on assignment; undefined means "use the group's".
   */
  startOffset?: (topic: string, partition: number) => Promise<string | undefined>;
  /** Told about every failed handler call before the batch is delivered again. */
  onHandlerError?: (error: unknown, batch: RecordBatch) => void;
}

/**
 * Hands batches to the handler one at a time per partition. A batch's offsets are committed only
 * after the handler resolves; if it rejects, the batch is delivered again (at-least-once). Exactly-
 * once effects come from the handler making its effects idempotent (see the processor).
 */
export type BatchHandler = (batch: RecordBatch) => Promise<void>;

export interface Consumer {
  run(handler: BatchHandler): Promise<void>;
  stop(): Promise<void>;
}

export interface Transport {
  /** Creates missing topics and checks existing ones; throws a TransportError naming the problem. */
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  producer(): Producer;
  consumer(options: ConsumerOptions): Consumer;
  close(): Promise<void>;
}

/**
 * What a transport failure means for the caller, whatever the transport: `unavailable` (the broker or
 * bus cannot take it just now: try again later), `too-large` (the records are bigger than the receiver
 * takes: send fewer at once), `unauthorized` (credentials or ACLs refused: an operator must act),
 * `misconfigured` (a topic or setting is wrong: retrying cannot fix it).
 */
export type TransportErrorKind = 'unavailable' | 'too-large' | 'unauthorized' | 'misconfigured';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly kind: TransportErrorKind;
  constructor(
    message: string,
    /** Whether trying again later can help (broker unreachable) or not (topic misconfigured). */
    readonly retriable: boolean,
    options?: { cause?: unknown; kind?: TransportErrorKind },
  ) {
    super(message, options);
    this.kind = options?.kind ?? (retriable ? 'unavailable' : 'misconfigured');
  }
}
