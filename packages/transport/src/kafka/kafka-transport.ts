// The production transport: Apache Kafka through kafkajs. Same contract as the in-process bus:
// keyed records, partitions, consumer groups, offsets committed only after the handler resolves,
// redelivery after a failed handler, externally stored start offsets honoured on assignment.
// kafkajs is CommonJS: Node's ESM loader cannot see all of its named exports, so take them from the default.
import kafkajs, { type Admin, type Consumer as KafkaConsumer, type Kafka as KafkaClient, type KafkaConfig, type SASLOptions } from 'kafkajs';

const { CompressionTypes, ConfigResourceTypes, Kafka, logLevel, Partitioners } = kafkajs;
import type { ConnectionOptions } from 'node:tls';
import { retry } from '@wardwatch/retry';
import { classifyKafkaError, transportErrorOf } from './kafka-errors.ts';
import {
  TransportError,
  type BatchHandler,
  type ConsumedRecord,
  type Consumer,
  type ConsumerOptions,
  type OutgoingRecord,
  type PartitionAssignment,
  type Producer,
  type TopicSpec,
  type Transport,
} from '../transport.ts';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId?: string;
  /** TLS to the brokers: true, or Node TLS options (CA, client certificate). */
  ssl?: boolean | ConnectionOptions;
  /** SASL (PLAIN or SCRAM-SHA-256/512) credentials. */
  sasl?: SASLOptions;
  connectionTimeoutMs?: number;
  /** Retries of a failed request before an error is raised (default 8). */
  retries?: number;
  /** Where kafkajs' own log lines go (default: warnings and errors to stderr). */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Replication factor for topics this transport creates (default 1: a single broker here; use 3 in production). */
  replicationFactor?: number;
}

const LEVELS = { error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG } as const;
const NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

/** kafkajs' TimestampTypes.LOG_APPEND_TIME: the record batch's timestamp is the broker's append time. */
const LOG_APPEND_TIME = 1;

/**
 * ensureTopics' retries of a retriable error (a topic's metadata not yet on every broker listener):
 * backoff from 250 ms, at most 2 s apart, for at most 15 s in all.
 */
const ENSURE_TOPICS_RETRY = { attempts: 10, baseDelayMs: 250, maxDelayMs: 2000, maxElapsedMs: 15_000 } as const;

export class KafkaTransport implements Transport {
  private readonly kafka: KafkaClient;
  private readonly opened = new Set<{ close(): Promise<void> }>();

