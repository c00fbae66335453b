import { afterEach, describe, expect, it } from 'vitest';
import { turnsDuring } from '../../../tests/helpers/event-loop-turns.ts';
import { SqliteRollupStore, type Resolution, type RollupRecord } from '@wardwatch/store';
import { BURN_RATE_RULES } from './burn-rate-rules.ts';
import { DEFAULT_SLOS } from './config-file.ts';
import { evaluateSlos } from './evaluate.ts';
import { loadSliCounter, planRollupQueries } from './rollup-queries.ts';
import { resolutionsFor, SliCounter } from './sli-counter.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0);
const MIN = 60_000;

function rollup(scope: string, metric: string, resolution: Resolution, start: number, valid: number, good: number, fast: number): RollupRecord {
  return { scope, metric, resolution, start, count: good, valid, good, fast, sketch: new Uint8Array() };
}

describe('resolutionsFor', () => {
  it.each([
    [5 * MIN, ['1m', '5m', '1h']],
    [6 * 60 * MIN, ['1m', '5m', '1h']],
    [24 * 60 * MIN, ['5m', '1h', '1m']],
    [28 * 24 * 60 * MIN, ['1h', '5m', '1m']],
  ])('%d ms → %j', (windowMs, expected) => {
    expect(resolutionsFor(windowMs)).toEqual(expected);
  });
});

describe('SliCounter.dataSince', () => {
  const H = 60 * MIN;
  // Data since 20:33: its hour (20:00) is stored, and its minutes; a day ago only hours were kept.
  const at = Date.UTC(2025, 0, 15, 21, 31);
  it.each<[string, RollupRecord[], number | undefined]>([
    ['minutes inside the first hour tell where in it the data begins', [rollup('site:S1', 'app.totalMs', '1h', at - 91 * MIN, 50, 50, 50), rollup('site:S1', 'app.totalMs', '5m', at - 61 * MIN, 5, 5, 5), rollup('site:S1', 'app.totalMs', '1m', at - 58 * MIN, 1, 1, 1), rollup('site:S1', 'app.totalMs', '1m', at - MIN, 1, 1, 1)], at - 58 * MIN],
    ['minutes kept only for later hours say nothing of the first', [rollup('site:S1', 'app.totalMs', '1h', at - 30 * H, 50, 50, 50), rollup('site:S1', 'app.totalMs', '1m', at - 2 * H, 1, 1, 1)], at - 30 * H],
    ['minutes before any hour is final (the first hour still open)', [rollup('site:S1', 'app.totalMs', '1m', at - 20 * MIN, 1, 1, 1)], at - 20 * MIN],
    ['no data', [], undefined],
  ])('%s', (_, records, expected) => {
    expect(new SliCounter(records).dataSince('site:S1', 'availability', at - 28 * 24 * H, at)).toBe(expected);
  });
});

describe('SliCounter', () => {
  const records = [
    rollup('site:S1', 'app.totalMs', '1m', T0 - 2 * MIN, 100, 98, 90),
    rollup('site:S1', 'app.totalMs', '1m', T0 - 1 * MIN, 100, 100, 95),
    rollup('site:S2', 'app.totalMs', '1m', T0 - 1 * MIN, 50, 40, 30),
    rollup('site:S1', 'logon.totalMs', '1m', T0 - 1 * MIN, 10, 10, 7),
    rollup('siteapp:S1/epr', 'app.totalMs', '1m', T0 - 1 * MIN, 60, 59, 50),
    rollup('siteapp:S2/epr', 'app.totalMs', '1m', T0 - 1 * MIN, 20, 15, 10),
    rollup('siteapp:S2/pacs', 'app.totalMs', '1m', T0 - 1 * MIN, 5, 5, 5),
    rollup('ward:S1/W1', 'app.totalMs', '1m', T0 - 1 * MIN, 100, 0, 0),
    rollup('site:S1', 'app.totalMs', '5m', T0 - 5 * MIN, 300, 290, 280),
    rollup('site:S1', 'app.totalMs', '1h', T0 - 60 * MIN, 1000, 900, 800),
  ];
  const counter = new SliCounter(records);

  it('lists target scopes: sites, the trust and applications across sites, not wards', () => {
    expect(counter.scopes()).toEqual(['app:epr', 'app:pacs', 'site:S1', 'site:S2', 'trust']);
  });

  it.each([
    ['site:S1', 'availability', T0 - 5 * MIN, T0, { valid: 200, good: 198 }],
    ['site:S1', 'latency', T0 - 5 * MIN, T0, { valid: 200, good: 185 }],
    ['site:S1', 'latency', T0 - 1 * MIN, T0, { valid: 100, good: 95 }],
    ['site:S1', 'logon', T0 - 5 * MIN, T0, { valid: 10, good: 7 }],
    ['trust', 'availability', T0 - 5 * MIN, T0, { valid: 250, good: 238 }],
    ['app:epr', 'availability', T0 - 5 * MIN, T0, { valid: 80, good: 74 }],
    ['app:epr', 'latency', T0 - 5 * MIN, T0, { valid: 80, good: 60 }],
    ['site:S9', 'availability', T0 - 5 * MIN, T0, { valid: 0, good: 0 }],
    // 1 day prefers 5m rollups
    ['site:S1', 'availability', T0 - 24 * 60 * MIN, T0, { valid: 300, good: 290 }],
    // 28 days prefers 1h rollups
    ['site:S1', 'latency', T0 - 28 * 24 * 60 * MIN, T0, { valid: 1000, good: 800 }],
    // no 1m rollups in an earlier range, and the 5m one ends after it (events after the range's end
    // are never counted): nothing
    ['site:S1', 'availability', T0 - 10 * MIN, T0 - 3 * MIN, { valid: 0, good: 0 }],
  ] as const)('%s %s over [%d, %d)', (scope, indicator, from, to, expected) => {
    expect(counter.counts(scope, indicator, from, to)).toEqual(expected);
  });
});

