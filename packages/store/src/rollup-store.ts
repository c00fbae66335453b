// The store's interface: rollups (counts and a serialised quantile sketch per scope, metric and
// window) kept for history and evidence reports. Implemented by SQLite (embedded default) and
// PostgreSQL (production); nothing above this file knows which one runs.

export const RESOLUTIONS = ['1m', '5m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const RESOLUTION_MS: Record<Resolution, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

export interface RollupRecord {
  /** Scope key, e.g. "site:S1", "ward:S1/W2", "device:D17", "ap:3c:a8:2a:10:00:9a", "siteapp:S1/epr". */
  scope: string;
  /** What was measured, e.g. "app.totalMs", "logon.totalMs", "wifi.signalDbm". */
  metric: string;
  resolution: Resolution;
  /** Window start, epoch ms (UTC), aligned to the resolution. */
  start: number;
  /** Values in the sketch. */
  count: number;
  /** SLI counts: valid events and the good ones among them (for availability: succeeded). */
  valid: number;
  good: number;
  /** Of the valid events, those under the metric's latency threshold (latency SLI good count). */
  fast: number;
  /** DDSketch serialised with toProto(); empty when count is 0. */
  sketch: Uint8Array;
}

/** A rollup row's primary key. */
export type RollupKey = Pick<RollupRecord, 'scope' | 'metric' | 'resolution' | 'start'>;

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
  /** Deletes rollups older than the retention of their resolution; returns rows deleted. */
  prune(now: number, retentionMs: Record<Resolution, number>): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_RETENTION_MS: Record<Resolution, number> = {
  '1m': 2 * 86_400_000,
  '5m': 14 * 86_400_000,
  '1h': 400 * 86_400_000,
};
