// From when the hourly rollups of sites, wards, access points and site applications are all still
// stored: the store keeps them DEFAULT_RETENTION_MS['1h'] (62 days) once their day is folded, so a
// reader of an older range reads the day tier (and, for wards and access points whose days are gone,
// the month tier) — the uptime strip's old days and /api/export say which resolution each row is.
import { dayEnd, londonDayOf } from '@wardwatch/evidence';
import { DEFAULT_RETENTION_MS, type DayRollupStore, type RollupStore } from '@wardwatch/store';

/**
 * The first London midnight from which every hourly row of a day-tier scope is kept: the day after the
 * one the retention cuts into, or the day fold's mark when the fold runs behind it (rows not yet folded
 * are never pruned). −Infinity for a store without the day tier: its hourly rows are all there is.
 */
export async function hourlyKeptFrom(store: RollupStore, now: number, retentionMs = DEFAULT_RETENTION_MS['1h']): Promise<number> {
  if (!isDayRollupStore(store)) return -Infinity;
  const { foldedTo } = await store.dayFoldState();
  return Math.min(dayEnd(londonDayOf(now - retentionMs)), foldedTo);
}

export function isDayRollupStore(store: RollupStore): store is RollupStore & DayRollupStore {
  return typeof (store as Partial<DayRollupStore>).dayFoldState === 'function';
}