describe('SliCounter: the tail a coarse rollup has not reached', () => {
  const H = 60 * MIN;
  const DAY = 24 * H;
  // Two final hours (12:00 and 13:00 are stored hourly), then 14:00–14:40 only by the minute and, up
  // to 14:35, by five minutes.
  const records: RollupRecord[] = [rollup('site:S1', 'logon.totalMs', '1h', T0, 600, 600, 590), rollup('site:S1', 'logon.totalMs', '1h', T0 + H, 600, 600, 595)];
  for (let m = 0; m < 120; m++) records.push(rollup('site:S1', 'logon.totalMs', '1m', T0 + m * MIN, 10, 10, 10));
  for (let m = 0; m < 40; m++) records.push(rollup('site:S1', 'logon.totalMs', '1m', T0 + 2 * H + m * MIN, 10, 10, 2));
  for (let m = 0; m < 35; m += 5) records.push(rollup('site:S1', 'logon.totalMs', '5m', T0 + 2 * H + m * MIN, 50, 50, 10));
  const counter = new SliCounter(records);

  it.each([
    ['28 days to 14:40: whole hours, then the 40 minutes since from 1m rollups', T0 + 2 * H + 40 * MIN - 28 * DAY, T0 + 2 * H + 40 * MIN, { valid: 1600, good: 1265 }],
    ['28 days to 14:00: whole hours only, nothing after them', T0 + 2 * H - 28 * DAY, T0 + 2 * H, { valid: 1200, good: 1185 }],
    ['28 days to 14:20: the tail stops at the end of the range', T0 + 2 * H + 20 * MIN - 28 * DAY, T0 + 2 * H + 20 * MIN, { valid: 1400, good: 1225 }],
    ['1 day to 14:40: the two hours before the first 5m rollup from 1h, 5m rollups to 14:35, then the last 5 minutes from 1m', T0 + 2 * H + 40 * MIN - DAY, T0 + 2 * H + 40 * MIN, { valid: 1600, good: 1265 }],
    ['6½ hours from 12:30: the 13:00 hour (the 12:00 hour starts before the range), 5m rollups, the last 5 minutes from 1m', T0 + 30 * MIN, T0 + 7 * H, { valid: 600 + 350 + 50, good: 595 + 70 + 10 }],
    ['6 hours to 14:40: 1m rollups from 12:00, nothing older to add', T0 + 2 * H + 40 * MIN - 6 * H, T0 + 2 * H + 40 * MIN, { valid: 1600, good: 1280 }],
    // An hour stored before it is over at the range's end (history written up to now, counted as of a
    // settled minute before): never counted whole, so no event after the range's end is.
    ['28 days to 13:40: the 12:00 hour, then the 13:00 hour (it ends after 13:40) from its first 40 minutes', T0 + H + 40 * MIN - 28 * DAY, T0 + H + 40 * MIN, { valid: 1000, good: 990 }],
    ['1 day to 14:32: 5m rollups to 14:30 (the 14:30 one ends after 14:32), then 2 minutes from 1m', T0 + 2 * H + 32 * MIN - DAY, T0 + 2 * H + 32 * MIN, { valid: 1200 + 300 + 20, good: 1185 + 60 + 4 }],
  ] as const)('%s', (_name, from, to, expected) => {
    expect(counter.counts('site:S1', 'logon', from, to)).toEqual(expected);
  });
});

