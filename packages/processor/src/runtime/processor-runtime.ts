// The processor at its edges: consumes telemetry through a Transport, runs one StreamProcessor per
// assigned partition, writes rollups and a checkpoint to the store, publishes statuses, and dead-
// letters what it cannot count. Effects are idempotent (whole windows replace themselves), and the
// checkpoint — next offset plus processor state — is written in the same transaction as rollups, so
// replaying from it after a crash counts nothing twice. Late corrections are the one effect that is
// not idempotent (they add to stored rows): they are merged here — read the stored rows, merge, write
// back — and only ever in a write that carries the checkpoint, so the merged rows and the offset past
// the events they count commit together or not at all.
import { correctEventTime, decodeEvent, liveEdgeOf, measureSkew, SENT_AT_RECORD_HEADER, validateEvent, type DecodeResult, type LiveEdge, type ScopeStatus, deadLetterOf } from '@wardwatch/schema';
import { SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { partitionForKey, traceContextOf, traceHeaders, traceLinks, type ConsumedRecord, type Consumer, type OutgoingRecord, type PartitionAssignment, type Producer, type RecordBatch, type Transport } from '@wardwatch/transport';
import { rollupIssue, type Resolution, type RollupKey, type RollupRecord } from '@wardwatch/schema';
import { mergeRollupRecords } from '@wardwatch/sketch';
import type { PartitionCheckpoint, RollupStore } from '@wardwatch/store';
import { DEFAULT_PROCESSOR_CONFIG, type ProcessorConfig } from '../config.ts';
import { StreamProcessor, type ProcessorOutput } from '../stream-processor.ts';

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
}

interface PartitionState {
  processor: StreamProcessor;
  nextOffset: string | undefined;
  /** The offset of the last checkpoint written (or restored). */
  checkpointedOffset: string | undefined;
  /** Whether this instance has written a checkpoint of the partition since it was assigned. */
  checkpointedHere: boolean;
  /** A catch-up ended within a second of the last checkpoint: the next is owed a second after it. */
  catchUpEnded: boolean;
  lastCheckpoint: number;
  lastRecordAt: number;
  /** Corrections emitted by the processor whose write failed: merged with the next checkpoint. */
  unmerged: RollupRecord[];
  /**
   * Rollups of windows closed while the partition catches up on a backlog, by key (a later row of a
   * key replaces an earlier, as a second write would): written with the next checkpoint, in one
   * transaction, instead of one transaction a batch.
   */
  held: Map<string, RollupRecord>;
  /** Serialises batch handling and idle advances on one partition. */
  chain: Promise<void>;
}

const decoder = new TextDecoder();

/**
 * Decodes a telemetry record; a record stamped with its sender's clock (header wardwatch-sent-at) on a
 * topic whose timestamps are the log's append time has its event time moved by the sender's skew.
 */
function decodeRecord(record: ConsumedRecord, now: number, skews: number[]): DecodeResult {
  const sentAt = record.logAppendTime ? record.headers[SENT_AT_RECORD_HEADER] : undefined;
  if (sentAt === undefined) return decodeEvent(record.value, { now });
  const skew = measureSkew(sentAt, record.timestamp, `record header ${SENT_AT_RECORD_HEADER}`);
  if (!skew.ok) return { ok: false, reason: 'schema', message: skew.message };
  if (skew.measuredMs !== undefined) skews.push(skew.measuredMs);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(record.value));
  } catch (error) {
    return { ok: false, reason: 'malformed-json', message: `not valid JSON: ${(error as Error).message}` };
  }
  correctEventTime(value, skew.correctionMs);
  return validateEvent(value, { now });
}
const encoder = new TextEncoder();

/**
 * Records still to read behind a batch from which the partition counts as catching up on a backlog
 * (its rollups then wait for the checkpoint): at a trust's live rate a partition is a few records
 * behind at most, so this is tens of seconds of its traffic, not a moment's.
 */
const CATCHING_UP_RECORDS = 1000;

/** A rollup row's primary key in the store, as one string. */
function rollupKeyOf(r: RollupKey): string {
  return `${r.resolution}\u0000${r.scope}\u0000${r.metric}\u0000${r.start}`;
}
const tracer = trace.getTracer('wardwatch-processor');

export class ProcessorRuntime {
  private readonly partitions = new Map<number, PartitionState>();
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private readonly checkpointIntervalMs: number;

