// Traces follow an event: the ingest's producer span, the processor's batch span (its child, through
// the W3C trace context in the record headers) and the status publish span under that. The pipeline's
// clock is stepped: `advance(0)` returns once the events are processed and every span is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';

const exporter = new InMemorySpanExporter();
let pipeline: RunningPipeline;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  pipeline = await startTestPipeline({ demo: false, processor: { watermarkLagMs: 1_000, allowedLatenessMs: 5_000 } });
});

afterAll(async () => {
  await pipeline?.stop();
  trace.disable();
  propagation.disable();
});

const parentOf = (span: ReadableSpan) =>
  (span as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId ?? (span as unknown as { parentSpanId?: string }).parentSpanId;

describe('tracing', () => {
  it('links produce → process → publish in one trace', async () => {
    const now = pipeline.clock();
    const events: TelemetryEvent[] = Array.from({ length: 5 }, (_, i) => ({
      v: 1, id: `trace-test-${i}-0000`, seq: i + 1, ts: now - 3 * 60_000 + i * 45_000, trust: 'RXX', site: 'TR1', ward: 'W1', device: 'TR1-D1',
      kind: 'app', body: { app: 'epr', ok: true, totalMs: 300 },
    }));
    const response = await fetch(`${pipeline.url}/api/ingest`, { method: 'POST', body: JSON.stringify(events) });
    expect(response.status).toBe(202);
    // Processed and settled: the worker's spans come back before its answer, in order.
    await pipeline.advance(0);
    const spans = exporter.getFinishedSpans();
    const produce = spans.find((s) => s.name === 'telemetry produce')!;
    const process = spans.find((s) => s.name === 'telemetry process' && parentOf(s) === produce.spanContext().spanId);
    expect(process, 'a process span whose parent is the produce span').toBeDefined();
    expect(process!.spanContext().traceId).toBe(produce.spanContext().traceId);
    const publish = spans.find((s) => s.name === 'status publish' && parentOf(s) === process!.spanContext().spanId);
    expect(publish, 'a publish span under the process span').toBeDefined();
    expect(produce.attributes['wardwatch.source']).toBe('http');
  }, 30_000);
});
