// The month tier: the day rows of sites, wards, access points and site applications folded into one
// row per scope, metric and month once the month can no longer change (@wardwatch/evidence's
// site-day-compaction.ts decides when, and builds the rows; the store does not know what a month is).
// The day rows are then pruned a whole month at a time — wards' and access points' (most of the day
// tier: ten wards a site, each with logons, six logon phases, applications and Wi-Fi, and an access
// point a ward) TIER_RETENTION_MS.monthScopeDays after the month ends, sites' and site applications'
// (the uptime strip reads a site's days, 90 back) TIER_RETENTION_MS.siteDays after — except the days
// around a recorded change at their scope, which the before-and-after comparison reads by day. The
// month rows are kept as long as the rest of the history.
import type { DayRollupRecord } from './day-rollup-store.ts';

export interface MonthRollupRecord {
  scope: string;
  metric: string;
  /** The month's start and end, epoch ms (the caller's calendar). */
  month: number;
  end: number;
  /** The days of the month with a day row: bit i set = the i-th day from the month's start. */
  days: number;
  /** The hours of the month with data, as a bit set (bit i of byte i >> 3, most significant first), or empty when not kept. */
  hours: Uint8Array;
  count: number;
  valid: number;
  good: number;
  fast: number;
  /** The month's day sketches merged (empty when read counts only). */
  sketch: Uint8Array;
}

export interface MonthRollupQuery {
  /** Exact scope key, or a prefix ending in '*'. */
  scope: string;
  metric?: string;
  /** Months starting in [from, to). */
  from: number;
  to: number;
  countsOnly?: boolean;
}

export interface FoldedMonth {
  month: number;
  end: number;
  /** A day of it was folded again since (a late row): its month rows are to be built again. */
  stale: boolean;
}

export interface MonthFoldState {
  folded: FoldedMonth[];
  /** The earliest day row, if any (where a first fold begins). */
  firstDay: number | undefined;
}

/** Builds one month's rows from all its day rows. */
export type MonthFold = (rows: readonly DayRollupRecord[]) => MonthRollupRecord[];

export interface MonthRollupStore {
  monthRollups(query: MonthRollupQuery): Promise<MonthRollupRecord[]>;
  monthFoldState(): Promise<MonthFoldState>;
  /**
   * Folds the day rows of the month [from, to): the rows `fold` returns replace
   * the month's stored ones and the month is noted folded (not stale); resolves with the day rows
   * read. A day folded again afterwards (DayRollupStore.foldDay) marks its month stale.
   */
  foldMonth(from: number, to: number, fold: MonthFold): Promise<number>;
}

/** Whether a scope's day rows are pruned TIER_RETENTION_MS.monthScopeDays after their month (else siteDays). */
export const isMonthScope = (scope: string): boolean => scope.startsWith('ward:') || scope.startsWith('ap:');

/** Days on either side of a recorded change whose day rows are kept for the before-and-after comparison (its five weeks and a day). */
export const CHANGE_DAYS_KEPT_MS = 36 * 86_400_000;

/** How long each tier is kept beyond the rollups' own resolutions (RollupStore.prune). */
export interface TierRetention {
  /**
   * Day rows of sites and site applications, month rows, device digests and alerts: the evidence
   * pack's 13 months of trend and a month's margin.
   */
  history: number;
  /** Day rows of wards and access points, a whole month at a time once it is folded: from its end. */
  monthScopeDays: number;
  /** Day rows of sites and site applications, likewise (the uptime strip reads 90 days of a site's). */
  siteDays: number;
}

export const TIER_RETENTION_MS: TierRetention = {
  history: 400 * 86_400_000,
  monthScopeDays: 62 * 86_400_000,
  siteDays: 92 * 86_400_000,
};
