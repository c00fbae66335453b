// The store's side of the day tier: each London day's hourly rollups of sites, wards, access points
// and site applications folded into day rows (site-days.ts) an hour after the day ends, and any day
// noted since (a late correction, history written afterwards) folded again. Run hourly beside the
// device digests' fold and the pruning. Hourly rows are kept: the SLOs, charts and exports read them.
import type { DayRollupStore } from '@wardwatch/store';
import { dayEnd } from './device-digest.ts';
import { foldDayRows, londonDayOf } from './site-days.ts';

/** A day is folded an hour after it ends: the processor writes an hour's rows minutes after it. */
export const DAY_FOLD_AFTER_MS = 3_600_000;
/** Days folded in one call at most, so a store that starts the tier with a year of history spreads the work. */
export const DAY_FOLD_MAX_DAYS = 31;

/** Folds the days noted for a refold, then the days ended by `now` not folded yet; resolves with days and hourly rows read. */
export async function foldSiteDays(store: DayRollupStore, now: number, maxDays = DAY_FOLD_MAX_DAYS): Promise<{ days: number; rows: number }> {
  const state = await store.dayFoldState();
  const until = londonDayOf(now - DAY_FOLD_AFTER_MS);
  let days = 0;
  let rows = 0;
  const fold = async (day: number) => {
    rows += await store.foldDay(day, dayEnd(day), foldDayRows);
    days++;
  };
  for (const day of [...new Set(state.refold.map(londonDayOf))].sort((a, b) => a - b)) {
    if (days >= maxDays) return { days, rows };
    if (day < until) await fold(day);
  }
  const first = state.foldedTo > 0 ? state.foldedTo : state.firstHour === undefined ? undefined : londonDayOf(state.firstHour);
  if (first === undefined) return { days, rows };
  for (let day = first; day < until && days < maxDays; day = dayEnd(day)) await fold(day);
  return { days, rows };
}
