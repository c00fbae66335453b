// Where a scope's figures turn from ok to degraded, down or unknown. The processor judges live
// statuses by them; the server judges stored history (uptime strips) by the same ones, so the two
// never tell different stories.

export interface StatusThresholds {
  /** App p95 above this → degraded (with two checks or more over it); also the app latency-SLI threshold ("fast"). */
  appSlowMs: number;
  /**
   * Logon p95 above this → degraded (with two logons or more over it: one alone decides nothing, as
   * one failed check decides nothing); also the logon latency-SLI threshold ("fast"). One line for
   * both, as for applications: a site whose p95 is over it is missing the logon SLO (95 % within 30 s)
   * over the status horizon, so the grid and the SLO never tell two stories.
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
  /**
   * Device health rollups (not statuses): CPU at or above this is CPU pressure ("good" below) — the
   * evidence pack's device component of the experience score.
   */
  cpuPressurePct: number;
  /** Device health rollups (not statuses): memory in use at or above this is memory pressure ("good" below). */
  memPressurePct: number;
  /** Disk free below this is low disk ("good" at or above). */
  diskLowFreePct: number;
  /** A boot longer than this is slow (the boot rollup's "fast" count). */
  bootSlowMs: number;
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
  cpuPressurePct: 90,
  memPressurePct: 90,
  diskLowFreePct: 10,
  bootSlowMs: 120_000,
};
