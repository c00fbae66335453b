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
// judge where each event claims to come from (ingest-admission.ts). A gzip body is inflated first
// (request-body.ts, as /v1/logs reads it).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { measureSkew, SENT_AT_HEADER, type IngestResult } from '@wardwatch/schema';
import { IngestAdmission } from '../ingest-admission.ts';
import type { IngestAuthenticator } from '../ingest-tokens.ts';
import { admitBatch, ingestAuthentication, SinkUnavailable, type IngestEnv, type IngestSink } from './ingest-batch.ts';
import { DEFAULT_BODY_LIMITS, splitBody, type BodyLimits } from './ingest-body.ts';
import { decodedBody } from './request-body.ts';

export { splitBody } from './ingest-body.ts';
export type { IngestSink, RejectedInput } from './ingest-batch.ts';

export interface IngestOptions {
  sink: IngestSink;
  clock: () => number;
  maxBodyBytes: number;
  /** Rejections listed in the answer at most; the counts stay exact. */
  maxListedRejections?: number;
  onAccepted?: (count: number) => void;
  onRejected?: (reason: string, message: string) => void;
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

export function ingestRoutes(options: IngestOptions): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  const maxListed = options.maxListedRejections ?? 1000;
  const auth = options.auth;
  const admission = options.admission ?? new IngestAdmission();
  const limits = options.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const tooLarge = `the body is larger than ${options.maxBodyBytes} bytes (as sent, or once inflated): split it into smaller batches`;
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
    ingestAuthentication({ clock: options.clock, auth, onUnauthorized: options.onUnauthorized, answer: (c, status, error) => c.json({ error }, status) }),
    bodyLimit({ maxSize: options.maxBodyBytes, onError: (c) => c.json({ error: tooLarge }, 413) }),
    async (c) => {
      const now = c.get('receivedAt');
      // The body is read before any refusal: a server that answers while the client is still sending
      // closes the connection under it, and the client sees a broken socket instead of the 400.
      const decoded = await decodedBody(new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-encoding'), options.maxBodyBytes, tooLarge);
      if (!decoded.ok) return c.json({ error: decoded.message }, decoded.status);
      // As c.req.text() reads: bytes that are not UTF-8 become U+FFFD, and the event holding them is judged on its own.
      const body = new TextDecoder().decode(decoded.bytes);
      const skew = measureSkew(c.req.header(SENT_AT_HEADER), now);
      if (!skew.ok) return c.json({ error: skew.message }, 400);
      if (skew.measuredMs !== undefined) options.onSkew?.(skew.measuredMs);
      const items = splitBody(body, limits);
      if (!Array.isArray(items)) return c.json({ error: items.error }, 400);
      const result: IngestResult = await admitBatch(items, { grant: c.get('grant'), now, correctionMs: skew.measuredMs === undefined ? undefined : skew.correctionMs }, {
        sink: options.sink,
        via: 'http',
        admission,
        maxListed,
        onAccepted: options.onAccepted,
        onRejected: options.onRejected,
        onTimeCorrected: options.onTimeCorrected,
        onError: options.onError,
      });
      if (result.accepted === 0) return c.json({ error: 'no valid event in the body', ...result }, 400);
      return c.json(result, 202);
    },
  );
  return app;
}
