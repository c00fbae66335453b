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
  /** Event time: when the measurement was taken, epoch milliseconds (UTC). */
  ts: z.number().int().positive(),
  trust: Identifier,
  site: Identifier,
  ward: Identifier,
  device: Identifier,
  /** BSSID of the access point the device was associated with, when on Wi-Fi. */
  ap: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'must be a lower-case BSSID like 3c:a8:2a:10:00:9a').optional(),
  /** True when the measurement waited in the agent's spool (the agent was offline). */
  buffered: z.boolean().optional(),
} as const;
