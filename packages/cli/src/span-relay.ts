// Spans from the processor thread, recorded by the main thread's tracer. A worker thread has its own
// copy of the OpenTelemetry API and no SDK: the worker records its spans with a processor that posts
// their start and end, and the main thread replays them through whatever tracer it has (an OTLP SDK,
// or a test's in-memory exporter), so a trace still runs produce → process → publish. Parents and
// links from record headers are the main thread's own spans already; a parent that is a worker span
// is looked up among the spans replayed so far.
import { ROOT_CONTEXT, propagation, trace, type Attributes, type HrTime, type Link, type Span, type SpanContext, type SpanKind, type SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export type SpanMessage =
  | {
      type: 'span-start';
      id: string;
      parent?: SpanContext;
      name: string;
      kind: SpanKind;
      startTime: HrTime;
      attributes: Attributes;
      links: Link[];
    }
  | { type: 'span-end'; id: string; attributes: Attributes; status: SpanStatus; endTime: HrTime };

/** Whether this thread traces: a W3C propagator is registered only when an SDK (or a test) set one up. */
export function tracingEnabled(): boolean {
  return propagation.fields().length > 0;
}

/**
 * In the worker: record spans by posting them to the main thread (and read trace context from
 * headers). The SDK is loaded only here, when the process traces.
 */
export async function relaySpans(post: (message: SpanMessage) => void): Promise<void> {
  const [{ BasicTracerProvider }, { W3CTraceContextPropagator }] = await Promise.all([import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/core')]);
  const processor: SpanProcessor = {
    onStart(span) {
      const s = span as unknown as ReadableSpan;
      post({
        type: 'span-start',
        id: span.spanContext().spanId,
        ...(s.parentSpanContext ? { parent: plain(s.parentSpanContext) } : {}),
        name: s.name,
        kind: s.kind,
        startTime: s.startTime,
        attributes: { ...s.attributes },
        links: s.links.map((l) => ({ context: plain(l.context), ...(l.attributes ? { attributes: { ...l.attributes } } : {}) })),
      });
    },
    onEnd(span) {
      post({ type: 'span-end', id: span.spanContext().spanId, attributes: { ...span.attributes }, status: { ...span.status }, endTime: span.endTime });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [processor] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

function plain(c: SpanContext): SpanContext {
  return { traceId: c.traceId, spanId: c.spanId, traceFlags: c.traceFlags, ...(c.isRemote ? { isRemote: true } : {}) };
}

/** In the main thread: replays the worker's spans through this thread's tracer. */
export class SpanMirror {
  private readonly tracer = trace.getTracer('wardwatch-processor');
  /** Worker span id → the span replaying it, while open; then its context, for late children. */
  private readonly open = new Map<string, Span>();
  private readonly ended = new Map<string, SpanContext>();

  receive(message: SpanMessage): void {
    if (message.type === 'span-start') {
      const parent = message.parent ? this.contextOf(message.parent) : undefined;
      const span = this.tracer.startSpan(
        message.name,
        { kind: message.kind, startTime: message.startTime, attributes: message.attributes, links: message.links.map((l) => ({ ...l, context: this.contextOf(l.context) })) },
        parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
      );
      this.open.set(message.id, span);
      return;
    }
    const span = this.open.get(message.id);
    if (!span) return;
    this.open.delete(message.id);
    span.setAttributes(message.attributes);
    span.setStatus(message.status);
    span.end(message.endTime);
    this.ended.set(message.id, span.spanContext());
    // A child starts before its parent ends; the few that do not are recent: keep the last thousand.
    if (this.ended.size > 1000) this.ended.delete(this.ended.keys().next().value!);
  }

  /** A worker span's replayed context, or the context as it is (a main-thread span from the headers). */
  private contextOf(context: SpanContext): SpanContext {
    return this.open.get(context.spanId)?.spanContext() ?? this.ended.get(context.spanId) ?? context;
  }
}
