// The month tier: wards' and access points' day rows — most of the day tier (ten wards a site, each
// with logons, six logon phases, applications and Wi-Fi, and an access point a ward) — folded into
// one row per scope, metric and month once the month can no longer change (@wardwatch/evidence's
// site-day-compaction.ts decides when, and builds the rows; the store does not know what a month is).
// Their day rows are then kept TIER_RETENTION_MS.monthScopeDays and pruned; the month rows are kept
// as long as the rest of the history. Sites' and site applications' day rows stay (the uptime strip,
// the trend and the before-and-after comparison read them by day).
import type { DayRollupRecord } from './day-rollup-store.ts';

export interface MonthRollupRecord {
  scope: string;
  metric: string;
  /** The month's start and end, epoch ms (the caller's calendar). */
  month: number;
  end: number;
  /** The days of the month with a day row: bit i set = the i-th day from the month's start. */
  days: number;
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
  /** The earliest day row of a month-tier scope, if any (where a first fold begins). */
  firstDay: number | undefined;
}

/** Builds one month's rows from all its day rows of month-tier scopes. */
export type MonthFold = (rows: readonly DayRollupRecord[]) => MonthRollupRecord[];

export interface MonthRollupStore {
  monthRollups(query: MonthRollupQuery): Promise<MonthRollupRecord[]>;
  monthFoldState(): Promise<MonthFoldState>;
  /**
   * Folds the day rows of month-tier scopes of the month [from, to): the rows `fold` returns replace
   * the month's stored ones and the month is noted folded (not stale); resolves with the day rows
   * read. A day folded again afterwards (DayRollupStore.foldDay) marks its month stale.
   */
  foldMonth(from: number, to: number, fold: MonthFold): Promise<number>;
}

/** Whether a scope's day rows go to the month tier. */
export const isMonthScope = (scope: string): boolean => scope.startsWith('ward:') || scope.startsWith('ap:');

/** How long each tier is kept beyond the rollups' own resolutions (RollupStore.prune). */
export interface TierRetention {
  /**
   * Day rows of sites and site applications, month rows, device digests and alerts: the evidence
   * pack's 13 months of trend and a month's margin.
   */
  history: number;
  /** Day rows of wards and access points, a whole month at a time once it is folded: from its end. */
  monthScopeDays: number;
}

export const TIER_RETENTION_MS: TierRetention = {
  history: 400 * 86_400_000,
  monthScopeDays: 62 * 86_400_000,
};
