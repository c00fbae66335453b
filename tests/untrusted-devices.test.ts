// A device whose clock is wrong, or that sends an absurd sequence number, through POST /api/ingest and
// the embedded pipeline: the other devices' figures and the site's freshness are exactly what they
// are with the clock right, the device is shown with its skew, and seq 2^53 − 1 does not silence it.
// On the stepped clock: the server's clock stands at TEST_START while the traffic is posted (each
// batch's skew is measured against it exactly), no wall-clock timer moves a watermark, and
// `advance(0)` returns once all of it is processed and settled.
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestResult, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { DEVICES, finalAsOf, judged, SKEW_SITE, SKEWED_DEVICE, skewedDeviceTraffic } from './helpers/skewed-device.ts';

const MIN = 60_000;
const LAG = 5_000;
const pipelines: RunningPipeline[] = [];
afterEach(async () => {
  while (pipelines.length > 0) await pipelines.pop()!.stop();
});

async function start(): Promise<RunningPipeline> {
  const pipeline = await startTestPipeline({ demo: false, seed: 1, processor: { watermarkLagMs: LAG, allowedLatenessMs: 30_000 } });
  pipelines.push(pipeline);
  return pipeline;
}

async function post(pipeline: RunningPipeline, events: TelemetryEvent[], sentAt?: number): Promise<IngestResult> {
  const response = await fetch(`${pipeline.url}/api/ingest`, {
    method: 'POST',
    body: events.map((e) => JSON.stringify(e)).join('\n'),
    headers: { 'content-type': 'application/x-ndjson', ...(sentAt === undefined ? {} : { 'wardwatch-sent-at': String(sentAt) }) },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as IngestResult;
}

/** Sends the traffic as agents do (each batch stamped with the device's clock), then settles it. */
async function replay(pipeline: RunningPipeline, from: number, skewed: boolean): Promise<void> {
  for (const flush of skewedDeviceTraffic(from, skewed)) {
    const result = await post(pipeline, flush.events, pipeline.clock() + flush.skewMs);
    expect(result.rejected).toBe(0);
  }
  await pipeline.advance(0);
}

describe('untrusted devices through POST /api/ingest', () => {
  it('one device 5 minutes ahead, then 5 minutes behind: every other scope unchanged, the device shown with its skew', async () => {
    const [control, skewed] = await Promise.all([start(), start()]);
    // The traffic's 20 minutes end within the minute before the clock, so settling it (the watermark
    // brought up to the clock) adds no status evaluation after its last one.
    const from = control.clock() - 21 * MIN;
    await Promise.all([replay(control, from, false), replay(skewed, from, true)]);
    expect(control.board.get(`site:${SKEW_SITE}`)!.asOf).toBe(finalAsOf(from));
    const keys = [`site:${SKEW_SITE}`, `ward:${SKEW_SITE}/W1`, `ward:${SKEW_SITE}/W2`, ...DEVICES.filter((d) => d !== SKEWED_DEVICE).map((d) => `device:${d}`)];
    for (const key of keys) {
      expect(judged(control.board.get(key)), key).toBeDefined();
      expect(judged(skewed.board.get(key)), key).toEqual(judged(control.board.get(key)));
    }
    expect(skewed.board.get(`site:${SKEW_SITE}`)!.asOf).toBe(finalAsOf(from));
    // The device itself: all its measurements counted at their true times, its clock named.
    const right = control.board.get(`device:${SKEWED_DEVICE}`)!;
    const wrong = skewed.board.get(`device:${SKEWED_DEVICE}`)!;
    expect(right).toMatchObject({ status: 'ok', figures: { clockSkewMs: 0 } });
    expect(wrong.status).toBe('degraded');
    // Measured against the server's clock, which stands still: exactly 5 minutes, not past Kerberos' limit.
    expect(wrong.reason).toBe('clock 5 min behind the server');
    expect(wrong.figures.clockSkewMs).toBe(-5 * MIN);
    const { clockSkewMs: _a, ...rightFigures } = right.figures;
    const { clockSkewMs: _b, ...wrongFigures } = wrong.figures;
    expect(wrongFigures).toEqual(rightFigures);
  }, 90_000);

  it('a device 4 minutes ahead without a Sent-At header cannot drag the site’s freshness past the clock', async () => {
    const pipeline = await start();
    const now = pipeline.clock();
    const events = DEVICES.flatMap((device, d) =>
      Array.from({ length: 6 }, (_, i) => {
        const ts = now - 60_000 + i * 10_000 + (device === SKEWED_DEVICE ? 4 * MIN : 0);
        return { v: 1, id: `ahead-${d}-${i}`, seq: i + 1, ts, trust: 'RXX', site: SKEW_SITE, ward: 'W1', device, kind: 'app', body: { app: 'epr', ok: true, totalMs: 400 } } as TelemetryEvent;
      }),
    );
    expect((await post(pipeline, events)).accepted).toBe(events.length);
    await pipeline.advance(0);
    const site = pipeline.board.get(`site:${SKEW_SITE}`)!;
    expect(site).toBeDefined();
    // The watermark moved by the clock (+ 30 s tolerance − 5 s lag) at most, never by the 4 minutes.
    expect(site.asOf).toBeLessThanOrEqual(now + 25_000);
  }, 30_000);

  it('seq 2^53 − 1 followed by normal seqs keeps the device counted; a retried batch is still a duplicate', async () => {
    const pipeline = await start();
    // The checks' 15 minutes end a minute before the clock: settling them adds no later evaluation.
    const from = pipeline.clock() - 16 * MIN;
    const device = 'SEQ1-W1-D1';
    const event = (i: number, seq: number) =>
      ({ v: 1, id: `seq-${i}-${seq}`, seq, ts: from + i * 20_000, trust: 'RXX', site: 'SEQ1', ward: 'W1', device, kind: 'app', body: { app: 'epr', ok: true, totalMs: 300 } }) as TelemetryEvent;
    const before = Array.from({ length: 15 }, (_, i) => event(i, (from + i * 20_000) * 1000));
    const poison = event(15, Number.MAX_SAFE_INTEGER);
    const after = Array.from({ length: 30 }, (_, i) => event(16 + i, (from + (16 + i) * 20_000) * 1000));
    await post(pipeline, before);
    await post(pipeline, [poison]);
    await post(pipeline, after);
    await post(pipeline, after.slice(-10)); // the agent retries its last batch
    await pipeline.advance(0);
    // Statuses follow the newest event time received (at each window end here).
    const asOf = Math.floor((from + 45 * 20_000) / MIN) * MIN;
    const status = pipeline.board.get(`device:${device}`)!;
    expect(status.asOf).toBe(asOf);
    expect(status.status).toBe('ok');
    // Every check in the horizon counted once, none dropped after the absurd seq.
    const inHorizon = [...before, poison, ...after].filter((e) => e.ts >= asOf - 15 * MIN && e.ts < asOf).length;
    expect(inHorizon).toBeGreaterThan(30);
    expect(status.figures.appChecks).toBe(inHorizon);
    // The retried batch: all ten recognised (the metrics follow the processor's batches).
    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/^wardwatch_events_duplicate_total 10$/m);
    expect(metrics).toMatch(/^wardwatch_device_seq_resets_total 1$/m);
  }, 30_000);
});
