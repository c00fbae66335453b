// What the processor publishes: a status per scope (site, ward, device, access point, application)
// with the figures behind it. Carried on the status topic, keyed by `key`, and served by the API.

export const HEALTH_STATES = ['ok', 'degraded', 'down', 'unknown'] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const SCOPE_KINDS = ['trust', 'site', 'ward', 'device', 'ap', 'app'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** Figures over the status horizon (the last 15 minutes of event time by default). */
export interface ScopeFigures {
  /** Application checks seen. */
  appChecks: number;
  /** Application response time quantiles, ms; null when there were no successful checks. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Share of application checks that succeeded, 0..1; null when there were none. */
  availability: number | null;
  logons: number;
  logonP95Ms: number | null;
  /** Median Wi-Fi signal, dBm; null when no Wi-Fi samples. */
  wifiSignalDbm: number | null;
  /** Sites: DNS lookup time of application checks, p95, ms (attribution evidence). */
  dnsP95Ms?: number | null;
  /** Sites: round trip to the site gateway, p95, ms (attribution evidence). */
  gatewayRttP95Ms?: number | null;
  /** Devices: median CPU use, % (attribution evidence). */
  cpuPct?: number | null;
  /**
   * Devices: how far the device's clock was ahead of the receiver's (negative: behind), ms, from its
   * latest event in the horizon that came with a skew measured on receipt; absent when none did.
   */
  clockSkewMs?: number;
}

export const CAUSE_KINDS = ['network', 'device', 'application'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** Why a scope is degraded: the narrowest scope that explains it, and the evidence for that verdict. */
export interface Cause {
  kind: CauseKind;
  /**
   * Key of the scope to blame: "ap:3c:…", "ward:S1/W2", "site:S1" (network), "device:D1" (device) or
   * "app:epr" (application, trust-wide).
   */
  culprit: string;
  /** One line naming the culprit, e.g. "network: access point 3c:a8:2a:10:00:9a (ward W03)". */
  summary: string;
  /** The figures behind the verdict, e.g. "14 of 16 devices on access point …: p95 4.1 s against 0.6 s …". */
  evidence: string;
}

export interface ScopeStatus {
  /** Stable key: "site:S1", "ward:S1/W2", "device:D123", "ap:3c:…", "app:S1/epr" (an application as seen from a site). */
  key: string;
  scope: ScopeKind;
  /** Identifier within the scope kind (site code, "site/ward", device id, BSSID, app id). */
  id: string;
  trust: string;
  site?: string;
  ward?: string;
  /** Devices: the access point they last reported (absent when wired). */
  ap?: string;
  /** Applications at a site ("app:S1/epr"): the application id. */
  app?: string;
  status: Health;
  /** Human-readable reason for the status, naming its evidence; "" when ok. */
  reason: string;
  /** For degraded and down scopes, once attributed: network, device or application, with evidence. */
  cause?: Cause;
  figures: ScopeFigures;
  /** Event time from which this status has held. */
  since: number;
  /** The processor's event-time clock (watermark) when this was computed. */
  asOf: number;
}
