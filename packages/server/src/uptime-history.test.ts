import { describe, expect, it } from 'vitest';
import { encodeValues } from '@wardwatch/sketch';
import { openStore, type RollupRecord } from '@wardwatch/store';
import { DEFAULT_THRESHOLDS } from '@wardwatch/status-rules';
import { judgePeriods, uptimeHistory, uptimePeriods } from './uptime-history.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 30, 12, 20); // 12:20, twenty minutes into the hour

/**
 * A rollup of `n` checks (or logons) taking `ms` each, `failed` of them failed; "fast" as the processor
 * counts them, the successes within the target.
 */
function row(metric: 'app.totalMs' | 'logon.totalMs', resolution: '1h' | '1m', start: number, n: number, ms: number, failed = 0): RollupRecord {
  const target = metric === 'app.totalMs' ? DEFAULT_THRESHOLDS.appSlowMs : DEFAULT_THRESHOLDS.logonSlowMs;
  const fast = ms <= target ? n - failed : 0;
  return { scope: 'site:S1', metric, resolution, start, count: n, valid: n, good: n - failed, fast, sketch: encodeValues(Array.from({ length: n - failed }, () => ms)) };
}
const hourAgo = (h: number) => Math.floor(NOW / HOUR) * HOUR - h * HOUR;

describe('uptimePeriods', () => {
  it('ends with the period under way, cut at the clock; UTC hours and days, oldest first', () => {
    expect(uptimePeriods({ period: 'hour', count: 3, now: NOW })).toEqual([
      [hourAgo(2), hourAgo(1)],
      [hourAgo(1), hourAgo(0)],
      [hourAgo(0), NOW],
    ]);
    const days = uptimePeriods({ period: 'day', count: 2, now: NOW });
    expect(days).toEqual([[Date.UTC(2026, 10, 29), Date.UTC(2026, 10, 30)], [Date.UTC(2026, 10, 30), NOW]]);
  });
});

describe('judgePeriods: each period by the status rules', () => {
  it.each([
    ['checks all fine', [row('app.totalMs', '1h', hourAgo(1), 60, 900)], 'ok', ''],
    ['most checks failing', [row('app.totalMs', '1h', hourAgo(1), 60, 900, 40)], 'down', 'availability 33 % (40 of 60 checks failed)'],
    ['a few checks failing', [row('app.totalMs', '1h', hourAgo(1), 60, 900, 3)], 'degraded', 'availability 95.0 % (3 of 60 checks failed)'],
    ['slow checks', [row('app.totalMs', '1h', hourAgo(1), 60, 3400)], 'degraded', 'app p95 3.4 s over the 2.0 s target (60 of 60 checks slow)'],
    ['slow logons, fast checks', [row('app.totalMs', '1h', hourAgo(1), 60, 900), row('logon.totalMs', '1h', hourAgo(1), 20, 45_000)], 'degraded', 'logon p95 44.8 s over the 30.0 s target (20 of 20 logons slow)'],
    ['nothing measured', [], 'unknown', 'no figures'],
  ] as const)('%s → %s', (_what, rows, status, reason) => {
    const [period] = judgePeriods(rows, { period: 'hour', count: 2, now: NOW });
    expect(period!.status).toBe(status);
    expect(period!.reason).toMatch(new RegExp(`^${reason.replace(/[.()]/g, '\\$&')}`));
  });

  it('reads an hour not yet rolled up from its minutes, and prefers an hour’s rollup to its minutes', () => {
    const rows = [
      ...Array.from({ length: 20 }, (_, m) => row('app.totalMs', '1m', hourAgo(0) + m * MIN, 3, 800, m < 12 ? 3 : 0)),
      row('app.totalMs', '1h', hourAgo(1), 60, 900),
      row('app.totalMs', '1m', hourAgo(1), 60, 900, 60), // superseded by the hourly rollup
    ];
    const [last, current] = judgePeriods(rows, { period: 'hour', count: 2, now: NOW });
    expect(last).toMatchObject({ status: 'ok', appChecks: 60, availability: 1 });
    expect(current).toMatchObject({ status: 'down', appChecks: 60, availability: 0.4, end: NOW });
  });

  it.each([
    ['one slow check of twelve does not decide the hour (its p95 is that check)', 1, 'ok'],
    ['two do', 2, 'degraded'],
  ] as const)('%s', (_what, slow, status) => {
    // The hour under way, from its minutes: a check a minute, the slow ones at 4.8 s.
    const rows = Array.from({ length: 12 }, (_, m) => row('app.totalMs', '1m', hourAgo(0) + m * MIN, 1, m < slow ? 4800 : 800));
    const [, current] = judgePeriods(rows, { period: 'hour', count: 2, now: NOW });
    expect(current).toMatchObject({ status, appChecks: 12, p95Ms: expect.closeTo(4800, -2), slowAppChecks: slow, slowLogons: 0 });
    expect(current!.reason).toBe(status === 'ok' ? '' : 'app p95 4.8 s over the 2.0 s target (2 of 12 checks slow)');
  });

  it('judges a day from all its hours together', () => {
    const rows = Array.from({ length: 24 }, (_, h) => row('app.totalMs', '1h', Date.UTC(2026, 10, 29, h), 50, 700, h === 3 ? 26 : 0));
    const [yesterday, today] = judgePeriods(rows, { period: 'day', count: 2, now: NOW });
    // 26 of 1,200 checks failed: 97.8 %, under the 98 % line (97.9 % with one failure fewer, as the
    // rules judge it; 25 would be 98.0 % so judged, and ok).
    expect(yesterday).toMatchObject({ status: 'degraded', appChecks: 1200 });
    expect(yesterday!.availability).toBeCloseTo(1174 / 1200, 6);
    expect(today).toMatchObject({ status: 'unknown', appChecks: 0, availability: null });
  });
});

