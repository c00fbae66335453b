// W3C trace context carried in record headers, so that a trace follows an event from the producer,
// through the processor, to the statuses it publishes. With no OpenTelemetry SDK registered these
// are no-ops (the API's default propagator injects nothing).
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Link } from '@opentelemetry/api';

export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

export function traceContextOf(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Links to the distinct producer spans behind a batch (at most `max`), for a consumer span. */
export function traceLinks(headers: Iterable<Record<string, string>>, max = 16): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const h of headers) {
    if (!h.traceparent || seen.has(h.traceparent)) continue;
    seen.add(h.traceparent);
    const spanContext = trace.getSpanContext(traceContextOf(h));
    if (spanContext) links.push({ context: spanContext });
    if (links.length >= max) break;
  }
  return links;
}
