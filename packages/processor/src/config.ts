// Processor settings: window size, watermark, lateness, status horizon and the status thresholds
// (those are @wardwatch/status-rules', shared with the server, which judges stored history by them).
import { EVENT_MAX_AGE_MS } from '@wardwatch/schema';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '@wardwatch/status-rules';
import { DEFAULT_FIGURE_TOLERANCE, type FigureTolerance } from './status-publishing.ts';

export { DEFAULT_THRESHOLDS, type StatusThresholds };

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
   * Statuses are published when they change (status-publishing.ts): a scope's status or reason at
   * any tick, its figures at a window's end, a site's figures between window ends when they move past
   * `figureTolerance`; and every scope at least this often (event time), so its `asOf` on a board fed
   * only what is published is never older than this. A site's time on the board moves with its
   * partition's live edge between its publications.
   */
  statusRefreshMs: number;
  /** How far a site's figures may move between window ends before it is published again. */
  figureTolerance: FigureTolerance;
  /**
   * The telemetry partition this processor counts, when it is one of several (the runtime sets it):
   * named on the sites it publishes, whose time the board then moves with that partition's live edge.
   */
  partition?: number;
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


export const DEFAULT_PROCESSOR_CONFIG: ProcessorConfig = {
  windowMs: 60_000,
  watermarkLagMs: 30_000,
  futureToleranceMs: 30_000,
  // Agents flush every 15 s and Kafka adds seconds: a minute beyond the watermark covers ordinary
  // delays, and keeps the final rollups (what the SLOs and alerts read) within 2.5 minutes of now.
  allowedLatenessMs: 60_000,
  statusHorizonMs: 15 * 60_000,
  statusRefreshMs: 5 * 60_000,
  figureTolerance: DEFAULT_FIGURE_TOLERANCE,
  deviceResolutions: ['1h'],
  forgetAfterMs: 24 * 3_600_000,
  correctionHorizonMs: EVENT_MAX_AGE_MS,
  thresholds: DEFAULT_THRESHOLDS,
};

export function resolveConfig(config: Partial<ProcessorConfig> = {}): ProcessorConfig {
  const resolved = {
    ...DEFAULT_PROCESSOR_CONFIG,
    ...config,
    thresholds: { ...DEFAULT_THRESHOLDS, ...config.thresholds },
    figureTolerance: { ...DEFAULT_FIGURE_TOLERANCE, ...config.figureTolerance },
  };
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