describe('uptimeHistory', () => {
  it('reads the hourly and recent minute rollups of the site from the store', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await store.write([row('app.totalMs', '1h', hourAgo(3), 60, 900, 45), row('app.totalMs', '1h', hourAgo(1), 60, 900), row('app.totalMs', '1m', hourAgo(0), 5, 900)]);
      const history = await uptimeHistory(store, 'S1', { period: 'hour', count: 4, now: NOW });
      expect(history.period).toBe('hour');
      expect(history.periods.map((p) => p.status)).toEqual(['down', 'unknown', 'ok', 'ok']);
    } finally {
      await store.close();
    }
  });

  it('names the maintenance windows recorded at the site or its trust in the periods they overlap; the status stays what the figures earned', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await store.write([row('app.totalMs', '1h', hourAgo(3), 60, 900, 45), row('app.totalMs', '1h', hourAgo(2), 60, 900), row('app.totalMs', '1h', hourAgo(1), 60, 900)]);
      const window = (id: string, scope: string, trust: string, from: number, to: number, kind: 'maintenance' | 'change' = 'maintenance') =>
        store.addAnnotation({ id, trust, scope, kind, title: `${id} at ${scope}`, start: from, end: to, createdAt: NOW });
      await window('core switch', 'site:S1', 'RXX', hourAgo(3) + 10 * MIN, hourAgo(3) + 50 * MIN);
      await window('firewall', 'trust', 'RXX', hourAgo(2) + 50 * MIN, hourAgo(1) + 10 * MIN);
      await window('elsewhere', 'site:S2', 'RXX', hourAgo(3), hourAgo(0));
      await window('another trust', 'trust', 'RYY', hourAgo(3), hourAgo(0));
      await window('a change, not maintenance', 'site:S1', 'RXX', hourAgo(1), hourAgo(0), 'change');
      const history = await uptimeHistory(store, 'S1', { period: 'hour', count: 4, now: NOW }, { store, trust: 'RXX' });
      expect(history.periods.map((p) => [p.status, p.maintenance ?? []])).toEqual([
        ['down', ['core switch at site:S1']],
        ['ok', ['firewall at trust']],
        ['ok', ['firewall at trust']],
        ['unknown', []],
      ]);
      // Without the annotations, nothing is named.
      expect((await uptimeHistory(store, 'S1', { period: 'hour', count: 4, now: NOW })).periods.some((p) => p.maintenance)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('uptime days past the hourly rows\' retention', () => {
  const DAY = 24 * HOUR;
  const day = (metric: 'app.totalMs' | 'logon.totalMs', start: number, n: number, ms: number, failed = 0) => {
    const r = row(metric, '1h', start, n, ms, failed);
    return { scope: r.scope, metric, day: start, hours: 0xffffff, count: r.count, valid: r.valid, good: r.good, fast: r.fast, sketch: r.sketch };
  };

  it('judges a day before the hours kept from the day row of its London day, and says so; a day without one from whatever hours there are', () => {
    // 29 November (GMT: the London day is the UTC day) by its day row; the 30th by its hours.
    const hourlyFrom = Date.UTC(2026, 10, 30);
    const days = [day('app.totalMs', Date.UTC(2026, 10, 29), 1200, 700, 900), day('app.totalMs', Date.UTC(2026, 10, 28), 1200, 700)];
    const hours = [row('app.totalMs', '1h', Date.UTC(2026, 10, 29, 5), 60, 700), row('app.totalMs', '1h', Date.UTC(2026, 10, 27, 5), 60, 700, 60), row('app.totalMs', '1h', hourAgo(2), 60, 700)];
    const [d27, d28, d29, d30] = judgePeriods(hours, { period: 'day', count: 4, now: NOW }, days, hourlyFrom);
    expect(d29).toMatchObject({ status: 'down', appChecks: 1200, availability: 0.25, start: Date.UTC(2026, 10, 29), day: { start: Date.UTC(2026, 10, 29), end: Date.UTC(2026, 10, 30) } });
    expect(d28).toMatchObject({ status: 'ok', appChecks: 1200 });
    // No day row for the 27th: its hour, as before.
    expect(d27).toMatchObject({ status: 'down', appChecks: 60 });
    expect(d27!.day).toBeUndefined();
    expect(d30).toMatchObject({ status: 'ok', appChecks: 60 });
    expect(d30!.day).toBeUndefined();
  });

  it('in summer, a UTC day from the London day that starts an hour before it (BST)', () => {
    const now = Date.UTC(2026, 6, 20, 12);
    const london = Date.UTC(2026, 6, 9, 23); // 10 July, London
    const [p] = judgePeriods([], { period: 'day', count: 11, now }, [day('logon.totalMs', london, 30, 20_000)], now);
    expect(p!.start).toBe(Date.UTC(2026, 6, 10));
    expect(p).toMatchObject({ logons: 30, day: { start: london, end: london + DAY } });
  });

  it('gives the 90-day strip the statuses the hours gave, once they are folded and pruned', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      // 85 days back (into BST, 6 September) to yesterday: 60 checks an hour, every check failing on one day.
      const first = Date.UTC(2026, 8, 6);
      const bad = Date.UTC(2026, 8, 20);
      const rows: RollupRecord[] = [];
      for (let t = first; t < Date.UTC(2026, 10, 30); t += HOUR) rows.push(row('app.totalMs', '1h', t, 60, 700, t >= bad && t < bad + DAY ? 60 : 0));
      await store.write(rows);
      const query = { period: 'day' as const, count: 90, now: NOW };
      const before = await uptimeHistory(store, 'S1', query);
      const { foldSiteDays } = await import('@wardwatch/evidence');
      for (let i = 0; i < 10; i++) if ((await foldSiteDays(store, NOW)).days === 0) break;
      const { DEFAULT_RETENTION_MS } = await import('@wardwatch/store');
      await store.prune(NOW, DEFAULT_RETENTION_MS);
      expect(await store.query({ scope: 'site:S1', resolution: '1h', from: 0, to: NOW - 62 * DAY })).toEqual([]);
      const after = await uptimeHistory(store, 'S1', query);
      // The same statuses but one: in BST a London day starts at 23:00 UTC the day before, so the day
      // after the bad one carries its last hour — what judging London days instead of UTC days costs.
      const dayAfter = before.periods.findIndex((p) => p.start === bad + DAY);
      expect(after.periods.map((p, i) => (i === dayAfter ? before.periods[i]!.status : p.status))).toEqual(before.periods.map((p) => p.status));
      expect([before.periods[dayAfter]!.status, after.periods[dayAfter]!.status]).toEqual(['ok', 'degraded']);
      const old = after.periods.filter((p) => p.day);
      // Days before 30 September (62 days before NOW, the first whole London day kept): from day rows.
      expect(old.length).toBe(Date.UTC(2026, 8, 30) / DAY - first / DAY);
      expect(after.periods.find((p) => p.start === bad)).toMatchObject({ status: 'down', availability: 1 / 24 });
      expect(before.periods.find((p) => p.start === bad)).toMatchObject({ status: 'down', availability: 0 });
    } finally {
      await store.close();
    }
  });
});

