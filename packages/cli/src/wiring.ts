// The pieces every way of running wardwatch shares: topic layout, the status feed into the server's
// board, the ingest sink onto the telemetry topic, the dead letters into the server's log, and
// processor counters into metrics.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DeadLetter, deadLetterOf, decodeStatusRecord, topicName, type LiveEdge, type ScopeStatus, type StatusRejectReason, type TelemetryEvent } from '@wardwatch/schema';
import { SpanKind, trace } from '@opentelemetry/api';
import { traceContextOf, traceHeaders, type Consumer, type OutgoingRecord, type Producer, type TopicSpec, type Transport } from '@wardwatch/transport';
import type { RuntimeObserver, RuntimeTopics } from '@wardwatch/processor';
import { MaintenanceNow, maintenanceHolds, StatusBoardFeed, type DeadLetterLog, type IngestSink, type MaintenanceHolds, type PipelineMetrics, type StatusBoard } from '@wardwatch/server';
import type { AnnotationStore } from '@wardwatch/store';

export interface TopicLayout extends RuntimeTopics {
  alerts: string;
}

export function topicLayout(prefix = 'wardwatch'): TopicLayout {
  return {
    telemetry: topicName('telemetry', prefix),
    deadLetter: topicName('deadLetter', prefix),
    status: topicName('status', prefix),
    alerts: topicName('alerts', prefix),
  };
}

/** Telemetry keyed by site over `partitions` partitions; statuses compacted (latest per scope). */
export function topicSpecs(topics: TopicLayout, partitions: number): TopicSpec[] {
  return [
    // Append time stamped by the broker: what a device's clock is measured against (wardwatch-sent-at).
    { name: topics.telemetry, partitions, logAppendTime: true },
    { name: topics.deadLetter, partitions: 1 },
    { name: topics.status, partitions, compacted: true },
    { name: topics.alerts, partitions: 1 },
  ];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const tracer = trace.getTracer('wardwatch-producer');

/**
 * Telemetry records keyed by site, each value the event's JSON. The values are views on one buffer of
 * exactly their bytes: a buffer per record cost an allocation each, and a structured clone (the
 * embedded pipeline posts the records to its processor threads) copied each one apart — one buffer
 * cut the hand-off's CPU by a third or more (docs/benchmarks.md, "The embedded processor on two
 * threads").
 */
export function encodeEvents(events: TelemetryEvent[], headers?: Record<string, string>): OutgoingRecord[] {
  const texts = events.map((e) => JSON.stringify(e));
  let size = 0;
  for (const text of texts) size += Buffer.byteLength(text, 'utf8');
  // A buffer of its own (not the pool's): a view posted to a processor thread clones all of it.
  // Buffer.write rather than TextEncoder.encodeInto through a new view a record: the write 2–3 × faster,
  // the whole encoding (JSON.stringify most of it) 3.3 → 2.4 µs an event; encodeInto was 7 % of a
  // start's backfill.
  const bytes = Buffer.allocUnsafeSlow(size);
  const records: OutgoingRecord[] = new Array(texts.length);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const written = bytes.write(texts[i]!, at, 'utf8');
    records[i] = { key: events[i]!.site, value: bytes.subarray(at, at + written), headers };
    at += written;
  }
  return records;
}

/** Sends telemetry keyed by site, in a producer span whose context travels in the record headers. */
export async function produceTelemetry(producer: Producer, topic: string, events: TelemetryEvent[], source: string): Promise<void> {
  if (events.length === 0) return;
  const span = tracer.startSpan('telemetry produce', {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.destination.name': topic, 'messaging.batch.message_count': events.length, 'wardwatch.source': source },
  });
  try {
    await producer.send(topic, encodeEvents(events, traceHeaders(trace.setSpan(traceContextOf({}), span))));
  } finally {
    span.end();
  }
}

/** Where a status record was read, and why it was skipped. */
export interface InvalidStatus {
  topic: string;
  partition: number;
  offset: string;
  reason: StatusRejectReason;
  message: string;
}

/**
 * A status record that is not a v1 scope status (not JSON, or not the shape): skipped, never applied
 * and never fatal to the reader — the board keeps the scope's last good status, the next message
 * replaces it — but logged with its reason and counted, so a writer of bad statuses is seen.
 */
export function reportInvalidStatus(invalid: InvalidStatus, log: Logger, metrics: Pick<PipelineMetrics, 'statusMessagesInvalid'>): void {
  metrics.statusMessagesInvalid.inc({ reason: invalid.reason });
  log.warn({ topic: invalid.topic, partition: invalid.partition, offset: invalid.offset, reason: invalid.reason }, `skipping a status message: ${invalid.message}`);
}