  constructor(private readonly options: KafkaTransportOptions) {
    if (options.brokers.length === 0) throw new TransportError('no Kafka brokers given: set KAFKA_BROKERS (host:port, comma-separated)', false);
    const log = options.log ?? ((level, message) => process.stderr.write(`kafka ${level}: ${message}\n`));
    const config: KafkaConfig = {
      clientId: options.clientId ?? 'wardwatch',
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      retry: { retries: options.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
      logLevel: LEVELS[options.logLevel ?? 'warn'],
      logCreator: () => ({ level, log: entry }) => {
        const { message, ...extra } = entry;
        // Said once per producer at every start: retries are limited on purpose (a send that gives up
        // is retried by its caller — the agent's spool, the processor's next batch — and the processors
        // drop a repeat by its device and seq), so it tells an operator nothing to do.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        log(NAMES[level] ?? 'info', message, extra);
      },
    };
    this.kafka = new Kafka(config);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = this.kafka.admin();
    const brokers = this.options.brokers.join(', ');
    try {
      await admin.connect();
    } catch (error) {
      const { kind } = classifyKafkaError(error);
      throw transportErrorOf(error, kind === 'unavailable' ? `cannot reach Kafka at ${brokers}` : `connecting to Kafka at ${brokers}`);
    }
    // Topic metadata reaches every broker listener a moment after a topic is created (by us or by a
    // process starting beside us): UNKNOWN_TOPIC_OR_PARTITION then is retriable, and retried — also
    // when kafkajs' own retries gave up on it first. A mismatch checkTopics finds is not.
    try {
      await retry(() => this.checkTopics(admin, specs), { ...ENSURE_TOPICS_RETRY, isRetriable: (error) => classifyKafkaError(error).retriable });
    } catch (error) {
      throw transportErrorOf(error, 'checking topics');
    } finally {
      await admin.disconnect();
    }
  }

  private async checkTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: this.options.replicationFactor ?? 1,
          configEntries: [
            ...(s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
            ...(s.logAppendTime ? [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] : []),
          ],
        })),
      });
    }
    const present = specs.filter((s) => existing.has(s.name));
    if (present.length === 0) return;
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: ['cleanup.policy', 'message.timestamp.type'] })),
    });
    for (const spec of present) {
      const topic = metadata.topics.find((t) => t.name === spec.name)!;
      if (topic.partitions.length !== spec.partitions) {
        throw new TransportError(
          `topic ${spec.name} has ${topic.partitions.length} partitions, expected ${spec.partitions}: partitions decide which processor owns a site, so recreate the topic or configure the same count`,
          false,
        );
      }
      const policy = configs.resources.find((r) => r.resourceName === spec.name)?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
      if (spec.compacted && policy && !policy.includes('compact')) {
        throw new TransportError(`topic ${spec.name} has cleanup.policy=${policy}, expected compact: it keeps the latest status per key`, false);
      }
      // Not fatal: records keep the sender's create time, so device clock skew is not measured from
      // them (events are still counted; the watermark's cap by the receiving clock still holds).
      const stamp = configs.resources.find((r) => r.resourceName === spec.name)?.configEntries.find((e) => e.configName === 'message.timestamp.type')?.configValue;
      if (spec.logAppendTime && stamp && stamp !== 'LogAppendTime') {
        const log = this.options.log ?? ((level, message) => process.stderr.write(`kafka ${level}: ${message}\n`));
        log('warn', `topic ${spec.name} has message.timestamp.type=${stamp}, expected LogAppendTime: device clock skew is not measured from its records until it is changed (see docs/operations.md)`, { topic: spec.name });
      }
    }
  }

  producer(): Producer {
    // The default partitioner named (Java's murmur2 of the key, as other Kafka clients place a key):
    // left implicit, kafkajs warns at every start that its default changed in v2.
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    let connecting: Promise<void> | undefined;
    const handle = {
      send: async (topic: string, records: OutgoingRecord[]) => {
        if (records.length === 0) return;
        connecting ??= producer.connect();
        try {
          await connecting;
          await producer.send({
            topic,
            acks: -1,
            // gzip: telemetry JSON compresses ~5×, and kafkajs ships gzip without extra native modules.
            compression: CompressionTypes.GZIP,
            messages: records.map((r) => ({ key: r.key, value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength), headers: r.headers })),
          });
        } catch (error) {
          connecting = undefined;
          throw transportErrorOf(error, `producing to ${topic}`);
        }
      },
      close: async () => {
        this.opened.delete(handle);
        await producer.disconnect();
      },
    };
    this.opened.add(handle);
    return handle;
  }

  consumer(options: ConsumerOptions): Consumer {
    const consumer = new KafkaGroupConsumer(this.kafka, options);
    const handle = {
      run: (handler: BatchHandler) => consumer.run(handler),
      stop: async () => {
        this.opened.delete(handle);
        await consumer.stop();
      },
      close: () => handle.stop(),
    };
    this.opened.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    for (const handle of [...this.opened]) await handle.close();
  }
}

