// The processor at its edges: consumes telemetry through a Transport, runs one StreamProcessor per
// assigned partition, writes rollups and a checkpoint to the store, publishes statuses, and dead-
// letters what it cannot count. Effects are idempotent (whole windows replace themselves), and the
// checkpoint — next offset plus processor state — is written in the same transaction as rollups, so
// replaying from it after a crash counts nothing twice. Late corrections are the one effect that is
// not idempotent (they add to stored rows): they are merged (correction-merge.ts: read the stored
// rows, merge, write back) and only ever in a write that carries the checkpoint, so the merged rows
// and the offset past the events they count commit together or not at all.
import { liveEdgeOf, type LiveEdge, type ScopeStatus, type RollupRecord } from '@wardwatch/schema';
import { SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { partitionForKey, traceContextOf, traceHeaders, traceLinks, type Consumer, type OutgoingRecord, type PartitionAssignment, type Producer, type RecordBatch } from '@wardwatch/transport';
import type { PartitionCheckpoint } from '@wardwatch/store';
import { DEFAULT_PROCESSOR_CONFIG } from '../config.ts';
import { StreamProcessor, type ProcessorOutput } from '../stream-processor.ts';
import { mergeCorrections, rollupKeyOf } from './correction-merge.ts';
import { deadLetterRecord, decodeRecord } from './record-decoding.ts';
import type { ProcessorRuntimeOptions } from './runtime-options.ts';

export type { ProcessorRuntimeOptions, RuntimeObserver, RuntimeTopics } from './runtime-options.ts';

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

const encoder = new TextEncoder();

/**
 * Records still to read behind a batch from which the partition counts as catching up on a backlog
 * (its rollups then wait for the checkpoint): at a trust's live rate a partition is a few records
 * behind at most, so this is tens of seconds of its traffic, not a moment's.
 */
const CATCHING_UP_RECORDS = 1000;

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
        if (this.options.partitions && !this.options.partitions.includes(partition)) continue;
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
        deadLetters.push(deadLetterRecord(batch, record, decoded.reason, decoded.message, Date.now()));
        continue;
      }
      const partitions = this.options.telemetryPartitions;
      if (partitions !== undefined && partitionForKey(decoded.event.site, partitions) !== batch.partition) {
        rejected['wrong-partition'] = (rejected['wrong-partition'] ?? 0) + 1;
        deadLetters.push(
          deadLetterRecord(batch, record, 'wrong-partition', `site ${decoded.event.site} belongs on partition ${partitionForKey(decoded.event.site, partitions)} of ${partitions}, not ${batch.partition}: telemetry records are keyed by their site`, Date.now()),
        );
        continue;
      }
      // The watermark cap follows when the record reached the log (its append time, stamped by the
      // receiver), not when this processor reads it: reading a backlog minutes behind must not let
      // one record dated ahead close the windows of the records queued after it.
      const outcome = processor.add(decoded.event, record.logAppendTime ? Math.min(record.timestamp, now) : now);
      if (outcome === 'too-late') {
        deadLetters.push(
          deadLetterRecord(batch, record, 'too-late', `event time ${new Date(decoded.event.ts).toISOString()} is behind a window already closed and beyond the correction horizon (watermark ${new Date(processor.watermark).toISOString()})`, Date.now()),
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
          if (checkpoint) {
            records = await mergeCorrections(records, corrections, {
              store: this.options.store,
              now: this.options.clock(),
              ...(this.options.retentionMs ? { retentionMs: this.options.retentionMs } : {}),
              onInvalidRow: (error) => this.options.observer?.error?.(error, 'late corrections: the correction is written in its place, not added to it'),
            });
          }
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

}