  constructor(private readonly options: ProcessorRuntimeOptions) {
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 5_000;
  }

  async start(): Promise<void> {
    const { transport, topics, groupId } = this.options;
    this.producer = transport.producer();
    this.consumer = transport.consumer({
      groupId,
      topics: [topics.telemetry],
      onAssigned: (assignment) => this.assigned(assignment),
      onRevoked: (assignment) => this.revoked(assignment),
      // The store's checkpoint is the truth: without one, start from the beginning of the log, not
      // from the group's committed offset (those records' effects may never have reached the store).
      startOffset: this.options.resumeFromCheckpoint
        ? async (topic, partition) => (await this.options.store.checkpoint(groupId, topic, partition))?.offset ?? '0'
        : undefined,
      onHandlerError: (error, batch) => this.options.observer?.error?.(error, `partition ${batch.partition}: the batch will be retried`),
    });
    await this.consumer.run((batch) => this.handle(batch));
    const idleMs = this.options.idleAdvanceMs ?? 10_000;
    if (Number.isFinite(idleMs)) {
      this.idleTimer = setInterval(() => this.advanceIdle(idleMs), Math.min(idleMs, 5_000));
      this.idleTimer.unref();
      this.checkpointTimer = setInterval(() => this.checkpointCaughtUp(), Math.min(this.checkpointIntervalMs, 1_000));
      this.checkpointTimer.unref();
    }
  }

  /**
   * For a clock that moves in steps (the embedded pipeline's stepped clock, in tests): after the
   * batches already queued, brings every partition's watermark up to the clock less the lag — where
   * a quiet spell of the step's length would push it — and writes what that closes, the corrections
   * held for a checkpoint, and a checkpoint. When it resolves, everything received before the call
   * is counted, stored and its statuses published, whatever wall time the work took.
   */
  async settle(): Promise<void> {
    const lag = this.options.config?.watermarkLagMs ?? DEFAULT_PROCESSOR_CONFIG.watermarkLagMs;
    const target = this.options.clock() - lag;
    const runs = [...this.partitions].map(([partition, state]) => {
      const run = state.chain.then(async () => {
        if (state.processor.watermark === -Infinity) return; // nothing received yet
        await this.persist(partition, state, state.processor.advanceTo(target), true);
      });
      state.chain = run.catch(() => {});
      return run;
    });
    await Promise.all(runs);
  }

  /**
   * The source has delivered every event before `time`, and the consumer has read them (the caller
   * waits for that): every partition's live figures reach `time` — those with no events in the round
   * too — and the statuses due by then are evaluated and published. Windows still close by the
   * watermark. Resolves once each partition is done.
   */
  async liveTo(time: number): Promise<void> {
    // The partitions evaluated, by the time they were evaluated as of: one live edge each (usually one
    // for them all: each mark is a tick on every partition), sent with every partition's statuses in
    // one message — an edge sent apart reached the board a feed interval after the statuses.
    const evaluated = new Map<number, number[]>();
    const statuses: ScopeStatus[] = [];
    const runs = [...this.partitions].map(([partition, state]) => {
      const run = state.chain.then(async () => {
        if (state.processor.watermark === -Infinity) return; // nothing received yet
        const output = state.processor.liveTo(time, { holdCorrections: !this.checkpointDue(state) });
        if (output.rollups.length > 0 || output.corrections.length > 0 || output.statuses.length > 0) await this.persist(partition, state, output, false, undefined, false, statuses);
        if (output.evaluatedTo !== undefined) {
          const partitions = evaluated.get(output.evaluatedTo);
          if (partitions) partitions.push(partition);
          else evaluated.set(output.evaluatedTo, [partition]);
        }
      });
      state.chain = run.catch((error) => this.options.observer?.error?.(error, `live statuses of partition ${partition}: evaluated again at the next mark`));
      return state.chain;
    });
    await Promise.all(runs);
    if (evaluated.size === 0 && statuses.length === 0) return;
    const edges: LiveEdge[] = [];
    for (const [asOf, partitions] of evaluated) edges.push(liveEdgeOf(partitions.sort((a, b) => a - b), asOf));
    await this.publish(statuses, edges).catch((error) =>
      this.options.observer?.error?.(error, 'publishing live statuses: the next mark publishes its edge; a status lost here goes out when it changes again, at the window’s end or at its refresh'),
    );
  }

