// The monthly evidence pack (GET /api/reports/:trust/:month, `wardwatch report`, the dashboard's
// Evidence page): one shape, defined here, that the builder fills, the renderers print and the
// dashboard reads. Durations are milliseconds, shares 0–1, time lost in hours, money in pounds.
import { z } from 'zod';

/** A calendar month, "2026-10" (months are Europe/London calendar months). */
export const EvidenceMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2026-10');

const share = z.number().min(0).max(1);
const nullableShare = share.nullable();
const ms = z.number().nonnegative().nullable();

/** A low and a high figure: never one bare number. */
export const EvidenceRange = z.strictObject({ low: z.number(), high: z.number() });

/** Staff time lost in a period, and what it is worth. */
export const EvidenceTimeLost = z.strictObject({
  hours: z.number().nonnegative(),
  logonHours: z.number().nonnegative(),
  appHours: z.number().nonnegative(),
  /** Full-time equivalents: hours ÷ (working hours a year per FTE × share of the year the period is). */
  fte: z.number().nonnegative(),
  /** Pounds at the staff mix's hourly cost without (low) and with (high) qualification costs. */
  cost: EvidenceRange,
});

/** A month's figure against another period's: null when that period has no data. */
export const EvidenceChange = z.strictObject({
  label: z.string(),
  hours: z.number().nullable(),
  /** (this − that) ÷ that. */
  relative: z.number().nullable(),
});

export const OFFENDER_KINDS = ['site', 'ward', 'accessPoint', 'deviceModel'] as const;

/** One of the worst scopes, said in plain words. */
export const EvidenceOffender = z.strictObject({
  kind: z.enum(OFFENDER_KINDS),
  scope: z.string(),
  name: z.string(),
  hoursLost: z.number().nonnegative().nullable(),
  /** e.g. "Ward 4B at St Mary's: 38 % of logons over 30 s, 41 staff hours lost". */
  words: z.string(),
});

export const EvidenceSummary = z.strictObject({
  timeLost: EvidenceTimeLost,
  vsLastMonth: EvidenceChange,
  vsBaseline: EvidenceChange,
  worst: z.strictObject({
    sites: z.array(EvidenceOffender),
    wards: z.array(EvidenceOffender),
    accessPoints: z.array(EvidenceOffender),
    deviceModels: z.array(EvidenceOffender),
  }),
  /** The month in a few plain sentences, headline figures first. */
  headline: z.array(z.string()),
});

/** Time lost at one target, priced low and high. */
export const EvidenceSensitivityRow = z.strictObject({
  targetMs: z.number().nonnegative(),
  hours: z.number().nonnegative(),
  fte: z.number().nonnegative(),
  cost: EvidenceRange,
});

export const EvidenceSensitivity = z.strictObject({
  logons: z.array(EvidenceSensitivityRow),
  applications: z.array(EvidenceSensitivityRow),
});

export const SCOPE_LEVELS = ['trust', 'site', 'ward', 'accessPoint', 'device', 'application'] as const;

export const LogonPhaseFigure = z.strictObject({
  /** A logon phase ("profileMs", "groupPolicyMs", …; see LOGON_PHASES). */
  phase: z.string(),
  label: z.string(),
  count: z.number().int().nonnegative(),
  p50Ms: ms,
  /** Share of the summed phase time this phase takes. */
  shareOfTime: share,
});

export const EvidenceLogonRow = z.strictObject({
  scope: z.string(),
  level: z.enum(SCOPE_LEVELS),
  name: z.string(),
  logons: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  p50Ms: ms,
  p90Ms: ms,
  p95Ms: ms,
  shareOver30s: nullableShare,
  shareOver40s: nullableShare,
  hoursLost: z.number().nonnegative(),
  /** The phase taking most of the time, or null when agents report no phases. */
  dominantPhase: LogonPhaseFigure.nullable(),
  phases: z.array(LogonPhaseFigure),
});

export const EvidenceAppRow = z.strictObject({
  site: z.string(),
  siteName: z.string(),
  app: z.string(),
  checks: z.number().int().nonnegative(),
  realTimings: z.number().int().nonnegative(),
  p50Ms: ms,
  p95Ms: ms,
  targetMs: z.number().nonnegative(),
  shareOverTarget: nullableShare,
  /** Successful ÷ attempted checks and timings. */
  availability: nullableShare,
  hoursLost: z.number().nonnegative(),
});

export const EvidenceIncident = z.strictObject({
  /** The SLO whose alert it is. */
  slo: z.string(),
  scope: z.string(),
  /** The alert's summary: the SLO, its scope, the burn rates and the budget left. */
  title: z.string(),
  severity: z.string(),
  firingAt: z.number(),
  resolvedAt: z.number().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  /**
   * The maintenance windows (configured or recorded) it overlapped at its scope, by label: planned
   * work, whose hours the pack's figures leave out (and whose alerts the server held). Absent: none.
   */
  maintenance: z.array(z.string()).optional(),
});

