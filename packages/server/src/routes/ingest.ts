// POST /api/ingest: a JSON array or NDJSON of telemetry events. Each event is judged on its own: the
// valid ones go on, the others are reported back by index and reason (and dead-lettered), so one bad
// line never costs the good ones around it. With a token file, the request must carry a device token,
// and events of devices the token does not cover are refused one by one (`device-mismatch`).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validateEvent, type IngestRejection, type IngestResult, type TelemetryEvent } from '@wardwatch/schema';
import { grantRefusal, type IngestAuthenticator, type IngestGrant } from '../ingest-tokens.ts';

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
}

interface Item {
  index: number;
  raw: string;
  value?: unknown;
  error?: string;
}

/** Splits a body into items: a JSON array, a single JSON object, or NDJSON lines. */
export function splitBody(body: string): Item[] | { error: string } {
  const trimmed = body.trim();
  if (trimmed === '') return { error: 'the body is empty: send a JSON array or NDJSON of events' };
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      return { error: `the body starts with "[" but is not a valid JSON array: ${(error as Error).message}` };
    }
    return (parsed as unknown[]).map((value, index) => ({ index, raw: JSON.stringify(value), value }));
  }
  const items: Item[] = [];
  let index = 0;
  for (const line of trimmed.split('\n')) {
    const raw = line.trim();
    if (raw === '') continue;
    try {
      items.push({ index, raw, value: JSON.parse(raw) });
    } catch (error) {
      items.push({ index, raw, error: `not valid JSON: ${(error as Error).message}` });
    }
    index++;
  }
  return items;
}

const REALM = 'Bearer realm="wardwatch ingest"';

function unauthorized(c: Context, error: string, challenge: string) {
  c.header('WWW-Authenticate', challenge);
  return c.json({ error }, 401);
}

type IngestEnv = { Variables: { grant: IngestGrant | undefined } };

export function ingestRoutes(options: IngestOptions): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  const maxListed = options.maxListedRejections ?? 1000;
  const auth = options.auth;
  app.post(
    '/',
    // Before the body is read: an unauthenticated sender costs no parsing.
    async (c, next) => {
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
      const items = splitBody(await c.req.text());
      if (!Array.isArray(items)) return c.json({ error: items.error }, 400);
      const now = options.clock();
      const grant = c.get('grant');
      const accepted: TelemetryEvent[] = [];
      const rejections: IngestRejection[] = [];
      const rejected: RejectedInput[] = [];
      for (const item of items) {
        let result:
          | { ok: true; event: TelemetryEvent }
          | { ok: false; reason: string; message: string } = item.error
          ? { ok: false, reason: 'malformed-json', message: item.error }
          : validateEvent(item.value, { now });
        if (result.ok && grant) {
          const refusal = grantRefusal(grant, result.event);
          if (refusal) result = { ok: false, reason: 'device-mismatch', message: refusal };
        }
        if (result.ok) {
          accepted.push(result.event);
        } else {
          rejected.push({ raw: item.raw, reason: result.reason, message: result.message });
          if (rejections.length < maxListed) rejections.push({ index: item.index, reason: result.reason, message: result.message });
          options.onRejected?.(result.reason);
        }
      }
      if (rejected.length > 0) await options.sink.reject(rejected);
      if (accepted.length > 0) {
        await options.sink.accept(accepted);
        options.onAccepted?.(accepted.length);
      }
      const result: IngestResult = { accepted: accepted.length, rejected: rejected.length, rejections };
      if (accepted.length === 0) return c.json({ error: 'no valid event in the body', ...result }, 400);
      return c.json(result, 202);
    },
  );
  return app;
}
