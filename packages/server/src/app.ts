// The HTTP application: API routes, live stream, ingest, metrics and the dashboard's files.
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { compress } from './middleware/compress/index.ts';
import { genericErrors, type ErrorLog } from './middleware/error-handler/index.ts';
import { hostAllowList } from './middleware/host-allow-list/index.ts';
import { sameOriginWrites } from './middleware/same-origin/index.ts';
import { securityHeaders } from './middleware/security-headers/index.ts';
import { writeSizeLimit } from './middleware/write-size/index.ts';
import { DEFAULT_TIME_LIMIT_MS, timeLimit } from './middleware/time-limit/index.ts';
import { accessControl, accountRoutes } from './auth/access.ts';
import type { SignOn } from './auth/sign-on.ts';
import { auditChanges, auditRoutes } from './auth/audit.ts';
import { trustGate } from './auth/trust-gate.ts';
import type { ApiTokens } from './auth/api-tokens.ts';
import { DEFAULT_INGEST_LIMITS, ingestLimits, signInLimit, type IngestLimitOptions } from './middleware/rate-limit/index.ts';
import { connectionCap, DEFAULT_STREAM_CAPS, type ConnectionCapOptions } from './middleware/connection-cap/index.ts';
import type { AnnotationStore, AssignmentStore, AuditStore, RollupStore, SilenceStore } from '@wardwatch/store';
import type { PipelineMetrics } from './metrics.ts';
import type { IngestAuthenticator } from './ingest-tokens.ts';
import type { EstateLookup } from './estate-register-file.ts';
import { IngestAdmission } from './ingest-admission.ts';
import { ingestRoutes, type IngestOptions, type IngestSink } from './routes/ingest.ts';
import { otlpLogsRoutes } from './routes/otlp-logs.ts';
import { maintenanceHolds } from './maintenance-holds.ts';
import { MaintenanceNow } from './maintenance-now.ts';
import { siteList, siteRoutes } from './routes/sites.ts';
import { sloRoutes } from './routes/slos.ts';
import { assignmentRoutes } from './routes/alert-assignments.ts';
import type { StatusThresholds } from '@wardwatch/status-rules';
import { annotationRoutes } from './routes/annotations.ts';
import { reportRoutes } from './routes/reports.ts';
import { exportRoutes } from './routes/export.ts';
import type { EstateDirectory, EvidenceConfig } from '@wardwatch/evidence';
import type { SloEvaluator } from './slo-evaluator.ts';
import { streamRoutes } from './routes/stream.ts';
import { dashboardPage } from './dashboard-page.ts';
import type { StatusBoard } from './status-board.ts';
import { RejectionSummaries, type RejectionSummary } from './routes/rejection-summary.ts';
import { deadLetterRoutes } from './routes/dead-letters.ts';
import type { DeadLetterLog } from './dead-letter-log.ts';

export interface AppDependencies {
  board: StatusBoard;
  store: RollupStore;
  metrics: PipelineMetrics;
  /** Absent on a server that only serves the API (e.g. a read replica). */
  ingest?: IngestSink;
  /** Event-time clock used to judge incoming timestamps (the simulated clock in demo mode). */
  clock?: () => number;
  /** Folder of the built dashboard; absent → no dashboard served. */
  dashboardDir?: string;
  /** False: the dashboard's page goes as built, without the first frame of the caller's sites (dashboard-page.ts) — for comparing with builds from before it. Default true. */
  dashboardFirstFrame?: boolean;
  maxIngestBytes?: number;
  /** Per-device tokens (see ingest-tokens.ts): POST /api/ingest then needs a bearer token. Open without. */
  ingestTokens?: IngestAuthenticator;
  /** Known sites and devices (a register, or a register file followed as it changes): ingest refuses others as unknown-site / unknown-device. */
  estateRegister?: EstateLookup;
  /** New sites, wards and devices each token (or open ingest) may bring per hour; undefined → no cap. */
  scopeCapPerHour?: number;
  /** Serves GET/POST/DELETE /api/annotations when present (both stores implement it). */
  annotations?: AnnotationStore;
  /**
   * The maintenance windows recorded in `annotations` that are open now (made here from them when not
   * given): the CLI makes them first, to hand its SLO evaluator the same (maintenance-holds.ts).
   */
  maintenance?: MaintenanceNow;
  /** Evidence pack settings for GET /api/reports (targets, staff mix, baseline, maintenance); absent → the documented defaults. */
  evidenceConfig?: EvidenceConfig;
  /** Where GET /api/reports places sites, devices and access points (an inventory); absent → the live status board. */
  evidenceDirectory?: () => EstateDirectory;
  /** The software version evidence packs record (the CLI's); default 0.1.0. */
  version?: string;
  /** False while earlier months are still being written (see reportRoutes). */
  historySettled?: () => boolean;
  /** Serves /api/slos, /api/alerts and silences when present. */
  slos?: SloEvaluator;
  /** Extra facts for /healthz, e.g. transport and store kinds. */
  health?: () => Record<string, unknown>;
  /** Host names the server answers to (see middleware/host-allow-list); default the loopback names. */
  allowedHosts?: readonly string[];
  /** The address people reach the server at when it differs from the request's (an https proxy). */
  publicUrl?: string;
  /** Where an unexpected error's detail goes; its answer is a generic 500. */
  logError?: ErrorLog;
  /** The newest dead letters (dead-letter-log.ts): GET /api/dead-letters serves them when present. */
  deadLetters?: DeadLetterLog;
  /** Where ingest's refusals are summed up for the log (a line per reason a minute, with the first one's words). */
  logRejections?: (summary: RejectionSummary) => void;
  /**
   * OpenID Connect sign-in and sessions (auth/); every route then needs the role auth/roles.ts gives
   * it. Absent → every caller is the local administrator (the CLI allows that on loopback only).
   */
  signOn?: SignOn;
  /** The audit trail (auth/audit.ts): every change is recorded, GET /api/audit serves it. */
  audit?: AuditStore;
  /** API tokens (auth/api-tokens.ts): issued by admins at /api/tokens, accepted as Bearer wwt_…. */
  apiTokens?: ApiTokens;
  /** Where silences are kept across restarts (read them into the alert book with readSharedAlertState before serving). */
  silences?: SilenceStore;
  /** Where alert assignments are kept across restarts (read them into the alert book with readSharedAlertState before serving). */
  assignments?: AssignmentStore;
  /** The processor's status thresholds, for judging a site's uptime history as its status is judged and for the evidence pack's method (default: the processor's defaults). */
  statusThresholds?: StatusThresholds;
  /** Rate limits and connection caps (docs/security.md); each default applies when absent. */
  limits?: { ingest?: Partial<IngestLimitOptions>; streams?: Partial<ConnectionCapOptions>; requestMs?: number };
}

