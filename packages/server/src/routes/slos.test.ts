// The two SLO routes give one budget for one evaluation: GET /api/slos (the evaluation's figure) and
// the last point of GET /api/slos/:slo/budget, when the current hour is stored only by the minute.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SLOS } from '@wardwatch/slo';
import { SqliteRollupStore, type Resolution, type RollupRecord } from '@wardwatch/store';
import { KEEP_FIRING_FOR_MS, type AlertsResponse, type SiteSummary } from '@wardwatch/schema';
import { createApp } from '../app.ts';
import { createMetrics } from '../metrics.ts';
import { SloEvaluator } from '../slo-evaluator.ts';
import { StatusBoard } from '../status-board.ts';

const M = 60_000;
const H = 60 * M;
const HOUR = Date.UTC(2026, 10, 30, 12);
const rollup = (resolution: Resolution, start: number, valid: number, fast: number): RollupRecord => ({
  scope: 'site:S1', metric: 'logon.totalMs', resolution, start, count: 0, valid, good: valid, fast, sketch: new Uint8Array(),
});

let store: SqliteRollupStore | undefined;
let evaluator: SloEvaluator | undefined;
afterEach(async () => {
  await evaluator?.stop();
  await store?.close();
});

/**
 * The store with `records`, an evaluator on the clock `clock()` and the application over both: what
 * each test here reads its figures through. Closed by the afterEach above.
 */
async function serve(records: RollupRecord[], clock: () => number) {
  store = new SqliteRollupStore(':memory:');
  await store.write(records);
  const board = new StatusBoard();
  const metrics = createMetrics(board, { defaultMetrics: false });
  evaluator = new SloEvaluator({ store, slos: DEFAULT_SLOS, clock, metrics, settleMs: 0 });
  const app = createApp({ board, store, metrics, slos: evaluator, clock });
  return { app, metrics, evaluator, store, board };
}

describe('SLO routes: one budget', () => {
  it.each([
    ['minutes since the last stored hour are slow', 40, 2],
    ['minutes since the last stored hour are fine', 40, 10],
    ['the evaluation falls on the hour', 0, 2],
  ])('%s: /api/slos and the budget history agree', async (_name, minutesIntoHour, fastPerMinute) => {
    const records: RollupRecord[] = [];
    for (const start of [HOUR - 2 * H, HOUR - H]) {
      records.push(rollup('1h', start, 600, 598));
      for (let m = 0; m < 60; m++) records.push(rollup('1m', start + m * M, 10, m < 58 ? 10 : 9));
      for (let m = 0; m < 60; m += 5) records.push(rollup('5m', start + m * M, 50, 50));
    }
    for (let m = 0; m < minutesIntoHour; m++) records.push(rollup('1m', HOUR + m * M, 10, fastPerMinute));
    const { app, evaluator } = await serve(records, () => HOUR + minutesIntoHour * M);
    await evaluator.evaluateNow();

    const list = (await (await app.request('/api/slos')).json()) as Array<{ slo: string; scope: string; errorBudgetRemaining: number; validEvents: number; at: number }>;
    const summary = list.find((s) => s.slo === 'site-logon-latency' && s.scope === 'site:S1')!;
    const history = (await (await app.request('/api/slos/site-logon-latency/budget?scope=site:S1')).json()) as { at: number; series: { budgetRemaining: number[]; validEvents: number[] } };
    expect(history.at).toBe(summary.at);
    expect(summary.validEvents).toBe(1200 + minutesIntoHour * 10);
    expect(history.series.validEvents.at(-1)).toBe(summary.validEvents);
    expect(history.series.budgetRemaining.at(-1)).toBeCloseTo(summary.errorBudgetRemaining, 12);
  });
});

