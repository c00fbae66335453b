// Prometheus metrics: the pipeline's own counters and one gauge family per site SLI, read from the
// status board at scrape time (no per-event work).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SiteSummary } from '@wardwatch/schema';
import type { StatusBoard } from './status-board.ts';

export interface PipelineMetrics {
  registry: Registry;
  /**
   * The site list as the API and the grid give it — the SLO alerts firing on each, a page raising an
   * OK site to degraded (site-alerts.ts) — for `wardwatch_site_status`; the server that answers the
   * API sets it. Absent: the board's statuses alone.
   */
  siteList?: () => readonly SiteSummary[];
  /** Events accepted into the pipeline, by entry point ("http", "kafka", "bus"). */
  eventsIn: Counter<'source'>;
  /** Events refused, by reason (REJECT_REASONS in @wardwatch/schema, and too-late from the processor). */
  rejected: Counter<'reason'>;
  /** Events behind the watermark but still in an open window: counted. */
  late: Counter;
  /** Events whose window had closed, within the correction horizon: merged into the stored rollups. */
  corrected: Counter;
  /** Events whose window had closed, beyond the correction horizon: not counted in rollups, dead-lettered. */
  tooLate: Counter;
  /** Events dropped as replays of a sequence number already seen. */
  duplicates: Counter;
  /** Devices whose sequence restarted (a seq absurdly far from the highest, or behind it with newer events). */
  seqResets: Counter;
  /** Records not yet read by this process, per partition (as of its last batch there). */
  consumerLag: Gauge<'topic' | 'partition'>;
  /** Dead letters dropped unread from the in-memory dead-letter topic, past its byte budget (embedded). */
  deadLettersDropped: Counter;
  /** Status topic records skipped as unreadable (STATUS_REJECT_REASONS in @wardwatch/schema): the board keeps what it had. */
  statusMessagesInvalid: Counter<'reason'>;
  /** Ingest requests refused with 401: no bearer token ("missing") or one not in the token file ("invalid"). */
  ingestUnauthorized: Counter<'reason'>;
  /** Each ingest batch's measured device clock skew (sentAt − receivedAt), seconds; negative = behind. */
  ingestClockSkew: Histogram;
  /** Accepted ingest events whose ts was moved onto the server's clock by their batch's skew. */
  ingestTimeCorrected: Counter;
  /** Status messages published by the processor (only what changed, sites at every tick). */
  statusMessages: Counter;
  /** Device clock skew measured per telemetry record written straight to Kafka (wardwatch-sent-at). */
  recordClockSkew: Histogram;
}