export function createApp(deps: AppDependencies): Hono {
  const app = new Hono();

  app.onError(genericErrors(deps.logError));
  // Security headers on every answer; then the Host check (DNS rebinding; /healthz is exempt for
  // probes that address the server by IP); then the cross-origin and JSON rules for writes.
  const hostCheck = hostAllowList({ hosts: deps.allowedHosts });
  app.use(securityHeaders({ https: deps.publicUrl?.startsWith('https:') }));
  // Brotli, else gzip, for text answers (JSON, HTML, CSS, JS, CSV) by what the client accepts; never
  // the live stream. The dashboard's files come precompressed from the build.
  app.use(compress());
  app.use('*', async (c, next) => (c.req.path === '/healthz' ? next() : hostCheck(c, next)));
  app.use(sameOriginWrites({ devicePaths: ['/api/ingest', '/v1'], origins: deps.publicUrl ? [deps.publicUrl] : [] }));
  app.use(writeSizeLimit({ maxBytes: 64 * 1024, exceptPaths: ['/api/ingest', '/v1/logs'] }));
  app.use(timeLimit({ ms: deps.limits?.requestMs ?? DEFAULT_TIME_LIMIT_MS }));
  // The audit trail wraps the access check, so a write refused for the caller's role is recorded too.
  if (deps.audit) app.use(auditChanges({ store: deps.audit, onError: (error) => deps.logError?.(error, { ref: 'audit', method: '', path: '' }) }));
  app.use(accessControl(deps.signOn, { tokens: deps.apiTokens, publicMetrics: deps.signOn?.config.metrics === 'public' }));
  // Middleware before every route it guards: hono runs handlers in the order they are registered.
  app.use('/auth/*', signInLimit());
  app.use('/api/stream', connectionCap({ ...DEFAULT_STREAM_CAPS, ...deps.limits?.streams }));
  // One budget per sender, whichever of the two ingest routes it posts to.
  const ingestLimit = ingestLimits({ ...DEFAULT_INGEST_LIMITS, ...deps.limits?.ingest });
  app.use('/api/ingest', ingestLimit);
  app.use('/v1/logs', ingestLimit);
  if (deps.signOn) app.route('/auth', deps.signOn.routes());
  app.route('/api', accountRoutes(deps.signOn));
  if (deps.apiTokens) app.route('/api', deps.apiTokens.routes());
  if (deps.audit) app.route('/api', auditRoutes(deps.audit));
  if (deps.deadLetters) app.route('/api', deadLetterRoutes(deps.deadLetters));
  app.route('/api', trustGate(deps.board));

  app.get('/healthz', (c) => {
    // lagMs: how far the newest figures trail the server's event-time clock (a stalled processor grows it).
    const now = (deps.clock ?? Date.now)();
    const asOf = deps.board.asOf();
    return c.json({ status: 'ok', asOf, now, lagMs: asOf > 0 ? Math.max(0, now - asOf) : null, ...deps.health?.() });
  });

  // Recorded maintenance windows open now, on every site list (maintenance-now.ts).
  const maintenanceError = (error: unknown) => deps.logError?.(error, { ref: 'maintenance', method: '', path: '' });
  const maintenance = deps.maintenance ?? (deps.annotations ? new MaintenanceNow(deps.annotations, deps.clock ?? Date.now, maintenanceError) : undefined);
  // One truth: what the screens show in planned work is not paged for (an evaluator made without the windows is given them).
  if (deps.slos && maintenance && !deps.slos.holds) deps.slos.holdDuring(maintenanceHolds(maintenance, deps.board));

  // One truth: a site's status on /metrics is the one /api/sites and the grid show.
  deps.metrics.siteList = () => siteList(deps.board, deps.slos, maintenance);
  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': deps.metrics.registry.contentType });
  });

  app.route('/api', siteRoutes({ board: deps.board, store: deps.store, slos: deps.slos, clock: deps.clock, thresholds: deps.statusThresholds, annotations: deps.annotations, maintenance }));
  app.route('/api/stream', streamRoutes({ board: deps.board, clock: deps.clock, slos: deps.slos, maintenance, onError: deps.logError && ((error) => deps.logError!(error, { ref: 'stream', method: 'GET', path: '/api/stream' })) }));
  if (deps.slos) app.route('/api', sloRoutes(deps.slos, (scope) => deps.board.get(scope)?.trust, deps.silences));
  if (deps.slos) {
    const onError = deps.logError && ((error: unknown) => deps.logError!(error, { ref: 'assignments', method: '', path: '' }));
    app.route('/api/alerts', assignmentRoutes({ evaluator: deps.slos, trustOf: (scope) => deps.board.get(scope)?.trust, kept: deps.assignments, onError }));
  }
  if (deps.annotations) app.route('/api/annotations', annotationRoutes({ store: deps.annotations, now: deps.clock ?? Date.now, onChange: () => maintenance?.refresh().catch(maintenanceError) }));
  app.route('/api', reportRoutes({ store: deps.store, board: deps.board, slos: deps.slos, config: deps.evidenceConfig, thresholds: deps.statusThresholds, directory: deps.evidenceDirectory, version: deps.version, historySettled: deps.historySettled }));
  app.route('/api', exportRoutes({ store: deps.store }));
  if (deps.ingest) {
    const rejections = deps.logRejections && new RejectionSummaries(deps.logRejections);
    const ingest: IngestOptions = {
      sink: deps.ingest,
      clock: deps.clock ?? Date.now,
      maxBodyBytes: deps.maxIngestBytes ?? 5 * 1024 * 1024,
      auth: deps.ingestTokens,
      onUnauthorized: (reason) => deps.metrics.ingestUnauthorized.inc({ reason }),
      admission: new IngestAdmission({ register: deps.estateRegister, scopeCapPerHour: deps.scopeCapPerHour }),
      onRejected: (reason, message) => {
        deps.metrics.rejected.inc({ reason });
        rejections?.note(reason, message);
      },
      onSkew: (skewMs) => deps.metrics.ingestClockSkew.observe(skewMs / 1000),
      onTimeCorrected: (n) => deps.metrics.ingestTimeCorrected.inc(n),
      onError: (error) => console.error(error),
    };
    // One admission for both routes: the scope cap counts what a sender brings through either.
    app.route('/api/ingest', ingestRoutes({ ...ingest, onAccepted: (n) => deps.metrics.eventsIn.inc({ source: 'http' }, n) }));
    app.route('/v1/logs', otlpLogsRoutes({ ...ingest, onAccepted: (n) => deps.metrics.eventsIn.inc({ source: 'otlp' }, n) }));
    // OTLP senders pointed at the server's base address post every signal: say which one it takes.
    app.post('/v1/*', (c) =>
      c.json({ code: 12, message: `wardwatch takes OTLP logs only, each log record a wardwatch event (POST /v1/logs, docs/api.md); not ${c.req.path}` }, 404),
    );
  }
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}; see docs/api.md` }, 404));

  if (deps.dashboardDir) {
    // Registered after the API, so it wraps only the dashboard's files.
    app.use('/*', async (c, next) => {
      await next();
      if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', dashboardCacheControl(c.req.path));
    });
    // The page itself is written per caller, with the site grid's first frame in it (dashboard-page.ts).
    const page = dashboardPage({ dir: deps.dashboardDir, board: deps.board, slos: deps.slos, maintenance, clock: deps.clock, firstFrame: deps.dashboardFirstFrame !== false });
    app.get('/', page);
    app.get('/index.html', page);
    app.use('/*', serveStatic({ root: deps.dashboardDir, precompressed: true }));
    // Client-side routes fall back to the dashboard's page; a missing file (a source map, say) is a 404.
    app.get('*', async (c, next) => (/\.[a-z0-9]+$/i.test(c.req.path) ? c.text('not found', 404) : next()));
    app.get('*', page);
  }
  return app;
}

/**
 * The bundle's files (app-<hash>.js, chunk-<hash>.js) carry their content's hash in their names
 * (build.mjs): browsers keep them for a year. Everything else (index.html naming them, app.css, the
 * favicon) is revalidated on each load.
 */
export function dashboardCacheControl(path: string): string {
  return /\/(app|chunk)-[A-Z0-9]+\.js(\.LEGAL\.txt)?$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** For processes that serve no API (processors): health and Prometheus metrics only. */
export function createMetricsApp(metrics: PipelineMetrics, health: () => Record<string, unknown> = () => ({})): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', ...health() }));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return app;
}