class KafkaGroupConsumer {
  private readonly consumer: KafkaConsumer;
  private assignment = new Map<string, Set<number>>();
  /** Assignment callbacks run in order; batches wait for them (kafkajs does not await listeners). */
  private assignmentChain: Promise<void> = Promise.resolve();
  private running = false;
  private stopping = false;
  /** The batch being handled, so that stop() lets it finish and commit. */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    kafka: KafkaClient,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      rebalanceTimeout: 30_000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      // A partition's share of a fetch (kafkajs' default is 1 MiB): with gzip, ~4 MiB is ~50,000
      // telemetry records, so a backlog comes in batches as large as the handler takes (below).
      maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      const next = new Map<string, Set<number>>();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) next.set(topic, new Set(partitions));
      const previous = this.assignment;
      this.assignment = next;
      const revoked = diff(previous, next);
      const assigned = diff(next, previous);
      this.assignmentChain = this.assignmentChain.then(async () => {
        if (revoked.length > 0) await this.options.onRevoked?.(revoked);
        if (assigned.length > 0) {
          await this.options.onAssigned?.(assigned);
          if (this.options.startOffset) {
            for (const { topic, partitions } of assigned) {
              for (const partition of partitions) {
                const offset = await this.options.startOffset(topic, partition);
                if (offset !== undefined) this.consumer.seek({ topic, partition, offset });
              }
            }
          }
        }
      });
    });
  }

  async run(handler: BatchHandler): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    } catch (error) {
      throw transportErrorOf(error, `joining consumer group ${this.options.groupId}`);
    }
    this.running = true;
    const maxBatch = this.options.maxBatchSize ?? MAX_BATCH_RECORDS;
    await this.consumer.run({
      // Offsets are committed explicitly, right after the handler resolves, never on a timer.
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        if (this.stopping) return;
        const work = this.handleBatch(payload, handler, maxBatch);
        this.inFlight = work.catch(() => {});
        await work;
      },
    });
  }

  private async handleBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: import('kafkajs').EachBatchPayload,
    handler: BatchHandler,
    maxBatch: number,
  ): Promise<void> {
    await this.assignmentChain;
    for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += maxBatch) {
      const slice = batch.messages.slice(i, i + maxBatch);
      const records = slice.map(consumedRecordOf);
      const recordBatch = { topic: batch.topic, partition: batch.partition, records, logEndOffset: batch.highWatermark };
      try {
        await handler(recordBatch);
      } catch (error) {
        this.options.onHandlerError?.(error, recordBatch);
        // Not resolved: read the same records again after a pause.
        this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: slice[0]!.offset });
        await new Promise((resolve) => setTimeout(resolve, 200));
        return;
      }
      const last = slice[slice.length - 1]!.offset;
      resolveOffset(last);
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
      await heartbeat();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) {
      await this.consumer.disconnect();
      return;
    }
    this.running = false;
    this.stopping = true;
    await this.inFlight;
    await this.consumer.stop();
    await this.assignmentChain;
    const held = [...this.assignment].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })).filter((a) => a.partitions.length > 0);
    if (held.length > 0) await this.options.onRevoked?.(held);
    this.assignment = new Map();
    await this.consumer.disconnect();
  }
}

/**
 * Most records handed to the handler at once when none is configured. The processor's costs per batch
 * (a status evaluation, a store write, an offset commit) are spread over its records: catching up on a
 * backlog, batches of 20,000 instead of 5,000 cost it ~30 % less CPU a million events (9–10 CPU s
 * against 13, docs/benchmarks.md). Live traffic comes in batches of what has arrived, far smaller.
 */
const MAX_BATCH_RECORDS = 20_000;
const FETCH_BYTES_PER_PARTITION = 4 * 1024 * 1024;

const NO_VALUE = new Uint8Array(0);

/**
 * A kafkajs message as the handler's record: the value a view of kafkajs' buffer, not a copy (it is
 * read once, while the batch is handled), and headers made only where there are some.
 */
function consumedRecordOf(m: import('kafkajs').KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  if (m.headers) for (const name in m.headers) headers[name] = m.headers[name] === undefined ? '' : String(m.headers[name]);
  return {
    key: m.key ? m.key.toString() : null,
    value: m.value ? new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength) : NO_VALUE,
    headers,
    offset: m.offset,
    timestamp: Number(m.timestamp),
    logAppendTime: (m as { batchContext?: { timestampType?: number } }).batchContext?.timestampType === LOG_APPEND_TIME,
  };
}

function diff(a: Map<string, Set<number>>, b: Map<string, Set<number>>): PartitionAssignment[] {
  const out: PartitionAssignment[] = [];
  for (const [topic, partitions] of a) {
    const other = b.get(topic);
    const only = [...partitions].filter((p) => !other?.has(p)).sort((x, y) => x - y);
    if (only.length > 0) out.push({ topic, partitions: only });
  }
  return out;
}
