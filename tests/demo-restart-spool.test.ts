// A demo restarted at real time after a stop sends first what its simulated trust measured while it
// was stopped, as real agents send their spools when the server is back: the charts carry on through
// the stop instead of showing a hole, and the status horizon is whole again. The stop is made real: the
// first run, on the stepped clock, ends twelve minutes before the second starts on the wall clock.
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
