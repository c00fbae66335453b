// Processor settings: window size, watermark, lateness, status horizon and the status thresholds.

export interface StatusThresholds {
  /** App p95 above this → degraded; also the app latency-SLI threshold ("fast"). */
  appSlowMs: number;
  /**
   * Logon p95 above this → degraded; also the logon latency-SLI threshold ("fast"). One line for both,
   * as for applications: a site whose p95 is over it is missing the logon SLO (95 % within 30 s) over
   * the status horizon, so the grid and the SLO never tell two stories.
   */
  logonSlowMs: number;
  /** App availability below this → degraded. */
  availabilityDegraded: number;
  /** App availability below this → down. */
  availabilityDown: number;
  /** Fewer app checks (or logons) in the horizon give no verdict from them. */
  minChecks: number;
  /** Median Wi-Fi signal below this → degraded (access points and devices). */
  wifiWeakDbm: number;
  /** A device silent this long (event time) is "unknown". */
  silentMs: number;
  /**
   * A device whose clock is off the receiver's by this much or more (either way) is degraded: an
   * unsynchronised clock needs a ticket (Kerberos refuses logons past 5 minutes).
   */
  clockSkewMs: number;
  /** Device health rollups (not statuses): memory in use at or above this is memory pressure ("good" below). */
  memPressurePct: number;
  /** Disk free below this is low disk ("good" at or above). */
  diskLowFreePct: number;
  /** A boot longer than this is slow (the boot rollup's "fast" count). */
  bootSlowMs: number;
}

export interface ProcessorConfig {
  /** Tumbling window size; rolled up to 5 minutes and 1 hour. */
  windowMs: number;
  /** Watermark = highest event time seen − this bounded out-of-orderness. */
  watermarkLagMs: number;
  /**
   * The watermark observes an event's time only up to the receiving clock plus this (when the caller
   * passes the clock): an event further ahead is counted at its time, but cannot drag event time on.
   */
  futureToleranceMs: number;
  /** A window is final once the watermark passes its end plus this. */
  allowedLatenessMs: number;
  /** Statuses look at this much event time. */
  statusHorizonMs: number;
  /**
   * How often (event time) statuses are re-evaluated; default one window. Shorter takes the window
   * still filling into the figures, for a fresher live view at the cost of more evaluations.
   */
  statusIntervalMs?: number;
  /**
   * Statuses are published when they change: a scope's status or reason at any tick, its figures at
   * a window's end. Sites are published at every tick (their time is the board's clock, their
   * figures the grid's); any other scope at least this often (event time), so its `asOf` on a board
   * fed only what is published is never older than this.
   */
  statusRefreshMs: number;
  /** Device scopes are persisted only at these resolutions (they are the bulk of all scopes). */
  deviceResolutions: ReadonlyArray<'1m' | '5m' | '1h'>;
  /** Scopes with no event for this long are forgotten. */
  forgetAfterMs: number;
  /**
   * Events too late for their (final) window but no further behind the watermark than this are
   * counted as corrections: aggregated on their own and emitted for merging into the stored rollups.
   * Older ones are too late: dead-lettered. 0 turns corrections off. Default: 7 days, the agent
   * spool's default maximum age.
   */
  correctionHorizonMs: number;
  thresholds: StatusThresholds;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = {
  appSlowMs: 2000,
  logonSlowMs: 30_000,
  availabilityDegraded: 0.98,
  availabilityDown: 0.5,
  minChecks: 5,
  wifiWeakDbm: -75,
  silentMs: 10 * 60_000,
  clockSkewMs: 2 * 60_000,
  memPressurePct: 90,
  diskLowFreePct: 10,
  bootSlowMs: 120_000,
};

export const DEFAULT_PROCESSOR_CONFIG: ProcessorConfig = {
  windowMs: 60_000,
  watermarkLagMs: 30_000,
  futureToleranceMs: 30_000,
  // Agents flush every 15 s and Kafka adds seconds: a minute beyond the watermark covers ordinary
  // delays, and keeps the final rollups (what the SLOs and alerts read) within 2.5 minutes of now.
  allowedLatenessMs: 60_000,
  statusHorizonMs: 15 * 60_000,
  statusRefreshMs: 5 * 60_000,
  deviceResolutions: ['1h'],
  forgetAfterMs: 24 * 3_600_000,
  correctionHorizonMs: 7 * 86_400_000,
  thresholds: DEFAULT_THRESHOLDS,
};

export function resolveConfig(config: Partial<ProcessorConfig> = {}): ProcessorConfig {
  const resolved = { ...DEFAULT_PROCESSOR_CONFIG, ...config, thresholds: { ...DEFAULT_THRESHOLDS, ...config.thresholds } };
  if (resolved.windowMs <= 0 || 3_600_000 % resolved.windowMs !== 0 || 300_000 % resolved.windowMs !== 0) {
    throw new Error(`windowMs must divide 5 minutes evenly; got ${resolved.windowMs}`);
  }
  if (resolved.statusHorizonMs < resolved.windowMs) throw new Error('statusHorizonMs must be at least one window');
  if (!(resolved.statusRefreshMs >= 0)) throw new Error(`statusRefreshMs must be 0 or more; got ${resolved.statusRefreshMs}`);
  if (resolved.statusIntervalMs !== undefined && !(resolved.statusIntervalMs > 0 && resolved.statusIntervalMs <= resolved.windowMs)) {
    throw new Error(`statusIntervalMs must be more than 0 and at most one window (${resolved.windowMs} ms); got ${resolved.statusIntervalMs}`);
  }
  if (!(resolved.futureToleranceMs >= 0)) throw new Error(`futureToleranceMs must be 0 or more; got ${resolved.futureToleranceMs}`);
  if (!(resolved.correctionHorizonMs >= 0)) throw new Error(`correctionHorizonMs must be 0 or more; got ${resolved.correctionHorizonMs}`);
  return resolved;
}
