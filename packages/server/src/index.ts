// @wardwatch/server — the HTTP face of wardwatch: REST API, live stream, ingest, metrics, dashboard.
export { createApp, createMetricsApp, type AppDependencies } from './app.ts';
export { listen, type RunningServer } from './http-server.ts';
export { StatusBoard, byConcern, type SiteDirectory, type SiteInfo, type StatusListener, type TimeListener } from './status-board.ts';
export { DEFAULT_FEED_TIMING, feedDelay, StatusBoardFeed, WHOLE_ROUND_FEED_TIMING, type FeedTiming } from './status-board-feed.ts';
export { createMetrics, type PipelineMetrics } from './metrics.ts';
export { DeadLetterLog, type DeadLetterPage } from './dead-letter-log.ts';
export { splitBody, type IngestSink, type RejectedInput } from './routes/ingest.ts';
export { DEFAULT_BODY_LIMITS, type BodyLimits } from './routes/ingest-body.ts';
export { EstateRegister, EstateRegisterError, parseEstateCsv, parseEstateYaml } from './estate-register.ts';
export { EstateRegisterFile, type EstateLookup, type RegisterFileLog } from './estate-register-file.ts';
export { FileInForce, type FileInForceLog, type FileInForceOptions } from './file-in-force.ts';
export { IngestAdmission, type AdmissionRefusal } from './ingest-admission.ts';
export {
  IngestTokens,
  IngestTokenFileError,
  hashIngestToken,
  newIngestToken,
  parseIngestTokens,
  tokenFileLine,
  type IngestAuthenticator,
  type IngestGrant,
  type TokenFileLog,
} from './ingest-tokens.ts';
export { SloEvaluator, type SloEvaluatorOptions } from './slo-evaluator.ts';
export { MaintenanceNow } from './maintenance-now.ts';
export { maintenanceHolds, type MaintenanceHolds } from './maintenance-holds.ts';
export { SignOn, type AuthEvent, type SignOnOptions } from './auth/sign-on.ts';
export { AuthConfigError, loadAuthFile, parseAuthConfig, type AuthConfig } from './auth/config.ts';
export { ROUTE_ACCESS, ROLES, type Role, type Access } from './auth/roles.ts';
export type { Principal } from './auth/claims.ts';
export { defaultAllowedHosts, LOOPBACK_NAMES } from './middleware/host-allow-list/index.ts';
export { auditChanges, auditRoutes, auditSignOn } from './auth/audit.ts';
export { ApiTokens, API_TOKEN_PREFIX, hashApiToken } from './auth/api-tokens.ts';
export { followSharedAlertState, readSharedAlertState, SHARED_ALERT_STATE_INTERVAL_MS } from './shared-alert-state.ts';
export { directoryFromBoard } from './routes/reports.ts';
