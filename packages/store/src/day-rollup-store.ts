// The day tier: the hourly rollups of every scope but devices (sites, wards, access points, site
// applications) folded into one row per scope, metric and day, so that a month's evidence pack reads
// about 31 rows a series instead of 744. The store does not know what a day is — the caller gives the
// span (London days, @wardwatch/evidence's site-days.ts) and builds the rows; the store keeps them,
// remembers how far it has folded, and notes every hourly row written below that point (a late
// correction, history written afterwards) so that its day is folded again and readers know to take
// that day's hourly rows meanwhile. Hourly rows stay: the SLOs, the charts and /api/export read them.
// Not a resolution: a London day is 23, 24 or 25 hours, and every reader of RESOLUTIONS steps by a
// fixed RESOLUTION_MS.
import type { RollupRecord } from './rollup-store.ts';

export interface DayRollupRecord {
  scope: string;
  metric: string;
  /** The day's start, epoch ms (the caller's calendar). */
  day: number;
  /** The hours of the day with a row: bit i set = the hour starting i hours after `day` (at most 25). */
  hours: number;
  count: number;
  valid: number;
  good: number;
  fast: number;
  /** The day's hourly sketches merged (empty when read counts only). */
  sketch: Uint8Array;
}

export interface DayRollupQuery {
  /** Exact scope key, or a prefix ending in '*'. */
  scope: string;
  metric?: string;
  /** Days starting in [from, to). */
  from: number;
  to: number;
  countsOnly?: boolean;
}

export interface DayFoldState {
  /** Every hourly row starting before this was folded when written (0: nothing folded yet). */
  foldedTo: number;
  /** Starts of hourly rows written below `foldedTo` since: their days are to be folded again. */
  refold: number[];
  /** The earliest hourly row of a folded kind, if any (where a first fold begins). */
  firstHour: number | undefined;
}

/** Builds the day rows of one span from all its hourly rows (every scope but devices). */
export type DayFold = (rows: readonly RollupRecord[]) => DayRollupRecord[];

export interface DayRollupStore {
  dayRollups(query: DayRollupQuery): Promise<DayRollupRecord[]>;
  dayFoldState(): Promise<DayFoldState>;
  /**
   * Folds the hourly rows (scopes other than devices) starting in [from, to) — one day of the caller's:
   * the day rows `fold` returns replace those stored, the span's refold notes its read covered are
   * dropped, and `foldedTo` becomes `to` if that is later; resolves with the hourly rows read. Writes
   * are noted from the fold's start, and the rows are read and folded holding no write lock: a row is
   * either in what the fold read or noted for the next one. A fold that fails keeps its notes, and
   * changes no day row. One folder at a time per store. The thread gets turns while a day is read
   * and folded (fold-in-turns.ts).
   */
  foldDay(from: number, to: number, fold: DayFold): Promise<number>;
}

/** Whether a scope's hourly rows go to the day tier (devices have their own digests). */
export const isDayScope = (scope: string): boolean => !scope.startsWith('device:');
