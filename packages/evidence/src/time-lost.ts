// Time lost: the seconds each logon or application response took beyond its target, summed, from the
// stored sketches (for any target). Pure: bins in, seconds out.
import type { BinCounts } from './bin-counts.ts';

export interface LogonTimeLost {
  targetS: number;
  /** Logons measured (failed logons carry no duration and are not counted here). */
  logons: number;
  /** Logons over the target (estimated from the bins: may be fractional). */
  over: number;
  /** Seconds beyond the target, summed over every logon. */
  seconds: number;
}

/** Logons: every logon's seconds beyond `targetS`, summed. `bins` hold logon.totalMs in ms. */
export function logonTimeLost(bins: BinCounts, targetS: number): LogonTimeLost {
  const { over, excess } = bins.excessOver(targetS * 1000);
  return { targetS, logons: bins.count, over, seconds: excess / 1000 };
}

export interface AppVolume {
  /**
   * Screens a logged-on clinician waits for in an hour, that one synthetic check stands for in its
   * interval (see docs/evidence-guide.md for the default and why).
   */
  screensPerHour: number;
  /** How often the agent checks each application from each device, seconds (agent default 60). */
  checkIntervalS: number;
}

export const DEFAULT_APP_VOLUME: AppVolume = { screensPerHour: 20, checkIntervalS: 60 };

/** How many screens one synthetic check stands for. */
export function screensPerCheck(volume: AppVolume): number {
  return (volume.screensPerHour * volume.checkIntervalS) / 3600;
}

export interface AppTimeLost {
  targetS: number;
  /** Real transaction timings (`source: real`), each counted once. */
  realTimings: number;
  realSeconds: number;
  /** Synthetic checks and the screens they stand for. */
  checks: number;
  screens: number;
  /** Seconds beyond the target per check, times the screens each check stands for. */
  syntheticSeconds: number;
  seconds: number;
}

/**
 * Applications: `all` holds every timed response (app.totalMs, ms), `real` the real transaction
 * timings among them (app.realMs); the rest are synthetic checks, weighted by `volume`.
 */
export function appTimeLost(all: BinCounts, real: BinCounts, targetS: number, volume: AppVolume = DEFAULT_APP_VOLUME): AppTimeLost {
  const threshold = targetS * 1000;
  // The synthetic checks are all less the real timings, bin by bin (summed without making them).
  const synthetic = all.excessOverLess(real, threshold);
  const perCheck = screensPerCheck(volume);
  const realSeconds = real.excessOver(threshold).excess / 1000;
  const syntheticSeconds = (synthetic.excess / 1000) * perCheck;
  return {
    targetS,
    realTimings: real.count,
    realSeconds,
    checks: synthetic.count,
    screens: synthetic.count * perCheck,
    syntheticSeconds,
    seconds: realSeconds + syntheticSeconds,
  };
}
