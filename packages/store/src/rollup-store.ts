// The store's interface: rollups (counts and a serialised quantile sketch per scope, metric and
// window) kept for history and evidence reports. Implemented by SQLite (embedded default) and
// PostgreSQL (production); nothing above this file knows which one runs.

// The rollup itself is a contract of @wardwatch/schema (v1/rollup.ts), re-exported here for the
// store's callers: one definition, read and written by every package alike.
import type { Resolution, RollupKey, RollupRecord } from '@wardwatch/schema';
import type { TierRetention } from './month-rollup-store.ts';
export { RESOLUTIONS, RESOLUTION_MS, Resolution, RollupKey, RollupRecord } from '@wardwatch/schema';

export interface RollupQuery {
  /** Exact scope key, or a prefix ending in '*' ("ward:S1/*"). */
  scope: string;
  metric?: string;
  resolution: Resolution;
  /** Inclusive start, exclusive end, epoch ms. */
  from: number;
  to: number;
  /** Counts only: records come back with an empty sketch (SLO arithmetic needs no distributions). */
  countsOnly?: boolean;
}

/** Where a consumer group stands on one partition; stored atomically with that partition's rollups. */
export interface PartitionCheckpoint {
  group: string;
  topic: string;
  partition: number;
  /** Next offset to read. */
  offset: string;
  /** Opaque processor state (open windows, dedup state) serialised by the processor. */
  state: Uint8Array | null;
  /**
   * State kept in named pieces beside `state`, so that a checkpoint rewrites only the pieces that
   * changed (the processor's windows that can no longer change are written once). A write stores
   * `put` (replacing a piece of the same name) and removes every stored piece of the partition not
   * named in `keep`, in the same transaction; a write without `parts` removes them all. Read back:
   * every stored piece in `put`, their names in `keep` — absent when there are none.
   */
  parts?: CheckpointParts;
}

/** Named pieces of a partition's checkpointed state (PartitionCheckpoint.parts). */
export interface CheckpointParts {
  put: Array<{ name: string; bytes: Uint8Array }>;
  keep: readonly string[];
}

export interface RollupStore {
  /**
   * Writes rollups; a record for an existing (scope, metric, resolution, start) is merged into it by the
   * caller's `merge` semantics: the store REPLACES the row (the processor always writes whole windows).
   * When a checkpoint is given it is written in the same transaction — the basis of exactly-once counts.
   */
  write(records: RollupRecord[], checkpoint?: PartitionCheckpoint): Promise<void>;
  query(query: RollupQuery): Promise<RollupRecord[]>;
  /**
   * The stored rows under exactly these keys, each found by its primary key (cost grows with the
   * keys asked for, not with the rows stored); keys with no row are left out, order is unspecified.
   * How late corrections find the rows they add to.
   */
  lookup(keys: RollupKey[]): Promise<RollupRecord[]>;
  /** The checkpoint last written for a partition, or undefined. */
  checkpoint(group: string, topic: string, partition: number): Promise<PartitionCheckpoint | undefined>;
  /**
   * Deletes rollups older than the retention of their resolution, and what the tiers above them keep
   * for longer past theirs (`tiers`, default TIER_RETENTION_MS); returns rows deleted. An hourly row of
   * a day-tier scope is deleted only once its day is folded, so that nothing is lost to a fold that
   * runs behind.
   */
  prune(now: number, retentionMs: Record<Resolution, number>, tiers?: TierRetention): Promise<number>;
  close(): Promise<void>;
}

/**
 * Hourly rows are kept 62 days: the SLOs' windows (28 days by default, 60 at most), a month's pack and
 * its corrections, the charts' 31 days. Older ranges are read from the tiers above them — sites,
 * wards, access points and site applications a row a London day (wards and access points a row a
 * London month once their days are TIER_RETENTION_MS.monthScopeDays old), devices a digest a month —
 * kept TIER_RETENTION_MS.history: the uptime strip's old days, /api/export and the before-and-after
 * comparison read those for older ranges and say so.
 */
export const DEFAULT_RETENTION_MS: Record<Resolution, number> = {
  '1m': 2 * 86_400_000,
  '5m': 14 * 86_400_000,
  '1h': 62 * 86_400_000,
};
