// POST /api/ingest: a JSON array or NDJSON of telemetry events. Each event is judged on its own: the
// valid ones go on, the others are reported back by index and reason (and dead-lettered), so one bad
// line never costs the good ones around it. Nothing a sender puts in the body or the headers answers
// a 5xx: items too long or too deep are refused before parsing (ingest-body.ts), times are bounded by
// the schema, and whatever still throws is answered 400. A 5xx means the server itself is in trouble
// (503: the telemetry topic refused the batch), which the agent rightly retries.
//
// Each batch's `Wardwatch-Sent-At` header measures the device's clock (the schema's clock-skew.ts)
// against the server's on arrival, before the body is read (a slow upload is not a slow clock); its
// events are moved onto the server's clock, carry `skewMs`, and are judged on the corrected time. With a token
// file the request must carry a device token; the token, the estate register and the scope cap then
// judge where each event claims to come from (ingest-admission.ts).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { correctEventTime, measureSkew, SENT_AT_HEADER, validateEvent, type IngestRejection, type IngestResult, type TelemetryEvent } from '@wardwatch/schema';
import { IngestAdmission } from '../ingest-admission.ts';
import type { IngestAuthenticator, IngestGrant } from '../ingest-tokens.ts';
import { DEFAULT_BODY_LIMITS, splitBody, type BodyLimits } from './ingest-body.ts';

export { splitBody } from './ingest-body.ts';

export interface RejectedInput {
  raw: string;
  reason: string;
  message: string;
}

/** Where ingested events go: in embedded mode the in-process bus, otherwise Kafka. */
export interface IngestSink {
  accept(events: TelemetryEvent[]): Promise<void>;
  reject(items: RejectedInput[]): Promise<void>;
}

export interface IngestOptions {
  sink: IngestSink;
  clock: () => number;
  maxBodyBytes: number;
  /** Rejections listed in the answer at most; the counts stay exact. */
  maxListedRejections?: number;
  onAccepted?: (count: number) => void;
  onRejected?: (reason: string) => void;
  /** Requires `Authorization: Bearer <token>` when present; ingest is open without it. */
  auth?: IngestAuthenticator;
  /** A request refused with 401: no usable Authorization header, or a token not in the file. */
  onUnauthorized?: (reason: 'missing' | 'invalid') => void;
  /** Judges where each event claims to come from (token binding, estate register, scope cap). */
  admission?: IngestAdmission;
  /** Item length and nesting depth allowed before parsing. */
  bodyLimits?: BodyLimits;
  /** A batch's measured clock skew (sentAt − receivedAt), ms; only for requests with the header. */
  onSkew?: (skewMs: number) => void;
  /** Accepted events whose ts was moved by their batch's skew. */
  onTimeCorrected?: (count: number) => void;
  /** An unexpected failure answered 400 or 503, for the log. */
  onError?: (error: unknown) => void;
}

/** The sink refused the batch: the server's fault, not the sender's; 503 so the agent retries. */
class SinkUnavailable extends Error {
  override readonly name = 'SinkUnavailable';
}

const REALM = 'Bearer realm="wardwatch ingest"';

function unauthorized(c: Context, error: string, challenge: string) {
  c.header('WWW-Authenticate', challenge);
  return c.json({ error }, 401);
}

type IngestEnv = { Variables: { grant: IngestGrant | undefined; receivedAt: number } };

export function ingestRoutes(options: IngestOptions): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  const maxListed = options.maxListedRejections ?? 1000;
  const auth = options.auth;
  const admission = options.admission ?? new IngestAdmission();
  const limits = options.bodyLimits ?? DEFAULT_BODY_LIMITS;
  app.onError((error, c) => {
    options.onError?.(error);
    if (error instanceof SinkUnavailable) {
      c.header('Retry-After', '5');
      return c.json({ error: `${error.message}; nothing of this batch was kept, send it again` }, 503);
    }
    // Whatever else throws was brought on by the request (a body cut off mid-way, bytes that are not
    // text): the sender's fault, and sending the same again will not help.
    return c.json({ error: `the request could not be read as a batch of events: ${(error as Error).message}` }, 400);
  });
  app.post(
    '/',
    // Before the body is read: the arrival time for the clock skew (a slow upload is not a slow
    // clock), and an unauthenticated sender costs no parsing.
    async (c, next) => {
      c.set('receivedAt', options.clock());
      if (!auth) return next();
      const header = c.req.header('authorization');
      if (!header) {
        options.onUnauthorized?.('missing');
        return unauthorized(c, 'this server needs a device token: send Authorization: Bearer <token> (see docs/operations.md, "Ingest tokens")', REALM);
      }
      const match = /^Bearer +(\S+) *$/i.exec(header);
      if (!match) {
        options.onUnauthorized?.('missing');
        return unauthorized(c, 'the Authorization header must be "Bearer <token>"', `${REALM}, error="invalid_request"`);
      }
      const grant = await auth.authenticate(match[1]!);
      if (!grant) {
        options.onUnauthorized?.('invalid');
        return unauthorized(c, 'unknown or revoked device token: ask the service desk for a new one', `${REALM}, error="invalid_token"`);
      }
      c.set('grant', grant);
      return next();
    },
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        c.json({ error: `the body is larger than ${options.maxBodyBytes} bytes: split it into smaller batches` }, 413),
    }),
    async (c) => {
      const now = c.get('receivedAt');
      // The body is read before any refusal: a server that answers while the client is still sending
      // closes the connection under it, and the client sees a broken socket instead of the 400.
      const body = await c.req.text();
      const skew = measureSkew(c.req.header(SENT_AT_HEADER), now);
      if (!skew.ok) return c.json({ error: skew.message }, 400);
      if (skew.measuredMs !== undefined) options.onSkew?.(skew.measuredMs);
      const items = splitBody(body, limits);
      if (!Array.isArray(items)) return c.json({ error: items.error }, 400);
      await admission.refresh();
      const grant = c.get('grant');
      const accepted: TelemetryEvent[] = [];
      const rejections: IngestRejection[] = [];
      const rejected: RejectedInput[] = [];
      for (const item of items) {
        let result:
          | { ok: true; event: TelemetryEvent }
          | { ok: false; reason: string; message: string };
        if (item.refusal) {
          result = { ok: false, ...item.refusal };
        } else {
          correctEventTime(item.value, skew.correctionMs);
          result = validateEvent(item.value, { now });
        }
        if (result.ok) {
          const refusal = admission.refusal(grant, result.event, now);
          if (refusal) result = { ok: false, ...refusal };
        }
        if (result.ok) {
          accepted.push(result.event);
        } else {
          rejected.push({ raw: item.raw, reason: result.reason, message: result.message });
          if (rejections.length < maxListed) rejections.push({ index: item.index, reason: result.reason, message: result.message });
          options.onRejected?.(result.reason);
        }
      }
      if (accepted.length > 0) {
        try {
          await options.sink.accept(accepted);
        } catch (error) {
          throw new SinkUnavailable(`the telemetry topic refused the batch (${(error as Error).message})`);
        }
        options.onAccepted?.(accepted.length);
        if (skew.correctionMs !== 0) options.onTimeCorrected?.(accepted.length);
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
      const result: IngestResult = { accepted: accepted.length, rejected: rejected.length, rejections };
      if (accepted.length === 0) return c.json({ error: 'no valid event in the body', ...result }, 400);
      return c.json(result, 202);
    },
  );
  return app;
}
