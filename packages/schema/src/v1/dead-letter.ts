// What the dead-letter topic carries: an input that could not be counted, why, and where it came
// from. Written by the processor (records it cannot decode or count) and by the ingest gateway
// (lines refused at the door), read by operators; one shape for both.
import { z } from 'zod';

/** Largest original kept in a dead letter, UTF-8 bytes: enough to see what was wrong with it. */
export const DEAD_LETTER_ORIGINAL_MAX_BYTES = 16 * 1024;

export const DeadLetter = z.object({
  /** Machine-readable reason, e.g. "malformed-json", "too-late". */
  reason: z.string(),
  message: z.string(),
  /** The original input, UTF-8; its first DEAD_LETTER_ORIGINAL_MAX_BYTES when longer (see `originalBytes`). */
  original: z.string(),
  /** Present when `original` was cut short: the original's full size, bytes. */
  originalBytes: z.number().int().nonnegative().optional(),
  /** Where it was read: a topic, partition and offset; for the server's ingest "http" (POST /api/ingest) or "otlp" (POST /v1/logs), -1, "-1". */
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  /** When it was dead-lettered, epoch ms. */
  at: z.number(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A dead letter for `original` (bytes or text), cut to `maxBytes` at a character boundary when
 * longer, with the full size noted: a hostile 5 MB line costs the dead-letter topic 16 kB.
 */
export function deadLetterOf(
  fields: Omit<DeadLetter, 'original' | 'originalBytes'>,
  original: Uint8Array | string,
  maxBytes = DEAD_LETTER_ORIGINAL_MAX_BYTES,
): DeadLetter {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: short ones skip the encoding.
  if (typeof original === 'string' && original.length * 3 <= maxBytes) return { ...fields, original };
  const bytes = typeof original === 'string' ? encoder.encode(original) : original;
  if (bytes.byteLength <= maxBytes) return { ...fields, original: typeof original === 'string' ? original : decoder.decode(bytes) };
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--; // back to the start of a character
  return { ...fields, original: decoder.decode(bytes.subarray(0, cut)), originalBytes: bytes.byteLength };
}
