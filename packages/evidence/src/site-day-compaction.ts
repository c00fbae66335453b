// The store's side of the day and month tiers: each London day's hourly rollups of sites, wards, access
// points and site applications folded into day rows (site-days.ts) an hour after the day ends, and any
// day noted since (a late correction, history written afterwards) folded again; then each London month
// of day rows that can no longer change folded into month rows (site-months.ts). Run hourly beside the
// device digests' fold and the pruning, which deletes hourly rows once their day is folded and past
// their retention, and day rows a month at a time once it is folded and past theirs (wards' and access
// points' 62 days after the month, sites' and site applications' 92, the days around a recorded change
// kept).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AnnotationStore, DayRollupStore, MonthRollupStore } from '@wardwatch/store';
import { dayEnd } from './device-digest.ts';
import { MONTH_FINAL_AFTER_MS } from './history-months.ts';
import { londonMonth, monthOf } from './months.ts';
import { foldDayRows, londonDayOf } from './site-days.ts';
import { foldMonthRows } from './site-months.ts';

/** A day is folded an hour after it ends: the processor writes an hour's rows minutes after it. */
export const DAY_FOLD_AFTER_MS = 3_600_000;
/** Days folded in one call at most, so a store that starts the tier with a year of history spreads the work. */
export const DAY_FOLD_MAX_DAYS = 31;

/** Months folded in one call at most (a month of a 50-site trust is ~177,000 day rows). */
export const MONTH_FOLD_MAX_MONTHS = 2;

export interface FoldRun {
  /** Days folded, and the hourly rows they read. */
  days: number;
  rows: number;
  /** Months folded, and the day rows they read. */
  months: number;
  dayRows: number;
}

/**
 * Folds the days noted for a refold, then the days ended by `now` not folded yet, then (on a store
 * with the month tier) the months that can no longer change and are not folded yet, or were folded
 * before one of their days was folded again. Resolves with what it folded.
 */
export async function foldSiteDays(store: DayRollupStore, now: number, maxDays = DAY_FOLD_MAX_DAYS): Promise<FoldRun> {
  const state = await store.dayFoldState();
  const until = londonDayOf(now - DAY_FOLD_AFTER_MS);
  const run: FoldRun = { days: 0, rows: 0, months: 0, dayRows: 0 };
  const fold = async (day: number) => {
    run.rows += await store.foldDay(day, dayEnd(day), foldDayRows);
    run.days++;
    // SQLite folds a day without a wait (~0.1 s for the default demo's day): the thread's other work —
    // the server's requests, where the processor shares its thread — gets a turn between days, not
    // after the whole run (31 days of the demo's history: 2.9 s).
    await nextTurn();
  };
  for (const day of [...new Set(state.refold.map(londonDayOf))].sort((a, b) => a - b)) {
    if (run.days >= maxDays) return run;
    if (day < until) await fold(day);
  }
  const first = state.foldedTo > 0 ? state.foldedTo : state.firstHour === undefined ? undefined : londonDayOf(state.firstHour);
  if (first !== undefined) for (let day = first; day < until && run.days < maxDays; day = dayEnd(day)) await fold(day);
  if (isMonthRollupStore(store)) await foldSiteMonths(store, now, run);
  return run;
}

/**
 * A month is folded once every day of it is folded, none is noted for a refold, and corrections can no
 * longer reach it (MONTH_FINAL_AFTER_MS after its end). A month a recorded maintenance window touches
 * is left by day, so that the pack can still leave out exactly the window's hours' days; a window
 * configured only in a pack's settings is not known here, and the pack leaves out such a month's month
 * rows whole at the window's sites once their days are gone (pack-reads.ts).
 */
async function foldSiteMonths(store: DayRollupStore & MonthRollupStore, now: number, run: FoldRun): Promise<void> {
  const [days, months] = await Promise.all([store.dayFoldState(), store.monthFoldState()]);
  if (months.firstDay === undefined) return;
  const folded = new Map(months.folded.map((m) => [m.month, m]));
  const refolds = days.refold.map(londonDayOf);
  const until = Math.min(days.foldedTo, now - MONTH_FINAL_AFTER_MS);
  for (let m = londonMonth(monthOf(months.firstDay)); m.to <= until && run.months < MONTH_FOLD_MAX_MONTHS; m = londonMonth(monthOf(m.to))) {
    const done = folded.get(m.from);
    if (done && !done.stale) continue;
    if (refolds.some((d) => d >= m.from && d < m.to)) continue;
    if (isAnnotationStore(store) && (await store.annotations({ kind: 'maintenance', from: m.from, to: m.to })).length > 0) continue;
    run.dayRows += await store.foldMonth(m.from, m.to, foldMonthRows);
    run.months++;
    await nextTurn(); // as between days
  }
}

function isMonthRollupStore(store: DayRollupStore): store is DayRollupStore & MonthRollupStore {
  return typeof (store as Partial<MonthRollupStore>).foldMonth === 'function';
}

function isAnnotationStore(store: object): store is AnnotationStore {
  return typeof (store as Partial<AnnotationStore>).annotations === 'function';
}

