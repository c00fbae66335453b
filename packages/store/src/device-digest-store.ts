// Devices' months, kept small: a device's hourly rollups are folded into one row per device and
// month (a digest whose bytes the caller defines, @wardwatch/evidence's device-digest.ts) once they
// are old enough, and deleted. Implemented by both stores; tested by a shared contract.
import type { RollupRecord } from './rollup-store.ts';

export interface DeviceDigestRow {
  /** The device id (its rollups' scope without "device:"). */
  device: string;
  /** Start of the month the digest covers, epoch ms (the caller's calendar: London months). */
  month: number;
  body: Uint8Array;
}

/**
 * Folds one device's hourly rows into its digests: `stored` holds its digests by month; the answer
 * is every digest to store (replacing the one of its month).
 */
export type DeviceFold = (device: string, rows: readonly RollupRecord[], stored: ReadonlyMap<number, Uint8Array>) => Array<{ month: number; body: Uint8Array }>;

export interface DeviceDigestStore {
  /** The digests of months starting in [from, to), every device's. */
  deviceDigests(query: { from: number; to: number }): Promise<DeviceDigestRow[]>;
  /**
   * Folds every hourly device rollup starting before `before` into the digests and deletes it: a batch
   * of devices per transaction (their rows read, folded, the digests written, the rows deleted, all
   * or nothing), so a row is never both folded and kept, whatever stops the work. Resolves with the
   * rows folded. One folder at a time per store (PostgreSQL: an advisory lock per batch).
   */
  foldDeviceHours(before: number, fold: DeviceFold): Promise<number>;
}

/** Devices folded per transaction. */
export const FOLD_BATCH_DEVICES = 250;