describe('SliCounter: a store with hourly history and only the last hour by the minute', () => {
  // What a store holds after hourly history was written (the demo's months, or an import) and the
  // processor has run for an hour: every window of the last three days by the hour, and 1m and 5m
  // rollups only since 11:00. The last hour fails 20 % of checks; the days before, 0.2 %.
  const H = 60 * MIN;
  const records: RollupRecord[] = [];
  for (let h = 3 * 24; h >= 2; h--) records.push(rollup('site:S1', 'app.totalMs', '1h', T0 - h * H, 6000, 5988, 5988));
  for (let m = 60; m >= 1; m--) records.push(rollup('site:S1', 'app.totalMs', '1m', T0 - m * MIN, 100, 80, 80));
  for (let m = 60; m >= 5; m -= 5) records.push(rollup('site:S1', 'app.totalMs', '5m', T0 - m * MIN, 500, 400, 400));
  const counter = new SliCounter(records);

  it.each([
    ['1 hour: the minutes alone', H, { valid: 6000, good: 4800 }],
    ['6 hours: five hours by the hour, then the minutes', 6 * H, { valid: 5 * 6000 + 6000, good: 5 * 5988 + 4800 }],
    ['1 day: 23 hours by the hour, then five-minute windows', 24 * H, { valid: 23 * 6000 + 6000, good: 23 * 5988 + 4800 }],
    ['3 days: 71 hours by the hour, then five-minute windows', 72 * H, { valid: 71 * 6000 + 6000, good: 71 * 5988 + 4800 }],
  ] as const)('%s', (_name, span, expected) => {
    expect(counter.counts('site:S1', 'availability', T0 - span, T0)).toEqual(expected);
  });

  it('so the long windows burn at the days\' rate, not the last hour\'s: pages, but no ticket (the old count gave 40× over every window, so both tickets too)', () => {
    const [evaluation] = evaluateSlos(DEFAULT_SLOS.filter((s) => s.name === 'site-app-availability'), counter, T0 + 30_000);
    const burn = Object.fromEntries(evaluation!.windows.map((w) => [w.window, w.burnRate]));
    expect(burn['1h']).toBeCloseTo(40, 6);
    expect(burn['6h']).toBeCloseTo((0.002 * 5 + 0.2) / 6 / 0.005, 6);
    expect(burn['3d']).toBeCloseTo((0.002 * 71 + 0.2) / 72 / 0.005, 6);
    expect(evaluation!.firing.map((f) => `${f.severity} ${f.longWindow}`)).toEqual(['page 1h', 'page 6h']);
  });
});

describe('evaluateSlos over rollups from a real store', () => {
  let store: SqliteRollupStore | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('plans queries per resolution, loads them and pages on a site whose app checks fail', async () => {
    const queries = planRollupQueries(DEFAULT_SLOS, T0 + 30_000);
    expect(new Set(queries.map((q) => `${q.resolution} ${q.to - q.from}`))).toEqual(new Set([`1m ${6 * 60 * MIN}`, `5m ${3 * 24 * 60 * MIN}`, `1h ${28 * 24 * 60 * MIN}`]));
    expect(queries.every((q) => q.to === T0)).toBe(true);

    store = new SqliteRollupStore(':memory:');
    const records: RollupRecord[] = [];
    // Last hour: site S1 fails 20 % of app checks, S2 is healthy.
    for (let m = 1; m <= 60; m++) {
      records.push(rollup('site:S1', 'app.totalMs', '1m', T0 - m * MIN, 100, 80, 80));
      records.push(rollup('site:S2', 'app.totalMs', '1m', T0 - m * MIN, 100, 100, 100));
    }
    await store.write(records);
    const counter = await loadSliCounter(store, DEFAULT_SLOS, T0 + 30_000, BURN_RATE_RULES);
    const evaluations = evaluateSlos(DEFAULT_SLOS, counter, T0 + 30_000);
    const paging = evaluations.filter((e) => e.severity === 'page').map((e) => `${e.slo} ${e.scope}`);
    expect(paging).toEqual(['site-app-latency site:S1', 'site-app-availability site:S1']);
    const s1 = evaluations.find((e) => e.slo === 'site-app-availability' && e.scope === 'site:S1')!;
    expect(s1.at).toBe(T0);
    expect(s1.windows.find((w) => w.window === '1h')).toMatchObject({ valid: 6000, good: 4800, burnRate: expect.closeTo(40, 6) });
  });

  it('reads a 28-day budget a day at a time, the thread given a turn between, and counts every hour once', async () => {
    store = new SqliteRollupStore(':memory:');
    const HOUR = 60 * MIN;
    // 28 days of hourly rows at one site, one failed check in each hour's hundred: at its edges too.
    const records: RollupRecord[] = [];
    for (let h = 1; h <= 28 * 24; h++) records.push(rollup('site:S1', 'app.totalMs', '1h', T0 - h * HOUR, 100, 99, 99));
    await store.write(records);
    // The other work of the thread: the server's requests.
    const { result: counter, turns } = await turnsDuring(() => loadSliCounter(store!, DEFAULT_SLOS, T0 + 30_000, BURN_RATE_RULES));
    expect(turns).toBeGreaterThanOrEqual(28);
    const budget = evaluateSlos(DEFAULT_SLOS, counter, T0 + 30_000).find((e) => e.slo === 'site-app-availability' && e.scope === 'site:S1')!;
    expect(budget.budget).toMatchObject({ valid: 28 * 24 * 100, good: 28 * 24 * 99 });
  });
});
