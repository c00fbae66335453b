// The embedded transport: topics, partitions and consumer groups in one process, with Kafka's
// delivery contract (ordered per partition, offsets committed after the handler resolves,
// redelivery on failure, partitions shared among a group's members).
import { partitionForKey } from '../partitioner.ts';
import {
  TransportError,
  type BatchHandler,
  type Consumer,
  type ConsumerOptions,
  type OutgoingRecord,
  type PartitionAssignment,
  type Producer,
  type RecordBatch,
  type TopicSpec,
  type Transport,
} from '../transport.ts';
import { PartitionLog } from './partition-log.ts';

interface Topic {
  spec: TopicSpec;
  partitions: PartitionLog[];
}

interface Group {
  members: InProcessConsumer[];
  /** "topic/partition" → next offset to read. */
  committed: Map<string, number>;
}

export interface InProcessBusOptions {
  /** Records kept per partition even if no group has read them (default 200 000). */
  retainRecords?: number;
  /**
   * Bytes kept per partition of the topics named (default: no byte bound): past it the oldest records
   * are dropped, read or not, and counted (`dropped`). For topics nobody may read, as dead letters.
   */
  retainBytes?: Record<string, number>;
  /** The clock records are stamped with on append (default Date.now; a simulated clock in demo mode). */
  clock?: () => number;
}

export class InProcessBus implements Transport {
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();
  private readonly waiters = new Set<() => void>();
  /** Checks of `caughtUp` callers, run at every commit and at close. */
  private readonly commitWatchers = new Set<() => void>();
  private readonly retainRecords: number;
  private readonly retainBytes: Record<string, number>;
  private readonly clock: () => number;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.retainRecords = options.retainRecords ?? 200_000;
    this.retainBytes = options.retainBytes ?? {};
    this.clock = options.clock ?? Date.now;
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      const existing = this.topics.get(spec.name);
      if (existing) {
        if (existing.spec.partitions !== spec.partitions) {
          throw new TransportError(
            `topic ${spec.name} has ${existing.spec.partitions} partitions, expected ${spec.partitions}`,
            false,
          );
        }
        continue;
      }
      const partitions = Array.from({ length: spec.partitions }, () => new PartitionLog(this.retainRecords, this.retainBytes[spec.name]));
      this.topics.set(spec.name, { spec, partitions });
    }
  }

  producer(): Producer {
    return {
      send: async (topicName, records) => this.append(topicName, records),
      close: async () => {},
    };
  }

  consumer(options: ConsumerOptions): Consumer {
    return new InProcessConsumer(this, options);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const group of this.groups.values()) for (const member of [...group.members]) await member.stop();
    this.wake();
    for (const watch of [...this.commitWatchers]) watch();
  }

  /**
   * Resolves once `groupId` has committed every record appended to `topicName` so far — on every
   * partition its committed offset is at the log's end, so its handler has finished with all of them —
   * and rejects if the bus closes first. What a caller that steps time waits for (the embedded
   * pipeline's stepped clock): the handler commits only after its effects are done.
   */
  caughtUp(groupId: string, topicName: string): Promise<void> {
    const topic = this.topic(topicName);
    const ends = topic.partitions.map((log) => log.endOffset);
    const done = () => {
      const committed = this.groups.get(groupId)?.committed;
      return ends.every((end, p) => (committed?.get(`${topicName}/${p}`) ?? topic.partitions[p]!.startOffset) >= end);
    };
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const watch = () => {
        if (this.closed) {
          this.commitWatchers.delete(watch);
          reject(new TransportError('the in-process bus closed before the group caught up', false));
        } else if (done()) {
          this.commitWatchers.delete(watch);
          resolve();
        }
      };
      this.commitWatchers.add(watch);
    });
  }

  /** What a topic holds now and how many records its retention bounds have dropped, over all partitions. */
  retention(topicName: string): { records: number; bytes: number; dropped: number } {
    const totals = { records: 0, bytes: 0, dropped: 0 };
    for (const log of this.topic(topicName).partitions) {
      totals.records += log.endOffset - log.startOffset;
      totals.bytes += log.bytes;
      totals.dropped += log.dropped;
    }
    return totals;
  }

  // ---- used by InProcessConsumer ----

  topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new TransportError(`topic ${name} does not exist; call ensureTopics first`, false);
    return topic;
  }

  join(groupId: string, member: InProcessConsumer): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { members: [], committed: new Map() };
      this.groups.set(groupId, group);
    }
    group.members.push(member);
    this.rebalance(group);
    return group;
  }

  leave(groupId: string, member: InProcessConsumer): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    group.members = group.members.filter((m) => m !== member);
    this.rebalance(group);
  }

  commit(group: Group, topicName: string, partition: number, nextOffset: number): void {
    group.committed.set(`${topicName}/${partition}`, nextOffset);
    // Trim what every group has read: the bus holds no more than consumers still need.
    let lowest = Infinity;
    for (const g of this.groups.values()) {
      if (!g.members.some((m) => m.subscribes(topicName))) continue;
      lowest = Math.min(lowest, g.committed.get(`${topicName}/${partition}`) ?? 0);
    }
    if (Number.isFinite(lowest)) this.topic(topicName).partitions[partition]!.trimBefore(lowest);
    for (const watch of [...this.commitWatchers]) watch();
  }

  /** Resolves when anything is appended or the bus closes. */
  nextChange(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private append(topicName: string, records: OutgoingRecord[]): void {
    if (this.closed) throw new TransportError('the in-process bus is closed', false);
    const topic = this.topic(topicName);
    const now = this.clock();
    const count = topic.spec.partitions;
    for (const record of records) topic.partitions[partitionForKey(record.key, count)]!.append(record, now);
    this.wake();
  }

  /** Round-robin the partitions of every subscribed topic over the group's members. */
  private rebalance(group: Group): void {
    const assignments = new Map<InProcessConsumer, PartitionAssignment[]>();
    for (const member of group.members) assignments.set(member, []);
    const topicNames = [...new Set(group.members.flatMap((m) => m.topicNames))].sort();
    let next = 0;
    for (const name of topicNames) {
      const topic = this.topics.get(name);
      if (!topic) continue;
      for (let p = 0; p < topic.spec.partitions; p++) {
        const candidates = group.members.filter((m) => m.subscribes(name));
        if (candidates.length === 0) continue;
        const member = candidates[next++ % candidates.length]!;
        const list = assignments.get(member)!;
        let entry = list.find((a) => a.topic === name);
        if (!entry) list.push((entry = { topic: name, partitions: [] }));
        entry.partitions.push(p);
      }
    }
    for (const [member, assignment] of assignments) member.assign(assignment);
    this.wake();
  }
}