describe('GET /api/sites/:id/uptime', () => {
  it('answers the last 24 hours by default, 90 days with period=day, and says what is wrong with a bad query', async () => {
    const { appFixture } = await import('./app.fixture.ts');
    const { StatusBoard } = await import('./status-board.ts');
    const board = new StatusBoard(new Map([['S1', { name: 'Site 1', trust: 'RXX' }]]));
    board.applyAll([{ key: 'site:S1', scope: 'site', id: 'S1', trust: 'RXX', site: 'S1', status: 'ok', reason: '', figures: { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 }, since: 0, asOf: NOW }]);
    const fixture = await appFixture({ board, clock: () => NOW });
    try {
      const get = (query: string) => fixture.app.request(`http://localhost:8080/api/sites/${query}`);
      const hours = await get('S1/uptime');
      expect(hours.status).toBe(200);
      const body = (await hours.json()) as { site: string; period: string; periods: Array<{ start: number; end: number }> };
      expect(body.periods).toHaveLength(24);
      expect(body.periods.at(-1)!.end).toBe(NOW);
      expect(((await (await get('S1/uptime?period=day')).json()) as { periods: unknown[] }).periods).toHaveLength(90);
      for (const [query, status, error] of [
        ['S1/uptime?period=week', 400, /^period must be hour or day/],
        ['S1/uptime?count=0', 400, /^count must be a whole number from 1 to 168 for period=hour/],
        ['S1/uptime?period=day&count=91', 400, /from 1 to 90 for period=day/],
        ['S1/uptime?count=2.5', 400, /^count must be a whole number/],
        ['S9/uptime', 404, /^no site with id "S9"/],
      ] as const) {
        const res = await get(query);
        expect(res.status, query).toBe(status);
        expect(((await res.json()) as { error: string }).error, query).toMatch(error);
      }
    } finally {
      await fixture.close();
    }
  });
});
