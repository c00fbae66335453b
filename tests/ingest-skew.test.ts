// Device clocks out of true, through POST /api/ingest on a running pipeline: a device 5 minutes ahead
// and one 5 minutes behind send with Wardwatch-Sent-At; the gateway moves their events onto the
// server's clock, so the site's freshness is not dragged into the future and nothing arrives late.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestResult, SiteDetail, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

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
  const deviceNow = Date.now() + offsetMs;
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
  const sentBy = Date.now();

  const site = await until(async () => {
    const r = await fetch(`${pipeline.url}/api/sites/SKW1`);
    if (r.status !== 200) return undefined;
    const body = (await r.json()) as SiteDetail;
    return body.devices.length === 3 ? body : undefined;
  }, 20_000, 'the three devices of SKW1');
  expect(site.asOf).toBeLessThanOrEqual(sentBy);
  expect(site.asOf).toBeGreaterThan(sentBy - 2 * MIN);

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
  const events = Array.from({ length: 5_000 }, (_, i) => appEvent(`D${i % 50}`, Date.now() - 30_000));
  const body = events.map((e) => JSON.stringify(e)).join('\n');
  const answers: string[] = [];
  for (let i = 0; i < 12; i++) {
    const bad = i % 2 === 0;
    try {
      const response = await fetch(`${pipeline.url}/api/ingest`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-ndjson', 'Wardwatch-Sent-At': bad ? 'yesterday' : String(Date.now()) },
      });
      const reply = (await response.json()) as { error?: string };
      answers.push(bad ? `${response.status} ${reply.error?.slice(0, 40)}` : String(response.status));
    } catch (error) {
      answers.push(`no answer: ${((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).message}`);
    }
  }
  expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? '400 Wardwatch-Sent-At must be the time the b' : '202')));
}, 60_000);