describe('SLO budget history: where the data starts', () => {
  it('reaches back a whole window where hourly history is older than the minutes (the demo\u2019s history, or one written elsewhere)', async () => {
    const DAY = 24 * H;
    const records: RollupRecord[] = [];
    // Forty days of hourly rows, then the last two hours by the minute too (live data since).
    for (let t = HOUR - 40 * DAY; t < HOUR; t += H) records.push(rollup('1h', t, 600, 598));
    for (let t = HOUR - 2 * H; t < HOUR; t += M) records.push(rollup('1m', t, 10, 10));
    const { app, evaluator } = await serve(records, () => HOUR);
    await evaluator.evaluateNow();
    const history = (await (await app.request('/api/slos/site-logon-latency/budget?scope=site:S1')).json()) as { at: number; windowMs: number; stepMs: number; series: { t: number[]; validEvents: number[] } };
    // The first point is one 28-day window back, not where the minutes start two hours ago; it
    // counts the hours of the forty days before it (its own window reaches past the data's start).
    const t0 = history.series.t[0]! * 1000;
    expect(t0).toBeGreaterThanOrEqual(history.at - history.windowMs);
    expect(t0).toBeLessThan(history.at - history.windowMs + history.stepMs);
    expect(history.series.validEvents[0]).toBe(Math.floor((t0 - (HOUR - 40 * DAY)) / H) * 600);
  });

  it('starts where a young installation\u2019s data starts, to the minute', async () => {
    const records: RollupRecord[] = [];
    const start = HOUR - 3 * H + 17 * M;
    for (let t = start; t < HOUR; t += M) records.push(rollup('1m', t, 10, 10));
    for (let t = start - (start % H); t < HOUR; t += H) records.push(rollup('1h', t, 600, 600));
    const { app, evaluator } = await serve(records, () => HOUR);
    await evaluator.evaluateNow();
    const history = (await (await app.request('/api/slos/site-logon-latency/budget?scope=site:S1')).json()) as { stepMs: number; series: { t: number[] } };
    expect(history.series.t[0]! * 1000).toBeGreaterThanOrEqual(start + M);
    expect(history.series.t[0]! * 1000).toBeLessThan(start + M + history.stepMs);
  });
});

