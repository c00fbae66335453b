// The demo's simulated clock as a store keeps it (the simulator's 'simulated-clock' checkpoint, written
// when a demo stops), and the rule that keeps simulated and real time apart: a start that runs on real
// time never resumes a clock an accelerated demo left ahead of the wall clock. The processor's windows
// in that store are closed up to that clock, so every real measurement would arrive "late".
import { ACCELERATED_DEMO_STORE_URL } from './args.ts';
import { UsageError } from './usage-error.ts';
import { storeUrlForDisplay } from '@wardwatch/store';

/** A clock stepped back by NTP, or a restart within the minute, stays inside this; an accelerated demo's lead does not. */
export const REAL_TIME_TOLERANCE_MS = 60_000;

/** "3 h 12 min", "45 min", "2 d 3 h": how far ahead, to the minute. */
export function formatLead(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${minutes} min`;
}

export class SimulatedClockAheadError extends UsageError {
  constructor(
    readonly storeUrl: string,
    /** How far the store's simulated clock is ahead of the wall clock, ms. */
    readonly leadMs: number,
  ) {
    const lead = formatLead(leadMs);
    super(
      `the store ${storeUrlForDisplay(storeUrl)} holds a demo's simulated clock ${lead} ahead of the wall clock (a run with --speed left it there), ` +
        `so a real-time start on it would judge every real agent's measurements ${lead} late. ` +
        `Start with another --store (a demo with --speed keeps its own, ${ACCELERATED_DEMO_STORE_URL}, unless --store or WARDWATCH_STORE names one), ` +
        `go on with that demo at its speed, or remove this store to begin afresh`,
    );
  }
}

/**
 * Throws SimulatedClockAheadError when a real-time start (no demo, or a demo at speed 1) is given a
 * store whose simulated clock `position` (epoch ms; undefined: none recorded) is ahead of `now` by more
 * than REAL_TIME_TOLERANCE_MS.
 */
export function assertRealTimeStore(position: number | undefined, now: number, storeUrl: string): void {
  if (position === undefined || !Number.isFinite(position)) return;
  const lead = position - now;
  if (lead > REAL_TIME_TOLERANCE_MS) throw new SimulatedClockAheadError(storeUrl, lead);
}