  /** Stops consuming and checkpoints every partition (open windows included), so a restart resumes. */
  async stop(): Promise<void> {
    clearInterval(this.idleTimer);
    clearInterval(this.checkpointTimer);
    await this.consumer?.stop(); // revokes (and so checkpoints) every partition
    await this.producer?.close();
  }

  /** Current statuses of every scope held by this instance. */
  statuses(): ScopeStatus[] {
    return [...this.partitions.values()].flatMap((p) => p.processor.statuses());
  }

  private async assigned(assignment: PartitionAssignment[]): Promise<void> {
    for (const { topic, partitions } of assignment) {
      if (topic !== this.options.topics.telemetry) continue;
      for (const partition of partitions) {
        const checkpoint = await this.options.store.checkpoint(this.options.groupId, topic, partition);
        // Its partition named on the sites it publishes: their time on the board follows its live edge.
        const config = { ...this.options.config, partition };
        const processor = checkpoint?.state ? StreamProcessor.restore(checkpoint.state, config, checkpoint.parts?.put ?? []) : new StreamProcessor(config);
        this.partitions.set(partition, {
          processor,
          nextOffset: checkpoint?.offset,
          checkpointedOffset: checkpoint?.offset,
          checkpointedHere: false,
          catchUpEnded: false,
          lastCheckpoint: Date.now(),
          lastRecordAt: Date.now(),
          unmerged: [],
          held: new Map(),
          chain: Promise.resolve(),
        });
      }
    }
  }

  private async revoked(assignment: PartitionAssignment[]): Promise<void> {
    for (const { topic, partitions } of assignment) {
      if (topic !== this.options.topics.telemetry) continue;
      for (const partition of partitions) {
        const state = this.partitions.get(partition);
        if (!state) continue;
        await state.chain;
        // Held corrections leave now, with this last checkpoint (nothing else is due: the watermark
        // has not moved since the last advance).
        const output = state.processor.pendingCorrections
          ? state.processor.advance()
          : { rollups: [], corrections: [], statuses: [], watermark: state.processor.watermark };
        await this.persist(partition, state, output, true);
        this.partitions.delete(partition);
      }
    }
  }

  private handle(batch: RecordBatch): Promise<void> {
    const state = this.partitions.get(batch.partition);
    if (!state) throw new Error(`batch for partition ${batch.partition}, which is not assigned here`);
    const run = state.chain.then(() => this.process(batch, state));
    state.chain = run.catch(() => {});
    return run;
  }

