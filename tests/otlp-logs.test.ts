// POST /v1/logs fed by the OpenTelemetry JavaScript SDK's own OTLP/HTTP JSON log exporter — the
// requests are the SDK's, not hand-written: its body encoding (an event object becomes a kvlistValue,
// whole numbers intValues, fractions doubleValues), its gzip, its headers, and its reading of the
// answer (a partial success is logged by the SDK as such). First into the embedded pipeline, where the
// events count in the figures like any agent's; then into a server with a device token file, where
// what is not an event is dead-lettered with its reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteDetail, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { IngestTokens, listen, newIngestToken, tokenFileLine } from '@wardwatch/server';
import { appFixture, type AppFixture } from '../packages/server/src/app.fixture.ts';
import { startTestPipeline } from './helpers/pipeline.ts';

/** A logger provider exporting to `url` over OTLP/HTTP JSON, every record of a flush in one request. */
function otlpLogger(url: string, options: { gzip?: boolean; headers?: Record<string, string> } = {}) {
  const exporter = new OTLPLogExporter({ url, headers: options.headers, ...(options.gzip ? { compression: CompressionAlgorithm.GZIP } : {}) });
  const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 512, scheduledDelayMillis: 60_000 })] });
  const logger = provider.getLogger('wardwatch-otlp-test');
  return {
    /** An event as a log record's body, as an application instrumented with OpenTelemetry would emit it. */
    emitEvent: (event: TelemetryEvent) => logger.emit({ body: event as unknown as AnyValueMap, severityText: 'INFO' }),
    emitText: (text: string) => logger.emit({ body: text, severityText: 'INFO' }),
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}

/** What the SDK's own diagnostics say while `action` runs (it logs a partial success as a warning). */
async function sdkWarnings(action: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const collect: DiagLogger = { error: (...a) => warnings.push(a.join(' ')), warn: (...a) => warnings.push(a.join(' ')), info: () => {}, debug: () => {}, verbose: () => {} };
  diag.setLogger(collect, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  try {
    await action();
  } finally {
    diag.disable();
  }
  return warnings;
}

let seq = 0;
function appEvent(ts: number, device: string, totalMs: number): TelemetryEvent {
  seq++;
  const [site, ward] = device.split('-');
  return { v: 1, id: `otlp-${String(seq).padStart(6, '0')}`, seq, ts, trust: 'RXX', site: site!, ward: ward!, device, kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs } } as TelemetryEvent;
}

describe('POST /v1/logs from the OpenTelemetry SDK into the embedded pipeline', () => {
  let pipeline: RunningPipeline;
  beforeAll(async () => {
    pipeline = await startTestPipeline({ demo: false, seed: 1, processor: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000 } });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('counts the events the SDK sends, plain and gzipped, in the site\'s figures as any agent\'s', async () => {
    const now = pipeline.clock();
    // Whole and fractional times: the SDK sends the first as intValues, the second as doubleValues.
    const plain = Array.from({ length: 6 }, (_, i) => appEvent(now - 6 * 60_000 + i * 30_000, 'OTLP1-W1-D1', 300 + i));
    const zipped = Array.from({ length: 4 }, (_, i) => appEvent(now - 5 * 60_000 + i * 30_000, 'OTLP1-W1-D2', 410.5 + i));
    for (const [events, gzip] of [[plain, false], [zipped, true]] as const) {
      const sender = otlpLogger(`${pipeline.url}/v1/logs`, { gzip });
      const warnings = await sdkWarnings(async () => {
        for (const event of events) sender.emitEvent(event);
        await sender.flush();
      });
      expect(warnings).toEqual([]);
      await sender.close();
    }
    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/^wardwatch_events_in_total\{source="otlp"\} 10$/m);

    await pipeline.advance(0);
    const detail = (await (await fetch(`${pipeline.url}/api/sites/OTLP1`)).json()) as SiteDetail;
    expect(detail.devices.map((d) => d.id).sort()).toEqual(['OTLP1-W1-D1', 'OTLP1-W1-D2']);
    expect(detail.appChecks).toBe(10);
    // The values arrive as sent, fractions included: of the ten (300–305, 410.5–413.5 ms), the p95 is
    // the tenth (the nearest rank, ⌈0.95 × 10⌉), 413.5 ms — a doubleValue read as an integer, or
    // dropped, would give another.
    expect(detail.p95Ms).toBe(413.5);
  }, 30_000);
});

describe('POST /v1/logs from the OpenTelemetry SDK with a device token file', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-otlp-'));
  const token = newIngestToken();
  let fixture: AppFixture;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const file = join(scratch, 'tokens.yaml');
    writeFileSync(file, `tokens:\n${tokenFileLine({ site: 'OTLP2' }, token)}\n`);
    // The whole application (app.fixture.ts) on the wall clock, the SDK's events being stamped by it.
    fixture = await appFixture({ ingestTokens: IngestTokens.load(file), clock: Date.now });
    server = await listen(fixture.app, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await fixture?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('takes a site token\'s events, dead-letters a plain log line and another site\'s event, and the SDK reads it as a partial success', async () => {
    const sender = otlpLogger(`${server.url}/v1/logs`, { gzip: true, headers: { Authorization: `Bearer ${token}` } });
    const now = Date.now();
    const own = appEvent(now - 60_000, 'OTLP2-W1-D1', 350);
    const foreign = appEvent(now - 60_000, 'OTHER-W1-D1', 350);
    const warnings = await sdkWarnings(async () => {
      sender.emitEvent(own);
      sender.emitText('user nurse.smith logged on');
      sender.emitEvent(foreign);
      await sender.flush();
    });
    await sender.close();
    expect(fixture.accepted.map((e) => e.id)).toEqual([own.id]);
    expect(fixture.rejected.map((r) => r.reason)).toEqual(['malformed-json', 'site-mismatch']);
    // Their dead letters name the route they came by (wiring.ts writes it as the letter's topic).
    expect(fixture.rejected.map((r) => r.via)).toEqual(['otlp', 'otlp']);
    // The dead letter keeps the log record as the SDK sent it.
    expect(JSON.parse(fixture.rejected[0]!.raw)).toMatchObject({ body: { stringValue: 'user nurse.smith logged on' }, severityText: 'INFO' });
    expect(warnings).toEqual([expect.stringMatching(/Partial Success.*"rejectedLogRecords":"2".*2 of 3 log records refused, 1 taken/)]);
  });

  it('refuses the SDK without a token: nothing is kept', async () => {
    const before = fixture.accepted.length;
    const sender = otlpLogger(`${server.url}/v1/logs`);
    const warnings = await sdkWarnings(async () => {
      sender.emitEvent(appEvent(Date.now() - 60_000, 'OTLP2-W1-D1', 350));
      await sender.flush();
    });
    await sender.close();
    expect(fixture.accepted.length).toBe(before);
    expect(warnings.join('\n')).toMatch(/401|Unauthorized/);
  });

  it('answers an OTLP sender posting metrics or traces with a 404 saying it takes logs', async () => {
    for (const path of ['/v1/metrics', '/v1/traces']) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toMatch(/takes OTLP logs only.*POST \/v1\/logs/);
    }
  });
});
