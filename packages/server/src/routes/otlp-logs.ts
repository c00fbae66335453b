// POST /v1/logs: OTLP/HTTP with JSON payloads (the OTLP specification), each log record one wardwatch
// event (otlp-logs.ts). Judged as POST /api/ingest judges events — the same device tokens, clock
// skew header, schema, admission and dead-letter topic (ingest-batch.ts) — and answered as OTLP asks:
// 200 with an empty ExportLogsServiceResponse when every record was taken, 200 with `partialSuccess`
// (the count refused and why) when some were not — a sender must not retry those —, and a Status
// message with a 4xx for a request that cannot be read or a 503 (retried) when the server cannot
// keep the batch. Gzip bodies are taken, and limited after decompression too.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { measureSkew, SENT_AT_HEADER } from '@wardwatch/schema';
import { IngestAdmission } from '../ingest-admission.ts';
import { logRecordItems } from '../otlp-logs.ts';
import { admitBatch, ingestAuthentication, SinkUnavailable, type IngestEnv } from './ingest-batch.ts';
import { DEFAULT_BODY_LIMITS } from './ingest-body.ts';
import type { IngestOptions } from './ingest.ts';
import { decodedBody } from './request-body.ts';

/** Rejections the partial success message spells out; the count is always exact. */
const NAMED_IN_MESSAGE = 5;

/** google.rpc.Status codes, for the Status an OTLP failure answers with (senders only log them). */
const STATUS_CODE: Partial<Record<number, number>> = { 400: 3, 401: 16, 413: 8, 415: 3, 503: 14 };

/** An OTLP failure: the HTTP status, and a Status message saying why. */
function failure(c: Context, status: ContentfulStatusCode, message: string) {
  return c.json({ code: STATUS_CODE[status] ?? 2, message }, status);
}

export function otlpLogsRoutes(options: IngestOptions): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  const admission = options.admission ?? new IngestAdmission();
  const limits = options.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const maxBytes = options.maxBodyBytes;
  const tooLarge = `the body is larger than ${maxBytes} bytes (as sent, or once inflated): send smaller batches (the Collector's batch processor: send_batch_max_size)`;
  app.onError((error, c) => {
    options.onError?.(error);
    if (error instanceof SinkUnavailable) {
      c.header('Retry-After', '5');
      return failure(c, 503, `${error.message}; nothing of this request was kept, send it again`);
    }
    return failure(c, 400, `the request could not be read as OTLP logs: ${(error as Error).message}`);
  });
  app.post(
    '/',
    ingestAuthentication({ clock: options.clock, auth: options.auth, onUnauthorized: options.onUnauthorized, answer: (c, status, message) => failure(c, status, message) }),
    bodyLimit({ maxSize: maxBytes, onError: (c) => failure(c, 413, tooLarge) }),
    async (c) => {
      const now = c.get('receivedAt');
      // Read whole before any refusal, as POST /api/ingest does (an early answer breaks the sender's socket).
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        const hint = type === 'application/x-protobuf' ? ': set the exporter to http/json (OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=http/json; the Collector\'s otlphttp exporter: encoding: json)' : '';
        return failure(c, 415, `POST /v1/logs takes OTLP/HTTP JSON (Content-Type: application/json), not ${type || 'a body without a Content-Type'}${hint}`);
      }
      const decoded = await decodedBody(bytes, c.req.header('content-encoding'), maxBytes, tooLarge);
      if (!decoded.ok) return failure(c, decoded.status, decoded.message);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(decoded.bytes);
      } catch (error) {
        return failure(c, 400, `the body could not be read: ${(error as Error).message}`);
      }
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch (error) {
        return failure(c, 400, `the body is not valid JSON: ${(error as Error).message}`);
      }
      const skew = measureSkew(c.req.header(SENT_AT_HEADER), now);
      if (!skew.ok) return failure(c, 400, skew.message);
      if (skew.measuredMs !== undefined) options.onSkew?.(skew.measuredMs);
      const items = logRecordItems(request, limits);
      if (!Array.isArray(items)) return failure(c, 400, items.error);
      const outcome = await admitBatch(items, { grant: c.get('grant'), now, correctionMs: skew.measuredMs === undefined ? undefined : skew.correctionMs }, {
        sink: options.sink,
        via: 'otlp',
        admission,
        maxListed: NAMED_IN_MESSAGE,
        onAccepted: options.onAccepted,
        onRejected: options.onRejected,
        onTimeCorrected: options.onTimeCorrected,
        onError: options.onError,
      });
      if (outcome.rejected === 0) return c.json({}, 200);
      // Each refusal with the record's place, whichever check refused it (here or the schema and admission after).
      const named = outcome.rejections.map((r) => `${r.reason}: ${items[r.index]!.path}: ${r.message}`).join('; ');
      const more = outcome.rejected > outcome.rejections.length ? `; and ${outcome.rejected - outcome.rejections.length} more (each is on the dead-letter topic with its reason)` : '';
      return c.json(
        {
          partialSuccess: {
            // int64: a decimal string in OTLP's JSON encoding.
            rejectedLogRecords: String(outcome.rejected),
            errorMessage: `${outcome.rejected} of ${items.length} log records refused, ${outcome.accepted} taken. ${named}${more}`,
          },
        },
        200,
      );
    },
  );
  return app;
}
