// SliLoader against loading everything afresh, over a real SQLite store: at every step of a timeline
// of ordinary writes, late corrections, history written far back and a prune, the SLO evaluations
// from the counts it keeps equal those from loadSliCounter — and an ordinary step reads a few rows,
// not the spans.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteRollupStore, type Resolution, type RollupQuery, type RollupRecord } from '@wardwatch/store';
import { DEFAULT_SLOS } from './config-file.ts';
import { evaluateSlos } from './evaluate.ts';
import { loadSliCounter, SliLoader } from './rollup-queries.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2, 9, 0);
const SCOPES = ['site:S1', 'site:S2', 'siteapp:S1/epr'];
const METRICS = ['app.totalMs', 'logon.totalMs'];
const SIZE: Record<Resolution, number> = { '1m': MIN, '5m': 5 * MIN, '1h': HOUR };

/** Counts that differ by scope, metric, window and version (a correction writes a new version). */
function rollup(scope: string, metric: string, resolution: Resolution, start: number, version = 0): RollupRecord {
  const seed = (start / MIN + scope.length * 7 + metric.length * 13 + version * 31) % 97;
  const valid = 50 + seed;
  const good = valid - (seed % 9);
  const fast = good - (seed % 5);
  return { scope, metric, resolution, start, count: good, valid, good, fast, sketch: new Uint8Array() };
}

/** Every scope's and metric's rows of `resolution` for the windows starting in [from, to). */
function rows(resolution: Resolution, from: number, to: number, version = 0): RollupRecord[] {
  const out: RollupRecord[] = [];
  for (let start = from; start < to; start += SIZE[resolution]) for (const scope of SCOPES) for (const metric of METRICS) out.push(rollup(scope, metric, resolution, start, version));
  return out;
}

/** The windows a processor makes final when its clock moves from `from` to `to` (whole windows only). */
function finalWindows(from: number, to: number): RollupRecord[] {
  return (['1m', '5m', '1h'] as const).flatMap((r) => rows(r, Math.ceil(from / SIZE[r]) * SIZE[r], Math.floor(to / SIZE[r]) * SIZE[r]));
}

let store: SqliteRollupStore | undefined;
// The store stamps its log with the wall clock: set here to the timeline's, step by step.
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
afterEach(() => {
  store?.close();
  vi.useRealTimers();
});

/** The store as the loader sees it, counting the rows its queries return. */
function counted(inner: SqliteRollupStore) {
  const read = { rows: 0 };
  const view = {
    query: async (q: RollupQuery) => {
      const found = await inner.query(q);
      read.rows += found.length;
      return found;
    },
    rollupChanges: (since: number, known?: ReadonlySet<number>) => inner.rollupChanges(since, known),
  };
  return { view, read };
}

