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
}

export interface ScopeStatus {
  /** Stable key: "site:S1", "ward:S1/W2", "device:D123", "ap:3c:…", "app:epr". */
  key: string;
  scope: ScopeKind;
  /** Identifier within the scope kind (site code, "site/ward", device id, BSSID, app id). */
  id: string;
  trust: string;
  site?: string;
  ward?: string;
  status: Health;
  /** Human-readable reason for the status, naming its evidence; "" when ok. */
  reason: string;
  figures: ScopeFigures;
  /** Event time from which this status has held. */
  since: number;
  /** The processor's event-time clock (watermark) when this was computed. */
  asOf: number;
}
