// A demo's data has no hole where its history meets its live data, nor across a stop. A restart at
// real time sends first what its simulated trust measured while it was stopped, as real agents send
// their spools when the server is back: the charts carry on through the stop, and the status horizon
// is whole again. The stop is made real: the first run, on the stepped clock, ends twelve minutes
// before the second starts on the wall clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SiteDetail, SiteSummary } from '@wardwatch/schema';
import { MIN, startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-spool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('a demo restarted at real time after a stop', () => {
  it('sends the time it was stopped first (up to the backfill): the stopped minutes are charted', async () => {
    const storeUrl = `sqlite:${join(scratch, 'demo.db')}`;
    const now = Date.now();
    const stoppedAt = now - (now % MIN) - 12 * MIN;
    const first = await startTestPipeline({ storeUrl, startAt: stoppedAt - 5 * MIN, sites: 2 });
    await first.advance(5 * MIN);
    await first.stop();

    const second = await startTestPipeline({ storeUrl, clock: 'wall', speed: 1, backfillMs: 30 * MIN, sites: 2 });
    try {
      const [site] = await json<SiteSummary[]>(`${second.url}/api/sites`);
      // Every whole minute of the stop that is final by now (the watermark's lag and the lateness
      // allowed: well under two minutes).
      const restartedAt = Date.now();
      const stopped: number[] = [];
      for (let m = stoppedAt; m + MIN <= restartedAt - 3 * MIN; m += MIN) stopped.push(m / 1000);
      expect(stopped.length).toBeGreaterThanOrEqual(8);
      const detail = await until(async () => {
        const d = await json<SiteDetail>(`${second.url}/api/sites/${site!.id}?hours=1`);
        const charted = new Set(d.series.t.filter((_, i) => d.series.appChecks[i]! > 0));
        return stopped.every((t) => charted.has(t)) ? d : undefined;
      }, 30_000, 'every minute of the stop charted with its checks');
      // The first run's minutes are there too, and nothing was charted twice.
      expect(detail.series.t).toContain((stoppedAt - 2 * MIN) / 1000);
      expect(new Set(detail.series.t).size).toBe(detail.series.t.length);
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('a first demo run with history', () => {
  it('starts its live data on the hour its history ends at: no minute between them without data', async () => {
    // 09:40: the backfill's half hour alone would start at 09:10, the history ending at 09:00.
    const startAt = Date.UTC(2026, 10, 24, 9, 40);
    const pipeline = await startTestPipeline({ startAt, backfillMs: 30 * MIN, historyMonths: 1, sites: 2 });
    try {
      await pipeline.historyWritten;
      const [site] = await json<SiteSummary[]>(`${pipeline.url}/api/sites`);
      const detail = await json<SiteDetail>(`${pipeline.url}/api/sites/${site!.id}?hours=1`);
      const charted = new Set(detail.series.t.filter((_, i) => detail.series.appChecks[i]! > 0));
      const missing: string[] = [];
      for (let m = Date.UTC(2026, 10, 24, 9, 0); m < startAt - 3 * MIN; m += MIN) if (!charted.has(m / 1000)) missing.push(new Date(m).toISOString().slice(11, 16));
      expect(missing).toEqual([]);
      // The history's last hour is there, stored by the hour.
      const day = await json<SiteDetail>(`${pipeline.url}/api/sites/${site!.id}?hours=168`);
      expect(day.series.t).toContain(Date.UTC(2026, 10, 24, 8, 0) / 1000);
    } finally {
      await pipeline.stop();
    }
  }, 90_000);
});