  private async process(batch: RecordBatch, state: PartitionState): Promise<void> {
    // One span per batch: a child of the first record's producer span, linked to the others.
    const first = batch.records[0];
    const span = tracer.startSpan(
      'telemetry process',
      {
        kind: SpanKind.CONSUMER,
        links: traceLinks(batch.records.slice(1).map((r) => r.headers)),
        attributes: { 'messaging.destination.name': batch.topic, 'messaging.destination.partition.id': String(batch.partition), 'messaging.batch.message_count': batch.records.length },
      },
      first ? traceContextOf(first.headers) : undefined,
    );
    try {
      await this.processTraced(batch, state, trace.setSpan(traceContextOf({}), span));
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  private async processTraced(batch: RecordBatch, state: PartitionState, traceContext: Context): Promise<void> {
    const { processor } = state;
    const now = this.options.clock();
    const deadLetters: OutgoingRecord[] = [];
    const rejected: Record<string, number> = {};
    const before = { ...processor.counters };
    let accepted = 0;
    const skews: number[] = [];
    for (const record of batch.records) {
      const decoded = decodeRecord(record, now, skews);
      if (!decoded.ok) {
        rejected[decoded.reason] = (rejected[decoded.reason] ?? 0) + 1;
        deadLetters.push(this.deadLetter(batch, record, decoded.reason, decoded.message));
        continue;
      }
      const partitions = this.options.telemetryPartitions;
      if (partitions !== undefined && partitionForKey(decoded.event.site, partitions) !== batch.partition) {
        rejected['wrong-partition'] = (rejected['wrong-partition'] ?? 0) + 1;
        deadLetters.push(
          this.deadLetter(batch, record, 'wrong-partition', `site ${decoded.event.site} belongs on partition ${partitionForKey(decoded.event.site, partitions)} of ${partitions}, not ${batch.partition}: telemetry records are keyed by their site`),
        );
        continue;
      }
      // The watermark cap follows when the record reached the log (its append time, stamped by the
      // receiver), not when this processor reads it: reading a backlog minutes behind must not let
      // one record dated ahead close the windows of the records queued after it.
      const outcome = processor.add(decoded.event, record.logAppendTime ? Math.min(record.timestamp, now) : now);
      if (outcome === 'too-late') {
        deadLetters.push(
          this.deadLetter(batch, record, 'too-late', `event time ${new Date(decoded.event.ts).toISOString()} is behind a window already closed and beyond the correction horizon (watermark ${new Date(processor.watermark).toISOString()})`),
        );
      } else if (outcome !== 'duplicate') {
        accepted++;
      }
    }
    // Corrections can only be written with a checkpoint: until one is due they wait in the state.
    const output = processor.advance({ holdCorrections: !this.checkpointDue(state), statuses: !this.options.statusesAtSourceMarks });
    const last = batch.records[batch.records.length - 1];
    if (last) state.nextOffset = String(BigInt(last.offset) + 1n);
    const lag = last && batch.logEndOffset !== undefined ? Number(BigInt(batch.logEndOffset) - BigInt(last.offset) - 1n) : 0;
    if (last && batch.logEndOffset !== undefined) this.options.observer?.lag?.(batch.topic, batch.partition, lag);
    state.lastRecordAt = Date.now();
    // Dead letters first: if the store write fails, the batch is redelivered and they are sent again
    // (at-least-once on the dead-letter topic), but never lost.
    if (deadLetters.length > 0) await this.producer!.send(this.options.topics.deadLetter, deadLetters);
    await this.persist(batch.partition, state, output, false, traceContext, lag >= CATCHING_UP_RECORDS);
    const after = processor.counters;
    this.options.observer?.batch?.({
      accepted,
      late: after.late - before.late,
      corrected: after.corrected - before.corrected,
      tooLate: after.tooLate - before.tooLate,
      duplicates: after.duplicates - before.duplicates,
      seqResets: after.seqResets - before.seqResets,
      rejected,
      ...(skews.length > 0 ? { clockSkewsMs: skews } : {}),
    });
  }

  /** Wall time: checkpoints cost a state snapshot, whatever the pace of event time. */
  private checkpointDue(state: PartitionState): boolean {
    return Date.now() - state.lastCheckpoint >= this.checkpointIntervalMs;
  }

  /**
   * Writes the output's rollups, with a checkpoint when one is due (or `force`d), then publishes its
   * statuses, with the partition's live edge after them when the advance evaluated — or, given
   * `gathered`, adds the statuses to it (`liveTo` publishes every partition's statuses and edge
   * together). `catchingUp` (a backlog still to read behind this batch): rollups wait in the
   * partition's state for the next checkpoint — a backlog then costs the store one transaction a
   * checkpoint interval, not one a batch; they are as safe there as in the store, since a restart
   * replays from the checkpoint, which does not yet include their events.
   */
  private async persist(partition: number, state: PartitionState, output: ProcessorOutput, force: boolean, traceContext?: Context, catchingUp = false, gathered?: ScopeStatus[]): Promise<void> {
    const now = Date.now();
    const corrections = state.unmerged.length > 0 ? [...state.unmerged, ...output.corrections] : output.corrections;
    // Corrections force a checkpoint: merged rows must not commit without the offset past their events.
    // So does the end of a catch-up (rows held, no backlog left): the rows and the offset past the
    // backlog go in one transaction at once, not the rows now and the offset up to an interval later —
    // at most a second after the last checkpoint, for a partition whose live rate keeps it hovering
    // about the threshold. The first time a partition is caught up after its assignment (a start, a
    // restart, a rebalance) with a backlog's worth read, at once, held rows or not: its backlog may
    // have come in one batch.
    const endOfCatchUp = !catchingUp && (state.checkpointedHere ? state.held.size > 0 && now - state.lastCheckpoint >= this.catchUpSpacingMs() : state.held.size > 0 || this.readSinceCheckpoint(state) >= CATCHING_UP_RECORDS);
    if (!catchingUp && state.held.size > 0 && !endOfCatchUp) state.catchUpEnded = true; // checkpointCaughtUp's, in a second
    const due = force || endOfCatchUp || corrections.length > 0 || now - state.lastCheckpoint >= this.checkpointIntervalMs;
    for (const r of output.rollups) state.held.set(rollupKeyOf(r), r);
    const rollups = catchingUp && !due ? [] : [...state.held.values()];
    if (rollups.length > 0) state.held = new Map();
    if (rollups.length > 0 || due) {
      // An incremental checkpoint: the windows that can no longer change are parts, written once.
      const draft = due && state.nextOffset !== undefined ? state.processor.checkpoint() : undefined;
      const checkpoint: PartitionCheckpoint | undefined = draft && {
        group: this.options.groupId,
        topic: this.options.topics.telemetry,
        partition,
        offset: state.nextOffset!,
        state: draft.head,
        parts: { put: draft.put, keep: draft.keep },
      };
      let records = rollups;
      state.unmerged = [];
      try {
        if (corrections.length > 0) {
          if (checkpoint) records = await this.mergeCorrections(records, corrections);
          else state.unmerged = corrections; // no offset to commit them with yet
        }
        await this.options.store.write(records, checkpoint);
      } catch (error) {
        // Nothing was written: the corrections and the rollups are still owed (the redelivered batch
        // is all duplicates, so nothing else would emit them again).
        state.unmerged = corrections;
        for (const r of rollups) if (!state.held.has(rollupKeyOf(r))) state.held.set(rollupKeyOf(r), r);
        throw error;
      }
      if (draft) {
        draft.commit();
        state.lastCheckpoint = now;
        state.checkpointedOffset = checkpoint!.offset;
        state.checkpointedHere = true;
        state.catchUpEnded = false;
      }
    }
    if (gathered) {
      for (const status of output.statuses) gathered.push(status);
      return;
    }
    const edges = output.evaluatedTo !== undefined ? [liveEdgeOf([partition], output.evaluatedTo)] : [];
    if (output.statuses.length > 0 || edges.length > 0) await this.publish(output.statuses, edges, traceContext);
  }

  /** Statuses, then live edges, onto the status topic (compacted: keyed by scope, edges by partitions). */
  private async publish(statuses: ScopeStatus[], edges: LiveEdge[], traceContext?: Context): Promise<void> {
    const span = tracer.startSpan('status publish', { kind: SpanKind.PRODUCER, attributes: { 'messaging.batch.message_count': statuses.length + edges.length } }, traceContext);
    const headers = traceHeaders(trace.setSpan(traceContextOf({}), span));
    try {
      const records: OutgoingRecord[] = statuses.map((s) => ({ key: s.key, value: encoder.encode(JSON.stringify(s)), headers }));
      for (const e of edges) records.push({ key: e.key, value: encoder.encode(JSON.stringify(e)), headers });
      await this.producer!.send(this.options.topics.status, records);
    } finally {
      span.end();
    }
    if (statuses.length > 0) this.options.observer?.statuses?.(statuses);
    if (edges.length > 0) this.options.observer?.liveEdges?.(edges.length);
  }

  /**
   * Checkpoints each partition that has read past its last checkpoint and is due one, though no batch
   * came to carry it: a partition that has caught up (the end of a backlog, a lull) would otherwise
   * leave its last records out of the store's offset until its next batch or idle advance, seconds
   * later, and a restart meanwhile would read them again.
   */
  private checkpointCaughtUp(): void {
    for (const [partition, state] of this.partitions) {
      if (!this.checkpointOwed(state)) continue;
      const run = state.chain.then(async () => {
        if (!this.checkpointOwed(state)) return; // a batch carried one meanwhile
        // Held corrections leave with it (they wait only for a checkpoint); nothing else is due.
        const output = state.processor.pendingCorrections
          ? state.processor.advance({ statuses: false })
          : { rollups: [], corrections: [], statuses: [], watermark: state.processor.watermark };
        await this.persist(partition, state, output, true);
      });
      state.chain = run.catch((error) => this.options.observer?.error?.(error, `checkpoint of partition ${partition}: tried again in a second`));
    }
  }

  /** Records read past the partition's last checkpoint (or its start offset when it has none). */
  private readSinceCheckpoint(state: PartitionState): number {
    if (state.nextOffset === undefined) return 0;
    return Number(BigInt(state.nextOffset) - BigInt(state.checkpointedOffset ?? '0'));
  }

  private checkpointOwed(state: PartitionState): boolean {
    if (state.nextOffset === undefined || state.nextOffset === state.checkpointedOffset) return false;
    return this.checkpointDue(state) || (state.catchUpEnded && Date.now() - state.lastCheckpoint >= this.catchUpSpacingMs());
  }

  /** Least time between a checkpoint and one for the end of a catch-up. */
  private catchUpSpacingMs(): number {
    return Math.min(1_000, this.checkpointIntervalMs);
  }

  /** Pushes the watermark of partitions that have gone quiet, so their windows still close. */
  private advanceIdle(idleMs: number): void {
    const wall = Date.now();
    for (const [partition, state] of this.partitions) {
      if (wall - state.lastRecordAt < idleMs) continue;
      const run = state.chain.then(async () => {
        // Move event time on by as long as the partition has been quiet, and never past the clock:
        // live traffic then closes its windows on time, while a replay of old data is not declared
        // too late just because the wall clock is hours ahead of it.
        const lag = this.options.config?.watermarkLagMs ?? DEFAULT_PROCESSOR_CONFIG.watermarkLagMs;
        const watermark = state.processor.watermark;
        if (watermark === -Infinity) return;
        const target = Math.min(this.options.clock() - lag, watermark + (Date.now() - state.lastRecordAt));
        const output = state.processor.advanceTo(target, { holdCorrections: !this.checkpointDue(state) });
        if (output.rollups.length > 0 || output.corrections.length > 0 || output.statuses.length > 0 || state.unmerged.length > 0) {
          await this.persist(partition, state, output, false);
        }
      });
      state.chain = run.catch((error) => this.options.observer?.error?.(error, `idle advance of partition ${partition}: tried again at the next idle check`));
    }
  }

  /**
   * The records to write for `rollups` plus `corrections`: each correction merged into the row of its
   * key — the one this write replaces it with, else the one stored (looked up by primary key, all
   * keys in one batch), else none. Corrections past the retention are dropped. A stored row that is
   * not a rollup (rollupIssue) is not added to: the correction is written in its place, and reported.
   */
  private async mergeCorrections(rollups: RollupRecord[], corrections: RollupRecord[]): Promise<RollupRecord[]> {
    const rows = new Map<string, RollupRecord>();
    for (const r of rollups) rows.set(rollupKeyOf(r), r);
    const { retentionMs } = this.options;
    const now = this.options.clock();
    const kept = retentionMs ? corrections.filter((c) => c.start >= now - retentionMs[c.resolution]) : corrections;
    // The stored rows under the keys this write does not already carry.
    const missing = new Map<string, RollupKey>();
    for (const c of kept) {
      const key = rollupKeyOf(c);
      if (!rows.has(key)) missing.set(key, { scope: c.scope, metric: c.metric, resolution: c.resolution, start: c.start });
    }
    const stored = new Map<string, RollupRecord>();
    // Rows read back from the store are checked against the rollup contract here, where a bad one
    // would be merged and written again (made permanent), and not on every store read: a query
    // returns thousands of rows, and checking one (~1.5-2 µs) adds a quarter to a third to reading
    // it from SQLite (~6 µs; 20k rows, measured). Lookups here are few: the late corrections' keys.
    if (missing.size > 0) {
      for (const row of await this.options.store.lookup([...missing.values()])) {
        const issue = rollupIssue(row);
        if (issue === undefined) stored.set(rollupKeyOf(row), row);
        else this.options.observer?.error?.(new Error(`the stored rollup ${row.scope} ${row.metric} ${row.resolution} ${row.start} is not a valid rollup (${issue})`), 'late corrections: the correction is written in its place, not added to it');
      }
    }
    for (const c of kept) {
      const key = rollupKeyOf(c);
      const base = rows.get(key) ?? stored.get(key);
      rows.set(key, base ? mergeRollupRecords(base, c) : c);
    }
    return [...rows.values()];
  }

  private deadLetter(batch: RecordBatch, record: ConsumedRecord, reason: string, message: string): OutgoingRecord {
    // The original cut to its first kilobytes (its size noted): a huge line must not cost its size again.
    const letter = deadLetterOf({ reason, message, topic: batch.topic, partition: batch.partition, offset: record.offset, at: Date.now() }, record.value);
    return { key: record.key ?? 'unknown', value: encoder.encode(JSON.stringify(letter)), headers: { reason } };
  }
}
