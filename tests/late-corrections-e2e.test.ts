// End to end: a workstation's spooled measurements, posted to /api/ingest after their minutes are
// final (as an agent does when it is back online), show in the site's history and in /metrics. On the
// stepped clock: `advance(0)` returns once what was posted is processed, settled and stored, so the
// test reads the history without waiting on the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, SiteDetail, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';

const MIN = 60_000;
let pipeline: RunningPipeline;

beforeAll(async () => {
  pipeline = await startTestPipeline({ demo: false, seed: 1, processor: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000 } });
});

afterAll(async () => {
  await pipeline?.stop();
});

const seqs = new Map<string, number>();
function appEvent(device: string, ts: number, totalMs: number, buffered = false): TelemetryEvent {
  const seq = (seqs.get(device) ?? 0) + 1;
  seqs.set(device, seq);
  return {
    v: 1, id: `late-${device}-${seq}`, seq, ts, trust: 'RXX', site: 'LATE1', ward: 'W1', device,
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs }, ...(buffered ? { buffered: true } : {}),
  } as TelemetryEvent;
}

const post = async (events: TelemetryEvent[]) => {
  const response = await fetch(`${pipeline.url}/api/ingest`, {
    method: 'POST',
    body: events.map((e) => JSON.stringify(e)).join('\n'),
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as IngestResult;
};

describe('late corrections end to end', () => {
  it('shows an offline device’s spooled checks in the site series once they arrive', async () => {
    const now = pipeline.clock();
    const minute = (t: number) => t - (t % MIN);
    const start = minute(now) - 30 * MIN;
    // A device online throughout: one check a minute for the last 30 minutes.
    const live = Array.from({ length: 30 }, (_, i) => appEvent('LATE1-W1-D1', start + i * MIN + 5_000, 300));
    expect((await post(live)).accepted).toBe(30);
    // Settled to the clock: every minute but the last (still open for late events) is final and stored.
    await pipeline.advance(0);
    const site = async () => {
      const r = await fetch(`${pipeline.url}/api/sites/LATE1?hours=1`);
      expect(r.status).toBe(200);
      return (await r.json()) as SiteDetail;
    };
    const before = await site();
    expect(before.series.t).toEqual(Array.from({ length: 29 }, (_, i) => (start + i * MIN) / 1000));
    const checksAt = (detail: SiteDetail, t: number) => detail.series.appChecks[detail.series.t.indexOf(Math.floor(t / 1000))];
    const offline = Array.from({ length: 10 }, (_, i) => start + (5 + i) * MIN);
    for (const t of offline) expect(checksAt(before, t)).toBe(1);

    // A device that was offline for ten of those minutes sends its spool now: three slow checks a minute.
    const spool = offline.flatMap((t) => [10_000, 30_000, 50_000].map((s) => appEvent('LATE1-W1-D2', t + s, 4_000, true)));
    expect((await post(spool)).accepted).toBe(30);
    // Corrections are merged with a checkpoint; settling writes one.
    await pipeline.advance(0);

    const after = await site();
    for (const t of offline) expect(checksAt(after, t)).toBe(4);
    // The merged minutes carry the slow checks in their quantiles too; the others are unchanged.
    const i = after.series.t.indexOf(Math.floor(offline[0]! / 1000));
    expect(after.series.p95Ms[i]).toBeGreaterThan(3_900);
    expect(checksAt(after, start + 20 * MIN)).toBe(1);

    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/^wardwatch_events_corrected_total 30$/m);
    expect(metrics).toMatch(/^wardwatch_events_too_late_total 0$/m);
  }, 60_000);
});