/** Feeds the server's status board from the status topic, from its start (it is compacted). */
export async function feedStatusBoard(transport: Transport, topic: string, board: StatusBoard, log: Logger, metrics: Pick<PipelineMetrics, 'statusMessagesInvalid'>): Promise<Consumer> {
  const consumer = transport.consumer({
    // Every server reads every status: a group of its own.
    groupId: `${topic}-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    onHandlerError: (error) => log.error({ err: error }, 'status message could not be applied'),
  });
  const feed = new StatusBoardFeed(board);
  await consumer.run(async (batch) => {
    const statuses: ScopeStatus[] = [];
    const edges: LiveEdge[] = [];
    for (const record of batch.records) {
      const decoded = decodeStatusRecord(record.value);
      if (!decoded.ok) reportInvalidStatus({ topic: batch.topic, partition: batch.partition, offset: record.offset, reason: decoded.reason, message: decoded.message }, log, metrics);
      else if (decoded.edge) edges.push(decoded.edge);
      else statuses.push(decoded.status);
    }
    feed.push(statuses, edges);
  });
  return consumer;
}

/**
 * Ingest into the telemetry topic, its refusals into the dead-letter topic. `onDeadLetter` sees each
 * letter as it is sent (the embedded pipeline's dead-letter log: its topic is the in-process bus's,
 * which nothing outside the processor thread reads).
 */
export function ingestSink(producer: Producer, topics: TopicLayout, onDeadLetter?: (letter: DeadLetter) => void): IngestSink {
  return {
    accept: async (events) => produceTelemetry(producer, topics.telemetry, events, 'http'),
    reject: async (items) => {
      const letters = items.map((item) => deadLetterOf({ reason: item.reason, message: item.message, topic: item.via, partition: -1, offset: '-1', at: Date.now() }, item.raw));
      await producer.send(
        topics.deadLetter,
        letters.map((letter) => ({ key: letter.topic, value: encoder.encode(JSON.stringify(letter)), headers: { reason: letter.reason } })),
      );
      if (onDeadLetter) for (const letter of letters) onDeadLetter(letter);
    },
  };
}

/**
 * Feeds the server's dead-letter log from the dead-letter topic, from its start (what the topic still
 * holds): the gateways' refusals and the processors' alike. A record that is not a dead letter is
 * skipped with a warning.
 */
export async function feedDeadLetterLog(transport: Transport, topic: string, letters: DeadLetterLog, log: Logger): Promise<Consumer> {
  const consumer = transport.consumer({
    groupId: `${topic}-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    onHandlerError: (error) => log.error({ err: error }, 'dead letter could not be read'),
  });
  await consumer.run(async (batch) => {
    for (const record of batch.records) {
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(record.value));
      } catch {
        value = undefined;
      }
      const letter = DeadLetter.safeParse(value);
      if (letter.success) letters.add(letter.data);
      else log.warn({ topic: batch.topic, partition: batch.partition, offset: record.offset }, 'skipping a record of the dead-letter topic that is not a dead letter');
    }
  });
  return consumer;
}

export function metricsObserver(metrics: PipelineMetrics, log: Logger, source: string): RuntimeObserver {
  return {
    batch(counts) {
      if (counts.accepted) metrics.eventsIn.inc({ source }, counts.accepted);
      if (counts.late) metrics.late.inc(counts.late);
      if (counts.corrected) metrics.corrected.inc(counts.corrected);
      if (counts.tooLate) {
        metrics.tooLate.inc(counts.tooLate);
        metrics.rejected.inc({ reason: 'too-late' }, counts.tooLate);
      }
      if (counts.duplicates) metrics.duplicates.inc(counts.duplicates);
      if (counts.seqResets) metrics.seqResets.inc(counts.seqResets);
      for (const [reason, n] of Object.entries(counts.rejected)) metrics.rejected.inc({ reason }, n);
      for (const ms of counts.clockSkewsMs ?? []) metrics.recordClockSkew.observe(ms / 1000);
    },
    lag(topic, partition, records) {
      metrics.consumerLag.set({ topic, partition: String(partition) }, records);
    },
    statuses(statuses) {
      metrics.statusMessages.inc(statuses.length);
    },
    liveEdges(count) {
      metrics.statusMessages.inc(count);
    },
    error(error, context) {
      // The context says what failed and what happens next (a batch is retried; a pruning runs again).
      log.error({ err: error, context }, `processor: ${context}`);
    },
  };
}

/**
 * The recorded maintenance windows, made before the SLO evaluator (given `holds`) and the app (given
 * `maintenance`): they mark the screens and hold the alerts they cover from the first evaluation on.
 */
export function maintenanceWindows(store: Pick<AnnotationStore, 'annotations'>, clock: () => number, board: StatusBoard, log: Logger): { maintenance: MaintenanceNow; holds: MaintenanceHolds } {
  const maintenance = new MaintenanceNow(store, clock, (error) => log.warn({ err: error }, 'reading the recorded maintenance windows failed (the last read is kept)'));
  return { maintenance, holds: maintenanceHolds(maintenance, board) };
}