describe('SLI counters in /metrics', () => {
  it('count the minutes a lagging processor writes late, and what corrections add to recent minutes, at a later evaluation', async () => {
    let now = HOUR;
    const { metrics, evaluator, store } = await serve([], () => now);
    const counted = async () => {
      const text = await metrics.registry.metrics();
      return Number(/^wardwatch_sli_events_total\{slo="site-logon-latency",scope="site:S1"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    await store.write([rollup('1m', HOUR - M, 10, 10)]);
    await evaluator.evaluateNow(); // counting starts here
    // Ten minutes on, the processor has written only the first five of them.
    now = HOUR + 10 * M;
    await store.write(Array.from({ length: 5 }, (_, m) => rollup('1m', HOUR + m * M, 10, 10)));
    await evaluator.evaluateNow();
    expect(await counted()).toBe(50);
    // It catches up: the other five, written late, are counted too — the counter's increase equals the rollups'.
    await store.write(Array.from({ length: 5 }, (_, m) => rollup('1m', HOUR + (5 + m) * M, 10, 10)));
    now = HOUR + 11 * M;
    await evaluator.evaluateNow();
    expect(await counted()).toBe(100);
    // A correction to a minute counted three minutes ago (an agent's spool after a short drop): the
    // store's row gains 4 events, and so do the counters.
    await store.write([rollup('1m', HOUR + 9 * M, 14, 14)]);
    now = HOUR + 12 * M;
    await evaluator.evaluateNow();
    expect(await counted()).toBe(104);
    // One to a minute an hour old is in the store, not in the counters: Prometheus would count it as
    // a burn now.
    await store.write(Array.from({ length: 58 }, (_, m) => rollup('1m', HOUR + (12 + m) * M, 10, 10)));
    now = HOUR + 70 * M;
    await evaluator.evaluateNow();
    const before = await counted();
    await store.write([rollup('1m', HOUR + 3 * M, 20, 20)]);
    now = HOUR + 71 * M;
    await evaluator.evaluateNow();
    expect(await counted()).toBe(before);
  });
});

describe('a held alert, and silences, told alike everywhere', () => {
  it('GET /api/slos, /api/alerts and /api/sites agree while a page is held after its burn stopped, and on a silence that starts between evaluations', async () => {
    // An hour of every logon slow at S1: the logon SLO pages.
    const records: RollupRecord[] = [];
    for (let m = 60; m >= 1; m--) records.push(rollup('1m', HOUR - m * M, 10, 0));
    let now = HOUR;
    const { app, evaluator, store, board } = await serve(records, () => now);
    board.applyAll([{ key: 'site:S1', scope: 'site', id: 'S1', trust: 'RXX', site: 'S1', status: 'ok', reason: '', figures: { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 900, availability: 1, logons: 10, logonP95Ms: 20_000, wifiSignalDbm: -60 }, since: 0, asOf: HOUR }]);
    await evaluator.evaluateNow();
    const get = async <T>(path: string) => (await (await app.request(path, { headers: { host: 'localhost' } })).json()) as T;
    type Slo = { slo: string; scope: string; severity: string | null; clearingSince?: number; firing: Array<{ severity: string }> };
    const logonSlo = async () => (await get<Slo[]>('/api/slos')).find((s) => s.slo === 'site-logon-latency' && s.scope === 'site:S1')!;
    expect((await logonSlo()).severity).toBe('page');

    // Then 35 minutes of fast logons: no page rule burns (the 5- and 30-minute windows are clean), the page is held.
    await store.write(Array.from({ length: 35 }, (_, m) => rollup('1m', HOUR + m * M, 10, 10)));
    now = HOUR + 35 * M;
    await evaluator.evaluateNow();
    const slo = await logonSlo();
    const alerts = await get<AlertsResponse>('/api/alerts');
    const page = alerts.firing.find((a) => a.slo === 'site-logon-latency' && a.severity === 'page')!;
    expect(page.clearingSince).toBe(now);
    expect(slo.firing.some((r) => r.severity === 'page')).toBe(false);
    expect(slo).toMatchObject({ severity: 'page', clearingSince: page.clearingSince });
    const sites = await get<SiteSummary[]>('/api/sites');
    expect(sites[0]).toMatchObject({ status: 'degraded', alerts: { page: 1, held: { page: 1 } } });
    expect(sites[0]!.reason).toMatch(/^SLO site-logon-latency paged and is held firing/);
    // The site as a scope says the same as the site list.
    const scope = await get<{ status: { status: string; reason: string } }>('/api/scopes/site%3AS1');
    expect(scope.status).toMatchObject({ status: sites[0]!.status, reason: sites[0]!.reason });

    // A maintenance window starting a minute from now, no evaluation in between: both say so when it starts.
    const made = await app.request('/api/silences', {
      method: 'POST',
      headers: { host: 'localhost', 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ kind: 'maintenance', matchers: { scope: 'site:S1' }, startsAt: now + M, endsAt: now + H, comment: 'switch swap' }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    expect((await get<SiteSummary[]>('/api/sites'))[0]!.alerts!.planned).toBeUndefined();
    now += 2 * M;
    const held = (await get<AlertsResponse>('/api/alerts')).firing;
    expect(held.every((a) => a.silencedBy !== null && a.silenceKind === 'maintenance')).toBe(true);
    // Planned work, not someone on it: counted as planned on the site, and the SLO's card says so.
    expect((await get<SiteSummary[]>('/api/sites'))[0]!.alerts).toMatchObject({ planned: alerts.firing.length });
    expect((await get<SiteSummary[]>('/api/sites'))[0]!.alerts!.acknowledged).toBeUndefined();
    expect(await logonSlo()).toMatchObject({ severity: 'page', silenceKind: 'maintenance' });
  });
});

describe('a held alert across a restart', () => {
  it('is taken back with its hold, and resolves when it would have, not the hold after the restart', async () => {
    const records: RollupRecord[] = [];
    for (let m = 60; m >= 1; m--) records.push(rollup('1m', HOUR - m * M, 10, 0));
    for (let m = 0; m < 40; m++) records.push(rollup('1m', HOUR + m * M, 10, 10));
    store = new SqliteRollupStore(':memory:');
    await store.write(records);
    let now = HOUR;
    const start = async () => {
      const metrics = createMetrics(new StatusBoard(), { defaultMetrics: false });
      return new SloEvaluator({ store: store!, slos: DEFAULT_SLOS, clock: () => now, metrics, settleMs: 0, alertHistory: store, firing: await store!.openAlerts() });
    };
    const first = await start();
    await first.evaluateNow(); // pages
    now = HOUR + 35 * M;
    await first.evaluateNow(); // its rules stopped: held
    const held = first.book.firing().find((a) => a.slo === 'site-logon-latency' && a.severity === 'page')!;
    expect(held.clearingSince).toBe(now);
    await first.stop();

    now = HOUR + 38 * M;
    evaluator = await start();
    expect(evaluator.book.get(held.fingerprint)?.clearingSince).toBe(held.clearingSince);
    now = held.clearingSince! + KEEP_FIRING_FOR_MS;
    await evaluator.evaluateNow();
    expect(evaluator.book.resolved().find((a) => a.fingerprint === held.fingerprint)?.endsAt).toBe(held.clearingSince! + KEEP_FIRING_FOR_MS);
  });
});
