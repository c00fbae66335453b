// A demo started at real time counts and stores its backfill, and evaluates its SLOs on it, before its
// server answers: the alerts its fault burns are firing on the first page a user opens, beside the
// grid that shows the faulted site degraded. (The SLO evaluator's first run used to read a store the
// processor had not yet written the backfill into, and the alert waited a minute for the next run.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPipeline } from '@wardwatch/cli';
import type { SiteSummary } from '@wardwatch/schema';
import { MIN, startTestPipeline } from './helpers/pipeline.ts';

const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

interface Alerts {
  firing: Array<{ slo: string; scope: string; severity: string }>;
}

describe('a demo started at real time with a fault in its backfill', () => {
  let pipeline: RunningPipeline;
  beforeAll(async () => {
    // The fault starts 20 minutes before the start (the demo's own rule), inside the half-hour backfill.
    pipeline = await startTestPipeline({ clock: 'wall', speed: 1, backfillMs: 30 * MIN, scenario: 'site-wan-congested' });
  }, 60_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers with every site counted, the faulted one degraded and its latency page already firing', async () => {
    const faulted = pipeline.simulator!.faults[0]!.target;
    // Read at once: nothing here waits for a timer.
    const [sites, alerts] = await Promise.all([json<SiteSummary[]>(`${pipeline.url}/api/sites`), json<Alerts>(`${pipeline.url}/api/alerts`)]);
    // No site waiting for its first figures ("no telemetry received yet"), as while the backfill was counted.
    expect(sites.filter((s) => s.status === 'unknown').map((s) => s.id)).toEqual([]);
    const site = sites.find((s) => s.id === faulted)!;
    expect(site.status).toBe('degraded');
    expect(alerts.firing).toContainEqual(expect.objectContaining({ slo: 'site-app-latency', scope: `site:${faulted}`, severity: 'page' }));
    // The grid's own count of the site's alerts says the same.
    expect(site.alerts?.page).toBeGreaterThanOrEqual(1);
  });
});