describe('SliLoader', () => {
  it('gives what a fresh load gives at every step, reading only what changed', async () => {
    store = new SqliteRollupStore(':memory:');
    // A month of history up to T0 at every resolution the spans read, written an hour before.
    vi.setSystemTime(T0 - HOUR);
    await store.write([...rows('1h', T0 - 30 * DAY, T0), ...rows('5m', T0 - 4 * DAY, T0), ...rows('1m', T0 - 7 * HOUR, T0)]);
    const { view, read } = counted(store);
    const loader = new SliLoader(view);
    let now = T0;
    const fullRead = { rows: 0 };

    // [step, what happens (the wall clock at `now`), whether the load after it reads only a tail]
    const steps: Array<[string, () => Promise<void>, boolean]> = [
      ['first load', async () => {}, false],
      ['a minute on', async () => void (now += MIN), true],
      ['the minute after, written', async () => {
        await store!.write(finalWindows(now - MIN, now));
        now += MIN;
      }, true],
      ['seven minutes, a 5-minute window final', async () => {
        await store!.write(finalWindows(now - MIN, now + 6 * MIN));
        now += 7 * MIN;
      }, true],
      ['a late correction to an hour five days back and a 5-minute window two days back', async () => {
        await store!.write([rollup('site:S1', 'app.totalMs', '1h', T0 - 5 * DAY, 1), rollup('site:S2', 'logon.totalMs', '5m', T0 - 2 * DAY, 1)]);
        now += MIN;
      }, false],
      // The next load asks from 10 minutes before the last, for writes stamped before that load and
      // committed after it, but leaves out the entries that load saw: the correction is not read again.
      ['nothing written for twenty minutes', async () => void (now += 20 * MIN), true],
      ['the hour final, and the minutes since', async () => {
        await store!.write(finalWindows(T0 + 9 * MIN, now + MIN));
        now += 2 * MIN;
      }, true],
      ['a correction stamped before the last load but committed after it (a long transaction)', async () => {
        vi.setSystemTime(now - 5 * MIN);
        await store!.write([rollup('siteapp:S1/epr', 'app.totalMs', '1m', now - 3 * HOUR, 2)]);
        vi.setSystemTime(now);
        now += MIN;
      }, false],
      ['history written far back where nothing was', async () => {
        await store!.write(rows('1h', T0 - 40 * DAY, T0 - 30 * DAY, 3));
        now += MIN;
      }, false],
      // Within ten minutes of the look that read it, the history's entry is still in the log's answer: known, not read again.
      ['a minute on after the history', async () => void (now += MIN), true],
      ['twenty quiet minutes', async () => void (now += 20 * MIN), true],
      ['a prune below every span', async () => {
        expect(await store!.prune(now, { '1m': 6.5 * HOUR, '5m': 14 * DAY, '1h': 35 * DAY })).toBeGreaterThan(0);
        now += MIN;
      }, true],
      ['a prune deep into the spans', async () => {
        await store!.prune(now, { '1m': 2 * HOUR, '5m': DAY, '1h': 10 * DAY });
        now += MIN;
      }, false],
      // Past what the log keeps: a write's entry let go before the next look, which reads everything.
      ['a day without a look: an hour corrected meanwhile, and its entry let go by a prune', async () => {
        vi.setSystemTime(now + HOUR);
        await store!.write([rollup('site:S2', 'app.totalMs', '1h', T0 - 5 * DAY, 4)]);
        now += 26 * HOUR;
        vi.setSystemTime(now);
        await store!.prune(now, { '1m': 400 * DAY, '5m': 400 * DAY, '1h': 400 * DAY });
      }, false],
    ];
    for (const [step, act, tailOnly] of steps) {
      vi.setSystemTime(now);
      await act();
      vi.setSystemTime(now);
      const before = read.rows;
      const kept = await loader.load(DEFAULT_SLOS, now);
      const readNow = read.rows - before;
      const fresh = await loadSliCounter(store, DEFAULT_SLOS, now);
      expect(kept.scopes(), step).toEqual(fresh.scopes());
      expect(evaluateSlos(DEFAULT_SLOS, kept, now), step).toEqual(evaluateSlos(DEFAULT_SLOS, fresh, now));
      if (step === 'first load') fullRead.rows = readNow;
      if (tailOnly) expect(readNow, step).toBeLessThan(fullRead.rows / 20);
    }
    expect(fullRead.rows).toBeGreaterThan(10_000);
  });

  it('reads everything each time from a store that keeps no log of its writes', async () => {
    store = new SqliteRollupStore(':memory:');
    await store.write(rows('1m', T0 - HOUR, T0));
    const { view, read } = counted(store);
    const loader = new SliLoader({ query: view.query });
    await loader.load(DEFAULT_SLOS, T0);
    const first = read.rows;
    await store.write([rollup('site:S1', 'app.totalMs', '1m', T0 - 30 * MIN, 1)]);
    const kept = await loader.load(DEFAULT_SLOS, T0 + MIN);
    expect(read.rows - first).toBe(first);
    expect(evaluateSlos(DEFAULT_SLOS, kept, T0 + MIN)).toEqual(evaluateSlos(DEFAULT_SLOS, await loadSliCounter(store, DEFAULT_SLOS, T0 + MIN), T0 + MIN));
  });
});
