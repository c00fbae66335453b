// End to end in one process: the simulated trust runs on the stepped clock (simulated time moves when
// the test advances it, each step processed before the call returns), a fault is injected, and the
// affected site turns degraded in /api/sites and arrives on /api/stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CauseSummary, ScopeDetail, ScopeStatus, SiteDetail, SiteSummary } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { advanceUntil, MIN, startTestPipeline, TEST_START } from './helpers/pipeline.ts';
import { openSse } from './helpers/sse.ts';

let pipeline: RunningPipeline;

beforeAll(async () => {
  pipeline = await startTestPipeline({});
});

afterAll(async () => {
  await pipeline?.stop();
});

const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(pipeline.url + path);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};

describe('embedded pipeline', () => {
  it('answers /healthz', async () => {
    const health = await getJson<{ status: string; mode: string }>('/healthz');
    expect(health).toMatchObject({ status: 'ok', mode: 'embedded' });
  });

  it('turns a site with a congested WAN degraded, in the API and on the live stream', async () => {
    // Healthy first: after five simulated minutes every simulated site reports figures and is ok.
    await pipeline.advance(5 * MIN);
    const healthy = await getJson<SiteSummary[]>('/api/sites');
    expect(healthy.map((s) => [s.status, s.appChecks > 0])).toEqual([['ok', true], ['ok', true], ['ok', true]]);
    const target = healthy[1]!;

    const stream = await openSse(`${pipeline.url}/api/stream`);
    try {
      await stream.waitFor((e) => e.event === 'sites', 5_000);
      pipeline.simulator!.injectFault('site-wan-congested', { target: target.id, at: pipeline.clock() });

      // Slow logons may take it out of ok first; the applications' p95 follows as the WAN fills.
      const degraded = await advanceUntil(pipeline, async () => {
        const sites = await getJson<SiteSummary[]>('/api/sites');
        const site = sites.find((s) => s.id === target.id);
        return site && site.status !== 'ok' && site.p95Ms !== null && site.p95Ms > 2000 ? site : undefined;
      }, { withinMs: 20 * MIN }, `${target.id} leaving ok with its applications slow`);
      expect(['degraded', 'down']).toContain(degraded.status);
      expect(degraded.reason).not.toBe('');
      expect(degraded.p95Ms!).toBeGreaterThan(2000);
      // The other sites are unaffected.
      const others = (await getJson<SiteSummary[]>('/api/sites')).filter((s) => s.id !== target.id);
      expect(others.every((s) => s.status === 'ok')).toBe(true);

      const event = await stream.waitFor((e) => {
        if (e.event !== 'status') return false;
        const status = JSON.parse(e.data) as ScopeStatus;
        return status.key === `site:${target.id}` && status.status !== 'ok';
      }, 10_000);
      expect((JSON.parse(event.data) as ScopeStatus).reason).not.toBe('');

      const detail = await getJson<SiteDetail>(`/api/sites/${target.id}`);
      expect(detail.series.t.length).toBeGreaterThan(0);
      expect(detail.series.t.length).toBe(detail.series.p95Ms.length);
      expect(detail.wards.length).toBeGreaterThan(0);
      expect(detail.devices.length).toBeGreaterThan(0);
      expect(detail.applications.map((a) => a.key)).toContain(`app:${target.id}/epr`);

      // Attribution: the congested site's network is blamed, with evidence, and the site carries it.
      const blamed = await advanceUntil(pipeline, async () => {
        const causes = await getJson<CauseSummary[]>('/api/causes');
        return causes.find((c) => c.culprit === `site:${target.id}`);
      }, { withinMs: 20 * MIN }, `blame on the network at ${target.id}`);
      expect(blamed.kind).toBe('network');
      expect(blamed.evidence).toMatch(/wards degraded; median device p95 .* at 2 other sites/);
      expect(blamed.siteIds).toEqual([target.id]);
      const withCause = await getJson<SiteDetail>(`/api/sites/${target.id}`);
      expect(withCause.cause?.culprit).toBe(`site:${target.id}`);

      // Drill-down: a ward with its devices and access points, a device with its access point.
      const ward = withCause.wards[0]!;
      const wardDetail = await getJson<ScopeDetail>(`/api/scopes/${encodeURIComponent(ward.key)}`);
      expect(wardDetail.status.key).toBe(ward.key);
      expect(wardDetail.devices.length).toBeGreaterThan(0);
      expect(wardDetail.devices.every((d) => d.ward === ward.ward && d.site === target.id)).toBe(true);
      expect(wardDetail.accessPoints.every((a) => a.ward === ward.ward)).toBe(true);
      expect(wardDetail.series.t.length).toBeGreaterThan(0);
      const wireless = wardDetail.devices.find((d) => d.ap);
      if (wireless) {
        const apDetail = await getJson<ScopeDetail>(`/api/scopes/${encodeURIComponent(`ap:${wireless.ap}`)}`);
        expect(apDetail.devices.map((d) => d.key)).toContain(wireless.key);
      }
      const missing = await fetch(`${pipeline.url}/api/scopes/${encodeURIComponent('device:NOPE')}`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: string }).error).toMatch(/no scope "device:NOPE"/);
    } finally {
      stream.close();
    }
  }, 60_000);

  it('serves Prometheus metrics with pipeline counters and site gauges', async () => {
    const response = await fetch(`${pipeline.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    // Every event the simulated trust generated so far, counted (each step is processed before it returns).
    const eventsIn = Number(/wardwatch_events_in_total\{source="bus"\} (\d+)/.exec(text)?.[1] ?? 0);
    expect(eventsIn).toBeGreaterThan(1000);
    expect(eventsIn).toBe(pipeline.simulator!.generate(TEST_START, pipeline.clock()).length);
    expect(text).toMatch(/wardwatch_site_app_response_p95_seconds\{site="[^"]+",trust="[^"]+"\} [\d.]+/);
    expect(text).toMatch(/wardwatch_consumer_lag_records\{topic="wardwatch\.telemetry\.v1",partition="\d+"\} \d+/);
  });
});
