// For tests and benches: OTLP/HTTP JSON logs requests as the OpenTelemetry JS SDK writes them — its
// logger, an in-memory exporter and the serializer its OTLP/HTTP JSON log exporter sends with — rather
// than a hand-written copy of the encoding (an event object as a kvlistValue, whole numbers as
// intValues, fractions as doubleValues, null as an empty AnyValue).
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AnyValue } from '@opentelemetry/api-logs';

const decoder = new TextDecoder();

/** An ExportLogsServiceRequest, as JSON text, of one log record per body, each emitted through the SDK's logger. */
export async function sdkLogsRequest(bodies: readonly unknown[]): Promise<string> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('wardwatch-test');
  for (const body of bodies) logger.emit({ body: body as AnyValue, severityText: 'INFO' });
  // The simple processor hands the records over once the resource's attributes are settled.
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  if (records.length !== bodies.length) throw new Error(`the SDK's exporter holds ${records.length} of ${bodies.length} records emitted`);
  return decoder.decode(JsonLogsSerializer.serializeRequest([...records]));
}

/** A value as the SDK encodes a log record's body (an AnyValue). */
export async function sdkBody(value: unknown): Promise<unknown> {
  const request = JSON.parse(await sdkLogsRequest([value])) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ body?: unknown }> }> }> };
  return request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body ?? {};
}
