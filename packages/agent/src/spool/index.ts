// The agent's durable on-disk spool (see spool.ts for the format and guarantees).
export {
  Spool,
  SpoolLockedError,
  SpoolCorruptError,
  cursorCompare,
  encodeFrame,
  spoolDiskBytes,
  DEFAULT_SPOOL_MAX_BYTES,
  DEFAULT_SPOOL_MAX_AGE_MS,
  type SpoolCursor,
  type SpoolRecord,
  type SpoolBatch,
  type SpoolStats,
  type SpoolOptions,
} from './spool.ts';