export class InProcessConsumer implements Consumer {
  readonly topicNames: string[];
  private group: Group | undefined;
  private assignment: PartitionAssignment[] = [];
  private pendingAssignment: PartitionAssignment[] | undefined;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly bus: InProcessBus,
    private readonly options: ConsumerOptions,
  ) {
    this.topicNames = [...options.topics];
  }

  subscribes(topicName: string): boolean {
    return this.topicNames.includes(topicName);
  }

  assign(assignment: PartitionAssignment[]): void {
    this.pendingAssignment = assignment;
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.running) throw new TransportError('consumer is already running', false);
    for (const name of this.topicNames) this.bus.topic(name); // fail fast on unknown topics
    this.running = true;
    this.group = this.bus.join(this.options.groupId, this);
    this.loop = this.consume(handler);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.bus.wake();
    await this.loop;
    if (this.assignment.length > 0) await this.options.onRevoked?.(this.assignment);
    this.assignment = [];
    this.bus.leave(this.options.groupId, this);
  }

  private async consume(handler: BatchHandler): Promise<void> {
    const maxBatch = this.options.maxBatchSize ?? 5000;
    while (this.running && !this.bus.isClosed) {
      if (this.pendingAssignment) {
        const next = this.pendingAssignment;
        this.pendingAssignment = undefined;
        if (this.assignment.length > 0) await this.options.onRevoked?.(this.assignment);
        this.assignment = next;
        if (next.length > 0) {
          await this.options.onAssigned?.(next);
          if (this.options.startOffset) {
            for (const { topic, partitions } of next) {
              for (const partition of partitions) {
                const offset = await this.options.startOffset(topic, partition);
                if (offset !== undefined) this.group!.committed.set(`${topic}/${partition}`, Number(offset));
              }
            }
          }
        }
      }
      const changed = this.bus.nextChange();
      let delivered = false;
      for (const { topic: topicName, partitions } of this.assignment) {
        const topic = this.bus.topic(topicName);
        for (const partition of partitions) {
          if (!this.running || this.pendingAssignment) break;
          const log = topic.partitions[partition]!;
          const key = `${topicName}/${partition}`;
          const start = this.group!.committed.get(key) ?? (this.options.fromBeginning === false ? log.endOffset : log.startOffset);
          if (!this.group!.committed.has(key)) this.group!.committed.set(key, start);
          const records = log.read(start, maxBatch);
          if (records.length === 0) continue;
          const batch: RecordBatch = { topic: topicName, partition, records, logEndOffset: String(log.endOffset) };
          try {
            await handler(batch);
          } catch (error) {
            this.options.onHandlerError?.(error, batch);
            // Not committed: the same batch is delivered again on the next pass.
            await new Promise((resolve) => setTimeout(resolve, 100));
            delivered = true;
            continue;
          }
          this.bus.commit(this.group!, topicName, partition, Number(records[records.length - 1]!.offset) + 1);
          delivered = true;
        }
      }
      if (!delivered && this.running && !this.pendingAssignment) await changed;
      else await new Promise<void>((resolve) => setImmediate(resolve)); // let producers run between passes
    }
  }
}
