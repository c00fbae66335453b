// A telemetry record off the topic to an event, and a refused record to its dead letter: the
// runtime's two translations between the log's bytes and the event contract.
import { correctEventTime, deadLetterOf, decodeEvent, measureSkew, SENT_AT_RECORD_HEADER, validateEvent, type DecodeResult } from '@wardwatch/schema';
import type { ConsumedRecord, OutgoingRecord, RecordBatch } from '@wardwatch/transport';

const decoder = new TextDecoder();

/**
 * Decodes a telemetry record; a record stamped with its sender's clock (header wardwatch-sent-at) on a
 * topic whose timestamps are the log's append time has its event time moved by the sender's skew.
 */
export function decodeRecord(record: ConsumedRecord, now: number, skews: number[]): DecodeResult {
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

/** The dead letter for a refused record, keyed as the record was and with its reason as a header. */
export function deadLetterRecord(batch: RecordBatch, record: ConsumedRecord, reason: string, message: string, at: number): OutgoingRecord {
  // The original cut to its first kilobytes (its size noted): a huge line must not cost its size again.
  const letter = deadLetterOf({ reason, message, topic: batch.topic, partition: batch.partition, offset: record.offset, at }, record.value);
  return { key: record.key ?? 'unknown', value: encoder.encode(JSON.stringify(letter)), headers: { reason } };
}
