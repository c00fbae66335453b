// The embedded pipeline's processor runs in a worker thread: while it merges a large batch of late
// corrections, the server still answers. Shown by ordering, not by a time bound: /healthz answers
// at moments when /metrics says the processor is part-way through the corrections. With the
// processor on the server's thread this cannot happen: the in-process consumer hands every
// partition's batch to the processor in one pass without yielding to I/O, so a request is served
// before the corrections start or after they are all counted, never in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import { partitionForKey } from '@wardwatch/transport';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

const MIN = 60_000;
const SITES = 6;
const DEVICES_PER_SITE = 300;
const LATE_PER_DEVICE = 10;
const TOTAL = SITES * DEVICES_PER_SITE * LATE_PER_DEVICE;

let pipeline: RunningPipeline;

beforeAll(async () => {
  pipeline = await startTestPipeline({ demo: false, clock: 'wall', processor: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000 } });
});

afterAll(async () => {
  await pipeline?.stop();
});

/** Sites on distinct partitions of the twelve, so each is a batch of its own. */
function sitesOnDistinctPartitions(): string[] {
  const sites: string[] = [];
  const taken = new Set<number>();
  for (let i = 1; sites.length < SITES; i++) {
    const partition = partitionForKey(`PT${i}`, 12);
    if (taken.has(partition)) continue;
    taken.add(partition);
    sites.push(`PT${i}`);
  }
  return sites;
}

const seqs = new Map<string, number>();
function check(site: string, device: string, ts: number, totalMs: number): TelemetryEvent {
  const seq = (seqs.get(device) ?? 0) + 1;
  seqs.set(device, seq);
  return {
    v: 1, id: `pt-${device}-${seq}`, seq, ts, trust: 'RXX', site, ward: `${site}-W${Number(device.split('-D')[1]) % 10}`, device,
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs },
  } as TelemetryEvent;
}

const post = async (events: TelemetryEvent[]) => {
  const response = await fetch(`${pipeline.url}/api/ingest`, {
    method: 'POST',
    body: events.map((e) => JSON.stringify(e)).join('\n'),
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(response.status).toBe(202);
};

const counter = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);

describe('embedded pipeline: the processor off the server’s thread', () => {
  it('answers /healthz while the processor is part-way through a large batch of late corrections', async () => {
    const sites = sitesOnDistinctPartitions();
    expect(await (await fetch(`${pipeline.url}/healthz`)).json()).toMatchObject({ status: 'ok', processor: 'running' });
    const now = Date.now();
    // One live check per site moves each partition's watermark to now: every window before it closes.
    await post(sites.map((site) => check(site, `${site}-live`, now, 200)));
    await until(async () => (counter(await (await fetch(`${pipeline.url}/metrics`)).text(), 'wardwatch_events_in_total\\{source="bus"\\}') >= SITES ? true : undefined), 20_000, 'the live checks counted');

    // Then every site's devices send a spool from two hours to twenty minutes ago at once: all late corrections.
    const late: TelemetryEvent[] = [];
    for (const site of sites) {
      for (let d = 0; d < DEVICES_PER_SITE; d++) {
        for (let k = 0; k < LATE_PER_DEVICE; k++) late.push(check(site, `${site}-D${d}`, now - 120 * MIN + k * 10 * MIN + (d % 50) * 10_000, 300 + ((d * 31 + k) % 900)));
      }
    }
    await post(late);

    // Ask /healthz, then read the processor's progress, back to back until every correction is counted.
    const progressAtHealthz: number[] = [];
    const deadline = Date.now() + 120_000;
    while ((progressAtHealthz.at(-1) ?? 0) < TOTAL && Date.now() < deadline) {
      const health = await fetch(`${pipeline.url}/healthz`);
      expect(health.status).toBe(200);
      progressAtHealthz.push(counter(await (await fetch(`${pipeline.url}/metrics`)).text(), 'wardwatch_events_corrected_total'));
    }
    expect(progressAtHealthz.at(-1)).toBe(TOTAL);
    const midway = progressAtHealthz.filter((n) => n > 0 && n < TOTAL);
    expect(midway.length, `/healthz answered while corrections were part-way (progress seen: ${[...new Set(progressAtHealthz)].join(', ')})`).toBeGreaterThan(0);
    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(counter(metrics, 'wardwatch_events_too_late_total')).toBe(0);
  }, 180_000);
});
