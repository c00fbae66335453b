import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeValues } from '@wardwatch/sketch';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { exportRoutes } from './export.ts';

const T0 = Date.UTC(2026, 9, 1);
const HOURS = 10 * 24; // more than one slice of 168 windows
let store: SqliteRollupStore;
let app: ReturnType<typeof exportRoutes>;

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  const records: RollupRecord[] = [];
  for (let h = 0; h < HOURS; h++) {
    const start = T0 + h * 3_600_000;
    records.push({ scope: 'ward:S1/W1', metric: 'logon.totalMs', resolution: '1h', start, count: 3, valid: 3, good: 3, fast: 2, sketch: encodeValues([10_000, 20_000, 40_000]) });
    records.push({ scope: 'ward:S1/W2', metric: 'logon.totalMs', resolution: '1h', start, count: 1, valid: 1, good: 1, fast: 1, sketch: encodeValues([15_000]) });
    records.push({ scope: 'site:S1', metric: 'wifi.signalDbm', resolution: '1h', start, count: 5, valid: 5, good: 5, fast: 3, sketch: encodeValues([60, 65, 70, 75, 80]) });
  }
  await store.write(records);
  app = exportRoutes({ store });
});
afterAll(() => store.close());

const get = (q: string) => app.request(`/export?${q}`);

describe('GET /export', () => {
  it('streams one scope\'s rollups as CSV in time order, across slices, quantiles from the sketches', async () => {
    const res = await get(`scope=ward:S1/W1&metric=logon.totalMs&from=${T0}&to=2026-10-11T00:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('scope,metric,resolution,start,start_ms,count,valid,good,fast,p50,p90,p95,p99');
    expect(lines).toHaveLength(1 + HOURS);
    expect(lines[1]).toMatch(/^ward:S1\/W1,logon.totalMs,1h,2026-10-01T00:00:00.000Z,\d+,3,3,3,2,\d+(\.\d)?,/);
    const p50 = Number(lines[1]!.split(',')[9]);
    expect(Math.abs(p50 - 20_000) / 20_000).toBeLessThan(0.011);
    const starts = lines.slice(1).map((l) => Number(l.split(',')[4]));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('takes a scope prefix, and gives the Wi-Fi signal back in dBm', async () => {
    const wards = (await (await get(`scope=ward:S1/*&from=${T0}&to=${T0 + 3_600_000}`)).text()).trimEnd().split('\r\n');
    expect(wards.slice(1).map((l) => l.split(',')[0])).toEqual(['ward:S1/W1', 'ward:S1/W2']);
    const wifi = (await (await get(`scope=site:S1&metric=wifi.signalDbm&from=${T0}&to=${T0 + 3_600_000}`)).text()).trimEnd().split('\r\n');
    const [p50, , , p99] = wifi[1]!.split(',').slice(9).map(Number);
    // −60 … −80 dBm: the median is −70, the 99th percentile the strongest, −60.
    expect(p50).toBeCloseTo(-70, 0);
    expect(p99).toBeCloseTo(-60, 0);
  });

  it.each([
    ['scope=&from=0&to=1', /^scope: must be a scope key/],
    ['scope=room:1&from=0&to=1', /^scope: must be a scope key/],
    [`scope=site:S1&metric=cpu&from=${T0}&to=${T0 + 1}`, /^metric: must be one of app.totalMs/],
    [`scope=site:S1&resolution=1d&from=${T0}&to=${T0 + 1}`, /^resolution: must be one of 1m, 5m, 1h; got "1d"/],
    ['scope=site:S1&to=1', /^from: required/],
    [`scope=site:S1&from=${T0}&to=soon`, /^to: must be epoch ms or an ISO 8601/],
    [`scope=site:S1&from=${T0}&to=${T0}`, /^to: must be after from/],
    [`scope=site:S1&from=2025-01-01&to=2026-10-01`, /at most 400 days/],
  ])('%s → 400 saying what was wrong', async (q, message) => {
    const res = await get(q);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });
});
