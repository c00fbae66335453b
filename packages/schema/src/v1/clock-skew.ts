// A device's clock, measured per batch: the agent stamps each HTTP batch with the header
// `Wardwatch-Sent-At` and each Kafka record with the record header `wardwatch-sent-at` (epoch ms by its
// own clock, as digits); the receiver compares it with its own clock on arrival. The difference is
// the device's skew; every event of the batch is moved by it onto the receiver's clock and carries
// it as `skewMs` (envelope.ts). One rule for every receiver (the ingest gateway, the Kafka consumer).
import { MAX_EVENT_TS, MAX_SKEW_MS, MIN_EVENT_TS } from './envelope.ts';

/** The HTTP request header of an ingest batch. */
export const SENT_AT_HEADER = 'Wardwatch-Sent-At';
/** The Kafka record header of a telemetry record (same value: epoch ms as digits). */
export const SENT_AT_RECORD_HEADER = 'wardwatch-sent-at';

/**
 * Below this the measurement is network latency, not a clock out of true: the events keep their own
 * stamps and carry skewMs 0 (the histogram still records the measurement). Two seconds is well inside
 * a minute's window and well above a LAN or WAN round trip.
 */
export const SKEW_CORRECTION_FLOOR_MS = 2_000;

export type SkewMeasurement =
  /** measuredMs: sentAt − receivedAt, undefined without the header; correctionMs: what is applied. */
  | { ok: true; measuredMs: number | undefined; correctionMs: number }
  | { ok: false; message: string };

/** Reads the header against the receiver's clock at arrival; `name` only labels the messages. */
export function measureSkew(header: string | undefined, receivedAt: number, name: string = SENT_AT_HEADER): SkewMeasurement {
  if (header === undefined) return { ok: true, measuredMs: undefined, correctionMs: 0 };
  const text = header.trim();
  if (!/^\d{1,16}$/.test(text)) {
    return { ok: false, message: `${name} must be the time the batch was sent, epoch milliseconds as digits; got "${text.slice(0, 40)}"` };
  }
  const sentAt = Number(text);
  if (sentAt < MIN_EVENT_TS || sentAt >= MAX_EVENT_TS) {
    return { ok: false, message: `${name} ${sentAt} is not a time between 2000 and 2100 in epoch milliseconds` };
  }
  const measuredMs = sentAt - receivedAt;
  if (Math.abs(measuredMs) > MAX_SKEW_MS) {
    const days = (measuredMs / 86_400_000).toFixed(1);
    return {
      ok: false,
      message: `${name} is ${days} days from the receiver's clock (${new Date(receivedAt).toISOString()}); a clock more than 7 days out is not corrected: set the device's clock (w32tm /resync) and the agent will send again`,
    };
  }
  return { ok: true, measuredMs, correctionMs: Math.abs(measuredMs) >= SKEW_CORRECTION_FLOOR_MS ? measuredMs : 0 };
}

/**
 * Moves a parsed (not yet validated) event onto the receiver's clock and stamps the correction,
 * overwriting any `skewMs` the sender put there: a device cannot claim a skew. `correctionMs`
 * undefined — the batch came without the header, so its clock was not measured — removes `skewMs`:
 * "not measured" is not "in step" (0), and the device's last measurement stands. A value that is not
 * an object, or a `ts` that is not a number, is left for the schema to refuse.
 */
export function correctEventTime(value: unknown, correctionMs: number | undefined): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const event = value as { ts?: unknown; skewMs?: unknown };
  if (correctionMs === undefined) {
    delete event.skewMs;
    return;
  }
  if (correctionMs !== 0 && typeof event.ts === 'number') event.ts -= correctionMs;
  event.skewMs = correctionMs;
}
