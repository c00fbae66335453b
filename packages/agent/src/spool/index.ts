// The agent's durable on-disk spool (see spool.ts for the format and guarantees).
export { SpoolLockedError } from './spool-lock.ts';
export { encodeFrame } from './spool-frame.ts';
export {
  Spool,
  SpoolCorruptError,
  cursorCompare,
  spoolDiskBytes,
  DEFAULT_SPOOL_MAX_BYTES,
  DEFAULT_SPOOL_MAX_AGE_MS,
  type SpoolCursor,
  type SpoolRecord,
  type SpoolBatch,
  type SpoolStats,
  type SpoolOptions,
} from './spool.ts';