export const EvidenceApplications = z.strictObject({
  rows: z.array(EvidenceAppRow),
  /** Null when the store keeps no alert history (the note says so). */
  incidents: z.array(EvidenceIncident).nullable(),
  incidentsNote: z.string(),
});

export const EvidenceWifiRow = z.strictObject({
  scope: z.string(),
  level: z.enum(SCOPE_LEVELS),
  name: z.string(),
  /** Signal samples (one a device-minute at the agent's default cadence). */
  samples: z.number().int().nonnegative(),
  /** Share of samples at or above the threshold. */
  shareGood: nullableShare,
  /** Samples that found the device disconnected, per device-hour; null where not measured. */
  disconnectsPerDeviceHour: z.number().nonnegative().nullable(),
  medianDbm: z.number().nullable(),
});

export const EvidenceWifi = z.strictObject({
  thresholdDbm: z.number(),
  rows: z.array(EvidenceWifiRow),
  worstAccessPoints: z.array(EvidenceWifiRow),
});

export const EvidenceDeviceRow = z.strictObject({
  scope: z.string(),
  name: z.string(),
  site: z.string(),
  model: z.string().nullable(),
  devices: z.number().int().nonnegative(),
  logonP50Ms: ms,
  /** Share of health samples with CPU at or above 90 %. */
  cpuPressureShare: nullableShare,
  /** Share of health samples with memory in use at or above the processor's threshold (90 %). */
  memPressureShare: nullableShare,
  /** Share of health samples with less disk free than the processor's threshold (10 %). */
  lowDiskShare: nullableShare,
  /** Median boot time, from the boots agents reported; null without any. */
  bootP50Ms: ms,
  score: z.number().min(0).max(100).nullable(),
});

export const EvidenceDevices = z.strictObject({
  /** The device health figures the store holds, and those it does not (in words). */
  metricsAvailable: z.array(z.string()),
  metricsMissing: z.array(z.string()),
  worstDevices: z.array(EvidenceDeviceRow),
  models: z.array(EvidenceDeviceRow),
});

/** The parts a 0–100 score is made of, each a share of good experiences (null: not measured). */
export const ExperienceComponents = z.strictObject({
  logon: nullableShare,
  application: nullableShare,
  wifi: nullableShare,
  device: nullableShare,
});

export const EvidenceScoreRow = z.strictObject({
  scope: z.string(),
  level: z.enum(SCOPE_LEVELS),
  name: z.string(),
  devices: z.number().int().nonnegative(),
  score: z.number().min(0).max(100).nullable(),
  components: ExperienceComponents,
  /** Share of active device-minutes with no slow or failed experience. */
  disruptionFree: nullableShare,
});

export const EvidenceExperience = z.strictObject({
  /** How the score and disruption-free time are computed, in words (printed in the pack). */
  method: z.array(z.string()),
  weights: z.strictObject({ logon: z.number(), application: z.number(), wifi: z.number(), device: z.number() }),
  sites: z.array(EvidenceScoreRow),
  devices: z.array(EvidenceScoreRow),
});

export const EvidenceTrendMonth = z.strictObject({
  month: EvidenceMonth,
  hours: z.number().nonnegative(),
  cost: EvidenceRange,
  logonP95Ms: ms,
  appP95Ms: ms,
  score: z.number().min(0).max(100).nullable(),
  /** (hours − baseline hours per month) ÷ baseline; null without a baseline. */
  vsBaseline: z.number().nullable(),
  /** Hours of the month with data (a month with no data shows as a gap). */
  hoursWithData: z.number().int().nonnegative(),
  /**
   * Whether the month is a full month: the share of its hours with data at least FULL_MONTH_COVERAGE
   * of the best-covered month's in the trend (a trust whose devices report only by day has full
   * months of half their hours). Hours lost are a total: only a full month's is compared (against
   * the baseline or last month) or drawn in the trend's line; a part month's (the month the agents
   * were installed) is listed with its hours with data.
   */
  full: z.boolean(),
});

export const EvidenceTrend = z.strictObject({
  baseline: z.strictObject({
    label: z.string(),
    from: EvidenceMonth,
    to: EvidenceMonth,
    /** Mean hours lost per month over the baseline months with data; null when none had data. */
    hoursPerMonth: z.number().nullable(),
    score: z.number().nullable(),
  }),
  months: z.array(EvidenceTrendMonth),
});

export const BeforeAfterFigureShape = z.strictObject({
  figure: z.string(),
  label: z.string(),
  unit: z.enum(['ms', 'share']),
  betterWhen: z.enum(['lower', 'higher']),
  before: z.number().nullable(),
  after: z.number().nullable(),
  change: z.number().nullable(),
  relativeChange: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean(),
  direction: z.enum(['better', 'worse', 'no clear change', 'not enough data']),
  unitsBefore: z.number().int().nonnegative(),
  unitsAfter: z.number().int().nonnegative(),
  summary: z.string(),
});