/**
 * How often the event-loop delay histogram behind `wardwatch_nodejs_eventloop_lag_{min,mean,p50,…}_seconds`
 * samples, ms. prom-client's default, 10 ms, is a timer that wakes the main thread a hundred times a
 * second whatever the load: at rest it was a tenth of the demo's CPU (docs/benchmarks.md, "Live
 * statuses at rest and at scale"). Those gauges read the time between samples, so they sit near
 * this value at rest; a block of the loop longer than it is still caught. The scrape-time gauge
 * `wardwatch_nodejs_eventloop_lag_seconds` does not depend on it.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetrics(board: StatusBoard, options: { defaultMetrics?: boolean } = {}): PipelineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'wardwatch_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const metrics: PipelineMetrics = {
    registry,
    eventsIn: new Counter({ name: 'wardwatch_events_in_total', help: 'Telemetry events accepted', labelNames: ['source'], registers: [registry] }),
    rejected: new Counter({ name: 'wardwatch_events_rejected_total', help: 'Telemetry events refused, by reason', labelNames: ['reason'], registers: [registry] }),
    late: new Counter({ name: 'wardwatch_events_late_total', help: 'Events behind the watermark, still counted', registers: [registry] }),
    corrected: new Counter({ name: 'wardwatch_events_corrected_total', help: 'Events whose window had closed, merged into the stored rollups as late corrections', registers: [registry] }),
    tooLate: new Counter({ name: 'wardwatch_events_too_late_total', help: 'Events whose window had closed beyond the correction horizon, dead-lettered', registers: [registry] }),
    duplicates: new Counter({ name: 'wardwatch_events_duplicate_total', help: 'Replayed events dropped by sequence number', registers: [registry] }),
    seqResets: new Counter({ name: 'wardwatch_device_seq_resets_total', help: 'Device sequence numbers restarted (absurdly far from the highest seen, or behind it with newer events): counted, not dropped', registers: [registry] }),
    consumerLag: new Gauge({ name: 'wardwatch_consumer_lag_records', help: 'Records behind the log end per partition, as of the last batch', labelNames: ['topic', 'partition'], registers: [registry] }),
    deadLettersDropped: new Counter({ name: 'wardwatch_dead_letters_dropped_total', help: 'Dead letters dropped from the in-memory dead-letter topic past its byte budget, oldest first', registers: [registry] }),
    statusMessagesInvalid: new Counter({ name: 'wardwatch_status_messages_invalid_total', help: 'Status topic records skipped as unreadable (not JSON, or not a v1 scope status or live edge), by reason', labelNames: ['reason'], registers: [registry] }),
    ingestUnauthorized: new Counter({ name: 'wardwatch_ingest_unauthorized_total', help: 'Ingest requests refused for want of a valid device token', labelNames: ['reason'], registers: [registry] }),
    ingestClockSkew: new Histogram({
      name: 'wardwatch_ingest_clock_skew_seconds',
      help: 'Device clock skew measured per ingest batch (Wardwatch-Sent-At minus arrival), negative when behind',
      // Symmetric: latency (under a second), drift (seconds), a clock out by minutes (Kerberos fails past 5).
      buckets: [-3600, -300, -60, -10, -2, -0.5, 0, 0.5, 2, 10, 60, 300, 3600],
      registers: [registry],
    }),
    ingestTimeCorrected: new Counter({ name: 'wardwatch_ingest_events_time_corrected_total', help: 'Ingest events whose time was moved onto the server clock by their batch clock skew', registers: [registry] }),
    recordClockSkew: new Histogram({
      name: 'wardwatch_record_clock_skew_seconds',
      help: 'Device clock skew measured per telemetry record an agent wrote to Kafka (wardwatch-sent-at minus the broker append time), negative when behind',
      buckets: [-3600, -300, -60, -10, -2, -0.5, 0, 0.5, 2, 10, 60, 300, 3600],
      registers: [registry],
    }),
    statusMessages: new Counter({ name: 'wardwatch_status_messages_total', help: 'Status topic messages published by the processor: scopes whose status or figures changed, and the partitions\' live edges at each tick', registers: [registry] }),
  };

  const sites = () => board.sites().filter((s) => s.asOf > 0);
  new Gauge({
    name: 'wardwatch_site_app_response_p95_seconds',
    help: 'Application response time p95 per site over the status horizon',
    labelNames: ['site', 'trust'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sites()) if (s.p95Ms !== null) this.set({ site: s.id, trust: s.trust }, s.p95Ms / 1000);
    },
  });
  new Gauge({
    name: 'wardwatch_site_availability_ratio',
    help: 'Share of application checks that succeeded per site over the status horizon',
    labelNames: ['site', 'trust'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sites()) if (s.availability !== null) this.set({ site: s.id, trust: s.trust }, s.availability);
    },
  });
  new Gauge({
    name: 'wardwatch_site_logon_p95_seconds',
    help: 'Logon duration p95 per site over the status horizon',
    labelNames: ['site', 'trust'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sites()) if (s.logonP95Ms !== null) this.set({ site: s.id, trust: s.trust }, s.logonP95Ms / 1000);
    },
  });
  new Gauge({
    name: 'wardwatch_site_status',
    help: 'Current status per site: 1 for the state it is in, 0 for the others',
    labelNames: ['site', 'trust', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of metrics.siteList?.() ?? board.sites()) {
        for (const state of ['ok', 'degraded', 'down', 'unknown'] as const) {
          this.set({ site: s.id, trust: s.trust, status: state }, s.status === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: 'wardwatch_site_maintenance',
    help: 'Whether a recorded maintenance window is open at the site now (1) or not (0), as /api/sites marks it',
    labelNames: ['site', 'trust'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of metrics.siteList?.() ?? board.sites()) this.set({ site: s.id, trust: s.trust }, (s.maintenance?.length ?? 0) > 0 ? 1 : 0);
    },
  });
  return metrics;
}
