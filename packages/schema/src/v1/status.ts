// What the processor publishes: a status per scope (site, ward, device, access point, application)
// with the figures behind it. Carried on the status topic, keyed by `key`, and served by the API.
import { z } from 'zod';

export const HEALTH_STATES = ['ok', 'degraded', 'down', 'unknown'] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const SCOPE_KINDS = ['trust', 'site', 'ward', 'device', 'ap', 'app'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

const quantileMs = z.number().nonnegative().nullable();

/** Figures over the status horizon (the last 15 minutes of event time by default). */
export const ScopeFigures = z.object({
  /** Application checks seen. */
  appChecks: z.number().int().nonnegative(),
  /** Application response time quantiles, ms; null when there were no successful checks. */
  p50Ms: quantileMs,
  p95Ms: quantileMs,
  p99Ms: quantileMs,
  /** Share of application checks that succeeded, 0..1; null when there were none. */
  availability: z.number().min(0).max(1).nullable(),
  /**
   * Successful application checks slower than the status rules' target (`appSlowMs`, 2 s by default):
   * the status rules let no single one decide a status (below 20 checks a p95 is the slowest one).
   * Absent from writers before it.
   */
  slowAppChecks: z.number().int().nonnegative().optional(),
  logons: z.number().int().nonnegative(),
  logonP95Ms: quantileMs,
  /** Successful logons slower than the logon target (`logonSlowMs`, 30 s); as `slowAppChecks`. */
  slowLogons: z.number().int().nonnegative().optional(),
  /** Median Wi-Fi signal, dBm; null when no Wi-Fi samples. */
  wifiSignalDbm: z.number().nullable(),
  /** Sites: DNS lookup time of application checks, p95, ms (attribution evidence). */
  dnsP95Ms: quantileMs.optional(),
  /** Sites: round trip to the site gateway, p95, ms (attribution evidence). */
  gatewayRttP95Ms: quantileMs.optional(),
  /** Devices: median CPU use, % (attribution evidence). */
  cpuPct: z.number().nullable().optional(),
  /**
   * Devices: how far the device's clock was ahead of the receiver's (negative: behind), ms, from its
   * latest event in the horizon that came with a skew measured on receipt; absent when none did.
   */
  clockSkewMs: z.number().optional(),
});
export type ScopeFigures = z.infer<typeof ScopeFigures>;

export const CAUSE_KINDS = ['network', 'device', 'application'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** Why a scope is degraded: the narrowest scope that explains it, and the evidence for that verdict. */
export const Cause = z.object({
  kind: z.enum(CAUSE_KINDS),
  /**
   * Key of the scope to blame: "ap:3c:…", "ward:S1/W2", "site:S1" (network), "device:D1" (device) or
   * "app:epr" (application, trust-wide).
   */
  culprit: z.string(),
  /** One line naming the culprit, e.g. "network: access point 3c:a8:2a:10:00:9a (ward W03)". */
  summary: z.string(),
  /** The figures behind the verdict, e.g. "14 of 16 devices on access point …: p95 4.1 s against 0.6 s …". */
  evidence: z.string(),
});
export type Cause = z.infer<typeof Cause>;

/**
 * One scope's status as the status topic carries it (JSON, keyed by `key`; the topic's name carries
 * the version, status.v1). Fields a newer writer adds are dropped on reading, not refused.
 */
export const ScopeStatus = z.object({
  /** Stable key: "site:S1", "ward:S1/W2", "device:D123", "ap:3c:…", "app:S1/epr" (an application as seen from a site). */
  key: z.string().min(1),
  scope: z.enum(SCOPE_KINDS),
  /** Identifier within the scope kind (site code, "site/ward", device id, BSSID, app id). */
  id: z.string(),
  trust: z.string(),
  site: z.string().optional(),
  ward: z.string().optional(),
  /** Devices: the access point they last reported (absent when wired). */
  ap: z.string().optional(),
  /** Applications at a site ("app:S1/epr"): the application id. */
  app: z.string().optional(),
  status: z.enum(HEALTH_STATES),
  /** Human-readable reason for the status, naming its evidence; "" when ok. */
  reason: z.string(),
  /** For degraded and down scopes, once attributed: network, device or application, with evidence. */
  cause: Cause.optional(),
  figures: ScopeFigures,
  /** Event time from which this status has held. */
  since: z.number(),
  /** The processor's event-time clock (watermark) when this was computed. */
  asOf: z.number(),
  /**
   * Sites: the telemetry partition whose processor judges the site. Between the site's publications
   * its time is that partition's live edge (LiveEdge, on the same topic): a reader shows the later of
   * the two. Absent from writers that published every site at every tick.
   */
  partition: z.number().int().nonnegative().optional(),
});
export type ScopeStatus = z.infer<typeof ScopeStatus>;
