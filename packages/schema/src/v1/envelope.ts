// The fields every telemetry event carries, whatever its kind.
import { z } from 'zod';

/** Identifiers are short opaque strings chosen by the trust (site codes, ward codes, asset tags). */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9._:\-/]+$/, 'may hold only letters, digits and . _ : - /');

/** Milliseconds; measured durations are never negative and never absurd (a day at most). */
export const DurationMs = z.number().finite().nonnegative().max(86_400_000);

/** 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z: every event time lies between, so `new Date(ts)` is always valid. */
export const MIN_EVENT_TS = 946_684_800_000;
export const MAX_EVENT_TS = 4_102_444_800_000;

/** A clock skew the receiver measured: a week either way at most (a clock further out is not a clock). */
export const MAX_SKEW_MS = 7 * 86_400_000;

export const envelopeShape = {
  /** Version of this contract; a v2 would sit beside v1, never replace it. */
  v: z.literal(1),
  /** Unique per event; lets a reader correlate a dead-lettered event with its source. */
  id: z.string().min(8).max(64),
  /**
   * Per-device sequence number that only grows. Retried or replayed events are recognised by it and
   * dropped with constant state per device.
   */
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /**
   * Event time: when the measurement was taken, epoch milliseconds (UTC), on the receiver's clock when
   * `skewMs` is present (the device's own stamp is then ts + skewMs).
   */
  ts: z
    .number()
    .int()
    .min(MIN_EVENT_TS, 'must be epoch milliseconds from 2000-01-01T00:00:00Z (946684800000)')
    .lt(MAX_EVENT_TS, 'must be epoch milliseconds before 2100-01-01T00:00:00Z (4102444800000)'),
  trust: Identifier,
  site: Identifier,
  ward: Identifier,
  device: Identifier,
  /** BSSID of the access point the device was associated with, when on Wi-Fi. */
  ap: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'must be a lower-case BSSID like 3c:a8:2a:10:00:9a (hex pairs, colons)').optional(),
  /** True when the measurement waited in the agent's spool (the agent was offline). */
  buffered: z.boolean().optional(),
  /**
   * Set by the receiver only (a sender's value is overwritten): how far the device's clock was ahead of
   * the receiver's when the batch was sent, ms (sentAt − receivedAt; negative = behind). `ts` has
   * already been corrected by it.
   */
  skewMs: z.number().int().min(-MAX_SKEW_MS).max(MAX_SKEW_MS).optional(),
} as const;
