// What both ingest routes do once a request's body is cut into items — POST /api/ingest (a JSON array
// or NDJSON of events) and POST /v1/logs (OTLP log records, each one event): the device token checked
// before the body is read, then each item judged on its own (the schema, the time, where it claims to
// come from), the valid ones sent on and the others dead-lettered with their reason. The routes differ
// only in how they read a body and how they answer.
import type { Context, MiddlewareHandler } from 'hono';
import { correctEventTime, EVENT_MAX_AGE_MS, validateEvent, type IngestRejection, type RejectReason, type TelemetryEvent } from '@wardwatch/schema';
import type { IngestAdmission } from '../ingest-admission.ts';
import type { IngestAuthenticator, IngestGrant } from '../ingest-tokens.ts';

export interface RejectedInput {
  raw: string;
  reason: string;
  message: string;
  /** The route it came by, which its dead letter names as its source: "http" (POST /api/ingest) or "otlp" (POST /v1/logs). */
  via: IngestVia;
}

/** The ingest routes, as dead letters name them. */
export type IngestVia = 'http' | 'otlp';

/** Where ingested events go: in embedded mode the in-process bus, otherwise Kafka. */
export interface IngestSink {
  accept(events: TelemetryEvent[]): Promise<void>;
  reject(items: RejectedInput[]): Promise<void>;
}

/** One item of a request: a parsed value to judge, or one refused before it could be parsed. */
export interface IngestItem {
  /** Zero-based position in the request, as the answer reports it. */
  index: number;
  /** The item as sent, for the dead-letter topic. */
  raw: string;
  value?: unknown;
  refusal?: { reason: RejectReason; message: string };
}

/** The sink refused the batch: the server's fault, not the sender's; 503 so the sender retries. */
export class SinkUnavailable extends Error {
  override readonly name = 'SinkUnavailable';
}

export type IngestEnv = { Variables: { grant: IngestGrant | undefined; receivedAt: number } };

/** How a route answers a refused request: the ingest API's `{error}`, or OTLP's Status. */
export type RefusalAnswer = (c: Context, status: 401, message: string) => Response;

const REALM = 'Bearer realm="wardwatch ingest"';

/**
 * Notes the arrival time (for the clock skew: a slow upload is not a slow clock) and, with a token
 * file, admits only a request with a known device token — before the body is read, so an
 * unauthenticated sender costs no parsing.
 */
export function ingestAuthentication(options: {
  clock: () => number;
  auth?: IngestAuthenticator;
  onUnauthorized?: (reason: 'missing' | 'invalid') => void;
  answer: RefusalAnswer;
}): MiddlewareHandler<IngestEnv> {
  const { auth, answer } = options;
  const refuse = (c: Context, message: string, challenge: string) => {
    c.header('WWW-Authenticate', challenge);
    return answer(c, 401, message);
  };
  return async (c, next) => {
    c.set('receivedAt', options.clock());
    if (!auth) return next();
    const header = c.req.header('authorization');
    if (!header) {
      options.onUnauthorized?.('missing');
      return refuse(c, 'this server needs a device token: send Authorization: Bearer <token> (see docs/operations.md, "Ingest tokens")', REALM);
    }
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) {
      options.onUnauthorized?.('missing');
      return refuse(c, 'the Authorization header must be "Bearer <token>"', `${REALM}, error="invalid_request"`);
    }
    const grant = await auth.authenticate(match[1]!);
    if (!grant) {
      options.onUnauthorized?.('invalid');
      return refuse(c, 'unknown or revoked device token: ask the service desk for a new one', `${REALM}, error="invalid_token"`);
    }
    c.set('grant', grant);
    return next();
  };
}

export interface BatchOptions {
  sink: IngestSink;
  /** The route the batch came by (RejectedInput.via). */
  via: IngestVia;
  admission: IngestAdmission;
  /** Rejections listed in the outcome at most; the counts stay exact. */
  maxListed: number;
  onAccepted?: (count: number) => void;
  onRejected?: (reason: string, message: string) => void;
  onTimeCorrected?: (count: number) => void;
  onError?: (error: unknown) => void;
}

export interface BatchOutcome {
  accepted: number;
  rejected: number;
  rejections: IngestRejection[];
}

/**
 * Judges each item — moved onto the server's clock by the batch's skew, checked against the schema
 * and the time, then against where it claims to come from — sends the valid ones to the sink
 * (SinkUnavailable when it refuses them: nothing of the batch was kept) and dead-letters the others.
 */
export async function admitBatch(
  items: readonly IngestItem[],
  /** correctionMs: the batch's clock correction; undefined when its clock was not measured (no Wardwatch-Sent-At). */
  context: { grant: IngestGrant | undefined; now: number; correctionMs: number | undefined },
  options: BatchOptions,
): Promise<BatchOutcome> {
  const { grant, now, correctionMs } = context;
  await options.admission.refresh();
  const accepted: TelemetryEvent[] = [];
  const rejections: IngestRejection[] = [];
  const rejected: RejectedInput[] = [];
  for (const item of items) {
    let result: { ok: true; event: TelemetryEvent } | { ok: false; reason: string; message: string };
    if (item.refusal) {
      result = { ok: false, ...item.refusal };
    } else {
      correctEventTime(item.value, correctionMs);
      result = validateEvent(item.value, { now, maxAgeMs: EVENT_MAX_AGE_MS });
    }
    if (result.ok) {
      const refusal = options.admission.refusal(grant, result.event, now);
      if (refusal) result = { ok: false, ...refusal };
    }
    if (result.ok) {
      accepted.push(result.event);
    } else {
      rejected.push({ raw: item.raw, reason: result.reason, message: result.message, via: options.via });
      if (rejections.length < options.maxListed) rejections.push({ index: item.index, reason: result.reason, message: result.message });
      options.onRejected?.(result.reason, result.message);
    }
  }
  if (accepted.length > 0) {
    try {
      await options.sink.accept(accepted);
    } catch (error) {
      throw new SinkUnavailable(`the telemetry topic refused the batch (${(error as Error).message})`);
    }
    options.onAccepted?.(accepted.length);
    if (correctionMs) options.onTimeCorrected?.(accepted.length);
  }
  // After the accepted ones: a dead-letter topic in trouble must not cost good events. Rejections
  // are reported in the answer either way.
  if (rejected.length > 0) {
    try {
      await options.sink.reject(rejected);
    } catch (error) {
      options.onError?.(error);
    }
  }
  return { accepted: accepted.length, rejected: rejected.length, rejections };
}
