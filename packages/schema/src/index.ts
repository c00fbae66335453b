// @wardwatch/schema — the contracts, defined once: telemetry events (v1), the status messages the
// processor publishes, dead letters, the rollups the store keeps, and the shapes the HTTP API serves.
export * from './v1/envelope.ts';
export * from './v1/payloads.ts';
export * from './v1/event.ts';
export * from './v1/decode.ts';
export { contradiction } from './v1/contradiction.ts';
export * from './v1/clock-skew.ts';
export { telemetryEventJsonSchema, isTelemetryEvent } from './v1/json-schema.ts';
export * from './v1/status.ts';
export * from './v1/live-edge.ts';
export * from './v1/status-decode.ts';
export * from './v1/dead-letter.ts';
export * from './v1/rollup.ts';
export * from './api.ts';
export { TOPICS, topicName } from './topics.ts';
export * from './slo-api.ts';
export * from './slo-text.ts';
export * from './evidence.ts';
export * from './figure-text.ts';
export * from './evidence-text.ts';
export * from './annotation.ts';
export * from './audit.ts';
export * from './api-token.ts';
export * from './config-problems.ts';