/** One recorded change compared before and after (filled by compareBeforeAfter). */
export const BeforeAfterComparison = z.strictObject({
  /** The annotation's words ("SSO live at RXX03"). */
  label: z.string(),
  scope: z.string(),
  at: z.number(),
  before: z.strictObject({ from: z.number(), to: z.number() }),
  after: z.strictObject({ from: z.number(), to: z.number() }),
  confidence: z.number(),
  method: z.string(),
  figures: z.array(BeforeAfterFigureShape),
  summary: z.string(),
});

export const EvidenceBeforeAfter = z.strictObject({
  comparisons: z.array(BeforeAfterComparison),
  /** Why the section is empty, when it is. */
  note: z.string().nullable(),
});

export const EvidenceMethod = z.strictObject({
  period: z.strictObject({ month: EvidenceMonth, from: z.number(), to: z.number(), hours: z.number().int().positive(), timeZone: z.literal('Europe/London') }),
  coverage: z.strictObject({
    devicesReporting: z.number().int().nonnegative(),
    /** Devices known to the inventory; null without one. */
    devicesKnown: z.number().int().nonnegative().nullable(),
    /** Hours of the month with any data at the trust. */
    hoursWithData: z.number().int().nonnegative(),
  }),
  thresholds: z.array(z.strictObject({ name: z.string(), value: z.string(), source: z.string() })),
  maintenance: z.strictObject({ windows: z.array(z.strictObject({ from: z.number(), to: z.number(), label: z.string() })), hoursExcluded: z.number().int().nonnegative() }),
  offline: z.string(),
  minDevices: z.number().int().positive(),
  /** Scopes left out for having fewer devices than minDevices. */
  suppressed: z.array(z.strictObject({ scope: z.string(), name: z.string(), devices: z.number().int().nonnegative() })),
  softwareVersion: z.string(),
  assumptions: z.array(z.string()),
  /**
   * Where a figure here legitimately differs from the same fact read elsewhere (the SLOs and their
   * budgets, /api/sites, /api/export) for the same period, and why: maintenance left out, small
   * scopes left out of the tables, shares read from sketches, incidents not listed.
   */
  differences: z.array(z.strictObject({ topic: z.string(), statement: z.string() })),
});

export const WGLL_MEASURE = 'Ensure smart foundations';

export const EvidenceMapping = z.strictObject({
  section: z.string(),
  /** What Good Looks Like success measure ("Ensure smart foundations"). */
  measure: z.string(),
  /** Which of reliable, modern, secure, sustainable, resilient the section evidences, and how. */
  evidences: z.string(),
});

export const EvidencePack = z.strictObject({
  schemaVersion: z.literal(1),
  trust: z.string(),
  /** Set when the pack is for one site. */
  site: z.string().nullable(),
  title: z.string(),
  month: EvidenceMonth,
  generatedAt: z.number(),
  currency: z.literal('GBP'),
  /** The price year of the staff costs (PSSRU manual's). */
  priceYear: z.string(),
  summary: EvidenceSummary,
  sensitivity: EvidenceSensitivity,
  logons: z.array(EvidenceLogonRow),
  applications: EvidenceApplications,
  wifi: EvidenceWifi,
  devices: EvidenceDevices,
  experience: EvidenceExperience,
  trend: EvidenceTrend,
  beforeAfter: EvidenceBeforeAfter,
  method: EvidenceMethod,
  mapping: z.array(EvidenceMapping),
});

export type EvidencePack = z.infer<typeof EvidencePack>;
export type EvidenceTimeLost = z.infer<typeof EvidenceTimeLost>;
export type EvidenceRange = z.infer<typeof EvidenceRange>;
export type EvidenceChange = z.infer<typeof EvidenceChange>;
export type EvidenceOffender = z.infer<typeof EvidenceOffender>;
export type EvidenceSensitivityRow = z.infer<typeof EvidenceSensitivityRow>;
export type EvidenceLogonRow = z.infer<typeof EvidenceLogonRow>;
export type LogonPhaseFigure = z.infer<typeof LogonPhaseFigure>;
export type EvidenceAppRow = z.infer<typeof EvidenceAppRow>;
export type EvidenceIncident = z.infer<typeof EvidenceIncident>;
export type EvidenceWifiRow = z.infer<typeof EvidenceWifiRow>;
export type EvidenceDeviceRow = z.infer<typeof EvidenceDeviceRow>;
export type EvidenceScoreRow = z.infer<typeof EvidenceScoreRow>;
export type ExperienceComponents = z.infer<typeof ExperienceComponents>;
export type EvidenceTrendMonth = z.infer<typeof EvidenceTrendMonth>;
export type EvidenceTrend = z.infer<typeof EvidenceTrend>;
export type BeforeAfterComparison = z.infer<typeof BeforeAfterComparison>;
export type EvidenceBeforeAfter = z.infer<typeof EvidenceBeforeAfter>;
export type EvidenceMethod = z.infer<typeof EvidenceMethod>;
export type EvidenceMapping = z.infer<typeof EvidenceMapping>;
