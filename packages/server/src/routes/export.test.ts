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
    [`scope=site:S1&resolution=1d&from=${T0}&to=${T0 + 1}`, /^resolution: must be one of 1m, 5m, 1h, day; got "1d"/],
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

describe('GET /export past the hourly rows\' retention', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  // Three London months of a site and a ward (GMT: London days are UTC days), folded by the
  // housekeeping; hourly rows kept 62 days back from NOW, the ward's days 62 days past their month.
  const FROM = Date.UTC(2026, 10, 1);
  const NOW = Date.UTC(2027, 1, 1) + 9 * DAY; // 10 February 2027
  let tiered: SqliteRollupStore;
  let tieredApp: ReturnType<typeof exportRoutes>;

  beforeAll(async () => {
    tiered = new SqliteRollupStore(':memory:');
    const rows: RollupRecord[] = [];
    for (let start = FROM; start < NOW - DAY; start += HOUR) {
      rows.push({ scope: 'site:S1', metric: 'logon.totalMs', resolution: '1h', start, count: 2, valid: 2, good: 2, fast: 1, sketch: encodeValues([10_000, 40_000]) });
      rows.push({ scope: 'ward:S1/W1', metric: 'logon.totalMs', resolution: '1h', start, count: 1, valid: 1, good: 1, fast: 1, sketch: encodeValues([15_000]) });
    }
    await tiered.write(rows);
    const { foldSiteDays } = await import('@wardwatch/evidence');
    for (let i = 0; i < 20; i++) {
      const run = await foldSiteDays(tiered, NOW);
      if (run.days === 0 && run.months === 0) break;
    }
    await tiered.prune(NOW, { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 62 * DAY });
    tieredApp = exportRoutes({ store: tiered, clock: () => NOW });
  });
  afterAll(() => tiered.close());

  const csv = async (q: string) => {
    const res = await tieredApp.request(`/export?${q}`);
    expect(res.status).toBe(200);
    return { header: res.headers.get('x-wardwatch-tiers-to'), rows: (await res.text()).trimEnd().split('\r\n').slice(1).map((l) => l.split(',')) };
  };

  it('serves the days before the hourly rows from the day tier, then the hours, each row saying which', async () => {
    const { header, rows } = await csv(`scope=site:S1&from=${FROM}&to=${NOW}`);
    // 62 days before 10 February is 10 December; its hours are partly pruned, so hours from the 11th.
    const kept = Date.UTC(2026, 11, 11);
    expect(header).toBe(new Date(kept).toISOString());
    const days = rows.filter((r) => r[2] === 'day');
    const hours = rows.filter((r) => r[2] === '1h');
    expect(days).toHaveLength((kept - FROM) / DAY);
    expect(days.every((r) => r[5] === '48' && r[6] === '48')).toBe(true);
    expect(hours).toHaveLength((NOW - DAY - kept) / HOUR);
    expect(Number(hours[0]![4])).toBe(kept);
    expect(rows.map((r) => Number(r[4]))).toEqual(rows.map((r) => Number(r[4])).sort((a, b) => a - b));
  });

  it('serves a ward\'s months once its days are pruned, and the whole range by day when asked', async () => {
    const { rows } = await csv(`scope=ward:S1/*&from=${FROM}&to=${NOW}`);
    // November ended over 62 days ago: its days pruned, its month row served; December's days are
    // kept until 62 days after it ends, so 1–10 December by day, hours from the 11th.
    expect(rows.filter((r) => r[2] === 'month').map((r) => [r[3], r[5]])).toEqual([['2026-11-01T00:00:00.000Z', String(30 * 24)]]);
    expect(rows.filter((r) => r[2] === 'day').map((r) => r[3]!.slice(0, 10))).toEqual(Array.from({ length: 10 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`));
    expect(Number(rows.find((r) => r[2] === '1h')![4])).toBe(Date.UTC(2026, 11, 11));
    const byDay = await csv(`scope=site:S1&resolution=day&from=${Date.UTC(2027, 0, 1)}&to=${Date.UTC(2027, 1, 1)}`);
    expect(byDay.rows.map((r) => r[2])).toEqual(Array.from({ length: 31 }, () => 'day'));
  });
});

