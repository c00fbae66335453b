// How much simulated time a demo sends before it goes live, by what the store says of earlier runs.
// Pure, so it is table-tested.
import { windowStart } from '@wardwatch/processor';

const HOUR = 3_600_000;

export interface DemoBackfillInput {
  /** Event time the demo goes live at. */
  startAt: number;
  /** The backfill asked for (`--backfill-hours`). */
  backfillMs: number;
  /** Months of history a first run writes (`--history-months`). */
  historyMonths: number;
  /**
   * Where an earlier run's simulated clock stood when it stopped: undefined on a first run; null where
   * it is not to be caught up with (an accelerated demo goes on from it instead).
   */
  stoppedAt: number | null | undefined;
}

/**
 * A first run backfills `backfillMs`, from the hour its history ends at when it writes one (the
 * history is written by whole hours up to the hour before the backfill: from an hour before a start at
 * 08:55, 07:00–07:55 had no data at all). A restart at real time sends what the simulated trust
 * measured while it was stopped, at most `backfillMs` of it, as real agents send their spools when the
 * server is back (without it every chart had a hole, and the status horizon only the minutes since).
 */
export function demoBackfillMs({ startAt, backfillMs, historyMonths, stoppedAt }: DemoBackfillInput): number {
  if (stoppedAt === undefined) {
    if (backfillMs > 0 && historyMonths > 0) return startAt - windowStart(startAt - backfillMs, HOUR);
    return backfillMs;
  }
  if (stoppedAt === null) return 0;
  return Math.max(0, Math.min(startAt - stoppedAt, backfillMs));
}
