// POST /api/ingest: a JSON array or NDJSON of telemetry events. Each event is judged on its own: the
// valid ones go on, the others are reported back by index and reason (and dead-lettered), so one bad
// line never costs the good ones around it.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validateEvent, type IngestRejection, type IngestResult, type TelemetryEvent } from '@wardwatch/schema';

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

export function ingestRoutes(options: IngestOptions): Hono {
  const app = new Hono();
  const maxListed = options.maxListedRejections ?? 1000;
  app.post(
    '/',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        c.json({ error: `the body is larger than ${options.maxBodyBytes} bytes: split it into smaller batches` }, 413),
    }),
    async (c) => {
      const items = splitBody(await c.req.text());
      if (!Array.isArray(items)) return c.json({ error: items.error }, 400);
      const now = options.clock();
      const accepted: TelemetryEvent[] = [];
      const rejections: IngestRejection[] = [];
      const rejected: RejectedInput[] = [];
      for (const item of items) {
        const result = item.error
          ? ({ ok: false, reason: 'malformed-json', message: item.error } as const)
          : validateEvent(item.value, { now });
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
