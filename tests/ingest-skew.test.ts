// Device clocks out of true, through POST /api/ingest on a running pipeline: a device 5 minutes ahead
// and one 5 minutes behind send with Wardwatch-Sent-At; the gateway moves their events onto the
// server's clock, so the site's freshness is not dragged into the future and nothing arrives late.
// The server's clock is the pipeline's stepped one, standing still while the checks are sent: each
// batch's skew is measured against it exactly, and `advance(0)` returns once all are processed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestResult, SiteDetail, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';

let pipeline: RunningPipeline;
beforeAll(async () => {
  pipeline = await startTestPipeline({ demo: false, processor: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000 } });
});
afterAll(async () => {
  await pipeline?.stop();
});

const MIN = 60_000;
const seqs = new Map<string, number>();
function appEvent(device: string, ts: number): TelemetryEvent {
  const seq = (seqs.get(device) ?? 0) + 1;
  seqs.set(device, seq);
  return {
    v: 1, id: `skew-${device}-${seq}`, seq, ts, trust: 'RXX', site: 'SKW1', ward: 'W1', device,
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 300 },
  } as TelemetryEvent;
}

/** One check stamped `agoMs` before now by a device whose clock is `offsetMs` out, sent at once. */
async function sendFrom(device: string, offsetMs: number, agoMs: number): Promise<IngestResult> {
  const deviceNow = pipeline.clock() + offsetMs;
  const events = [appEvent(device, deviceNow - agoMs)];
  const response = await fetch(`${pipeline.url}/api/ingest`, {
    method: 'POST',
    body: JSON.stringify(events),
    headers: { 'content-type': 'application/json', 'Wardwatch-Sent-At': String(deviceNow) },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as IngestResult;
}

const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

it('keeps a site\'s freshness on the server\'s clock when its devices\' clocks are 5 minutes out either way', async () => {
  // Ten minutes of checks every 30 s from three devices, in the order they happened (as agents
  // flushing every few seconds would send them). Ahead: uncorrected, its checks would move the
  // watermark 5 minutes ahead of the others'. Behind: uncorrected, they would land behind it.
  for (let ago = 10 * MIN; ago > 0; ago -= 30_000) {
    expect(await sendFrom('SKW1-W1-D1', 0, ago)).toMatchObject({ accepted: 1 });
    expect(await sendFrom('SKW1-W1-D2', 5 * MIN, ago)).toMatchObject({ accepted: 1 });
    expect(await sendFrom('SKW1-W1-D3', -5 * MIN, ago)).toMatchObject({ accepted: 1 });
  }
  const sentBy = pipeline.clock();
  await pipeline.advance(0);

  const response = await fetch(`${pipeline.url}/api/sites/SKW1`);
  expect(response.status).toBe(200);
  const site = (await response.json()) as SiteDetail;
  expect(site.devices.map((d) => d.id).sort()).toEqual(['SKW1-W1-D1', 'SKW1-W1-D2', 'SKW1-W1-D3']);
  // As of the minute of the newest checks (30 s before the clock), on the server's clock.
  expect(site.asOf).toBeLessThanOrEqual(sentBy);
  expect(site.asOf).toBeGreaterThan(sentBy - 2 * MIN);
  expect(site.asOf).toBe(sentBy - 30_000 - ((sentBy - 30_000) % MIN));

  const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
  expect(counter(metrics, 'wardwatch_ingest_events_time_corrected_total')).toBe(40);
  expect(counter(metrics, 'wardwatch_events_too_late_total')).toBe(0);
  expect(counter(metrics, 'wardwatch_events_corrected_total')).toBe(0);
  expect(counter(metrics, 'wardwatch_events_late_total')).toBe(0);
  expect(metrics).toMatch(/^wardwatch_ingest_clock_skew_seconds_count 60$/m);
  expect(metrics).toMatch(/^wardwatch_ingest_clock_skew_seconds_bucket\{le="-60"\} 20$/m);
  expect(metrics).toMatch(/^wardwatch_ingest_clock_skew_seconds_bucket\{le="0.5"\} 40$/m);
}, 30_000);

it('large batches with a Wardwatch-Sent-At that is not a time get their 400 with the reason, and the batches after them are answered too', async () => {
  // ~1.5 MB each, under the 5 MiB limit; one after another on kept-alive connections. Answered before
  // the server had read them, the rest of the body broke the connection for whatever came next.
  const events = Array.from({ length: 5_000 }, (_, i) => appEvent(`D${i % 50}`, pipeline.clock() - 30_000));
  const body = events.map((e) => JSON.stringify(e)).join('\n');
  const answers: string[] = [];
  for (let i = 0; i < 12; i++) {
    const bad = i % 2 === 0;
    try {
      const response = await fetch(`${pipeline.url}/api/ingest`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-ndjson', 'Wardwatch-Sent-At': bad ? 'yesterday' : String(pipeline.clock()) },
      });
      const reply = (await response.json()) as { error?: string };
      answers.push(bad ? `${response.status} ${reply.error?.slice(0, 40)}` : String(response.status));
    } catch (error) {
      answers.push(`no answer: ${((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).message}`);
    }
  }
  expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? '400 Wardwatch-Sent-At must be the time the b' : '202')));
}, 60_000);
