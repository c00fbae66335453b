import { compareBeforeAfter } from '@wardwatch/evidence';
import { StreamProcessor } from '@wardwatch/processor';
import { mergeRollups } from '@wardwatch/sketch';
import { buildEstate, Simulator } from '@wardwatch/simulator';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { describe, expect, it } from 'vitest';
import { DemoHistory, demoStory } from './demo-history.ts';
import { demoLogonChanges, historyStart, resumeDemoHistory, startDemoHistory } from './demo-history-writer.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T11:00:00Z');
const small = buildEstate({ seed: 5, sites: 3, wardsPerSite: 2, devicesPerWard: 4, apsPerWard: 1 });
const kindOf = (scope: string) => scope.slice(0, scope.indexOf(':'));

/** The 1h rollups the processor makes of one simulated hour. */
function processedHour(start: number, config?: ConstructorParameters<typeof StreamProcessor>[0]): RollupRecord[] {
  const processor = new StreamProcessor(config);
  for (const event of new Simulator({ estate: small, seed: 5 }).generate(start, start + HOUR)) processor.add(event);
  return processor.flush().rollups.filter((r) => r.resolution === '1h' && r.start === start);
}

// The history's templates come from simulated minutes run through the processor: seconds on a busy
// machine, hence the longer timeout.
describe('demo history', { timeout: 120_000 }, () => {
  it('has the scope keys and metrics of processed hourly rollups, at the same counts and medians', () => {
    const processed = processedHour(Date.parse('2026-02-10T10:00:00Z'));
    const history = new DemoHistory({ estate: small, seed: 5, from: 0, to: 0, scopeKinds: ['site', 'siteapp', 'ward', 'ap', 'device'], metrics: ['*'] });
    const hour = history.hours(Date.parse('2026-10-06T10:00:00Z'), Date.parse('2026-10-06T11:00:00Z'));
    // Every scope kind with the metrics the processor keeps for it.
    const metricsByKind = (rows: RollupRecord[]) => {
      const by = new Map<string, Set<string>>();
      for (const r of rows) by.set(kindOf(r.scope), (by.get(kindOf(r.scope)) ?? new Set()).add(r.metric));
      return Object.fromEntries([...by].map(([k, v]) => [k, [...v].sort()]));
    };
    expect(metricsByKind(hour)).toEqual(metricsByKind(processed));
    // The same scopes, for the measurements every scope has each hour.
    const keys = (rows: RollupRecord[], metric: string) => rows.filter((r) => r.metric === metric).map((r) => r.scope).sort();
    expect(keys(hour, 'app.totalMs')).toEqual(keys(processed, 'app.totalMs'));
    expect(keys(hour, 'wifi.signalDbm')).toEqual(keys(processed, 'wifi.signalDbm'));
    expect(keys(hour, 'logon.totalMs').filter((k) => !k.startsWith('device:'))).toEqual(keys(processed, 'logon.totalMs').filter((k) => !k.startsWith('device:')));
    // Application checks come on a cadence: the same count an hour; the same distribution within the wobble.
    // (a site's hour has thousands of checks; a ward's or a site application's a few hundred, and the
    // templates come from ten sampled minutes: their medians are looser).
    for (const [scope, within] of [['site:RXX01', 0.1], ['siteapp:RXX02/pacs', 0.25], ['ward:RXX03/W02', 0.25]] as const) {
      const h = mergeRollups(hour.filter((r) => r.scope === scope && r.metric === 'app.totalMs'));
      const p = mergeRollups(processed.filter((r) => r.scope === scope && r.metric === 'app.totalMs'));
      expect(h.valid).toBe(p.valid);
      expect(Math.abs(Math.log(h.quantile(0.5)! / p.quantile(0.5)!))).toBeLessThan(Math.log(1 + within));
      expect(h.fast / h.valid).toBeCloseTo(p.fast / p.valid, 1);
    }
  });

  it('keeps device scopes only at the resolutions the processor keeps them at', () => {
    const config = { deviceResolutions: ['1m'] as const };
    const processed = processedHour(Date.parse('2026-02-10T10:00:00Z'), config);
    const history = new DemoHistory({ estate: small, seed: 5, from: 0, to: 0, scopeKinds: ['site', 'device'], metrics: ['*'], processor: config });
    const hour = history.hours(Date.parse('2026-10-06T10:00:00Z'), Date.parse('2026-10-06T11:00:00Z'));
    expect(processed.some((r) => r.scope.startsWith('device:'))).toBe(false);
    expect(hour.some((r) => r.scope.startsWith('device:'))).toBe(false);
    expect(hour.some((r) => r.scope.startsWith('site:'))).toBe(true);
  });

  it('is deterministic, however the span is split, and follows the clinical day', () => {
    const a = new DemoHistory({ estate: small, seed: 5, from: 0, to: 0 });
    const b = new DemoHistory({ estate: small, seed: 5, from: 0, to: 0 });
    const from = Date.parse('2026-10-06T00:00:00Z');
    expect(a.hours(from, from + DAY)).toEqual([...b.hours(from + 12 * HOUR, from + DAY), ...b.hours(from, from + 12 * HOUR)].sort((x, y) => x.start - y.start));
    const logons = (h: number) => a.hours(from + h * HOUR, from + (h + 1) * HOUR).filter((r) => r.metric === 'logon.totalMs').reduce((n, r) => n + r.valid, 0);
    expect(logons(7)).toBeGreaterThan(2 * logons(12)); // shift change
    expect(logons(12)).toBeGreaterThan(2 * logons(3)); // night
  });

  describe('the demo story', () => {
    const estate = buildEstate({ seed: 42, sites: 6 });
    const story = demoStory(estate, NOW);
    const [sso] = story.changes;
    const [maintenance] = story.maintenance;
    const history = new DemoHistory({ estate, seed: 42, from: 0, to: 0, changes: story.changes, maintenance: story.maintenance });
    const from = sso!.at - sso!.at % DAY - 30 * DAY;
    const rows = history.hours(from, from + 62 * DAY);

    it('records the SSO roll-out about six weeks ago and a maintenance window as annotations', () => {
      expect(sso!.site).toBe('RXX03');
      expect((NOW - sso!.at) / DAY).toBeGreaterThan(40);
      expect((NOW - sso!.at) / DAY).toBeLessThan(44);
      expect(story.annotations.map((a) => [a.kind, a.scope, a.start])).toEqual([
        ['change', 'site:RXX03', sso!.at],
        ['maintenance', 'site:RXX01', maintenance!.from],
      ]);
    });

    it('before and after finds the SSO improvement at its site', () => {
      const result = compareBeforeAfter({ scope: 'site:RXX03', at: sso!.at }, rows);
      const p50 = result.figures.find((f) => f.figure === 'logon.p50')!;
      expect(p50.direction, p50.summary).toBe('better');
      expect(p50.relativeChange!).toBeLessThan(-0.5);
      expect(result.figures.find((f) => f.figure === 'logon.overTarget')!.direction).toBe('better');
      expect(result.figures.find((f) => f.figure === 'app.p95')!.significant).toBe(false);
    });

    it.each(['site:RXX02', 'site:RXX05', 'site:RXX06'])('and no change at %s, where none was made', (scope) => {
      const result = compareBeforeAfter({ scope, at: sso!.at }, rows);
      expect(result.figures).toHaveLength(5);
      expect(result.figures.filter((f) => f.significant).map((f) => f.summary)).toEqual([]);
    });

    it("takes the maintenance site's applications down in its window, and only there", () => {
      const site = (scope: string, at: number) => rows.find((r) => r.scope === scope && r.metric === 'app.totalMs' && r.start === at)!;
      const inWindow = site('site:RXX01', maintenance!.from);
      expect(inWindow).toMatchObject({ count: 0, good: 0, fast: 0 });
      expect(inWindow.valid).toBeGreaterThan(0);
      expect(site('siteapp:RXX01/epr', maintenance!.from).good).toBe(0);
      expect(site('site:RXX02', maintenance!.from).good).toBeGreaterThan(0);
      expect(site('site:RXX01', maintenance!.to).good).toBeGreaterThan(0);
    });
  });

  it('is written newest day first with its annotations, and stops when asked', async () => {
    const store = new SqliteRollupStore(':memory:');
    const to = Date.parse('2026-11-02T10:30:00Z');
    // London's months, as the evidence pack's: November from 00:00 GMT; September from 23:00 UTC on 31 August (BST).
    expect(new Date(historyStart(to, 0)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(historyStart(to, 2)).toISOString()).toBe('2026-08-31T23:00:00.000Z');
    const run = startDemoHistory({ store, estate: small, seed: 5, to, months: 0, now: () => NOW });
    const { rows, days } = await run.done;
    expect(days).toBe(2);
    const written = await store.query({ scope: 'site:*', resolution: '1h', from: 0, to: NOW });
    expect(written.length + (await store.query({ scope: 'siteapp:*', resolution: '1h', from: 0, to: NOW })).length).toBe(rows);
    expect(Math.min(...written.map((r) => r.start))).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(Math.max(...written.map((r) => r.start))).toBe(Date.parse('2026-11-02T09:00:00Z'));
    expect((await store.annotations()).map((a) => a.kind)).toEqual(['change', 'maintenance']);

    // Live data goes on with the SSO the history recorded, also after a restart days later.
    const recorded = await demoLogonChanges(store, small, to + 5 * DAY, false);
    expect(recorded).toEqual(demoStory(small, to - (to % HOUR)).changes);
    expect(await demoLogonChanges(new SqliteRollupStore(':memory:'), small, to, false)).toEqual([]);
    expect(await demoLogonChanges(new SqliteRollupStore(':memory:'), small, to, true)).toEqual(demoStory(small, to - (to % HOUR)).changes);

    const stopped = startDemoHistory({ store: new SqliteRollupStore(':memory:'), estate: small, seed: 5, to, months: 3, now: () => NOW });
    await stopped.stop();
    expect((await stopped.done).days).toBeLessThan(5);
    await store.close();
  });

  describe('stopped part-way, finished by the next start', () => {
    const to = Date.parse('2026-11-02T10:30:00Z');
    /** A store that calls `afterWrite` once each write is stored (to stop a run after a given day). */
    class WatchedStore extends SqliteRollupStore {
      afterWrite: (rowsWritten: number) => void = () => {};
      override async write(...args: Parameters<SqliteRollupStore['write']>): Promise<void> {
        await super.write(...args);
        this.afterWrite(args[0].length);
      }
    }
    const rowsOf = async (store: SqliteRollupStore) =>
      [...(await store.query({ scope: 'site:*', resolution: '1h', from: 0, to: NOW })), ...(await store.query({ scope: 'siteapp:*', resolution: '1h', from: 0, to: NOW }))]
        .map((r) => JSON.stringify({ ...r, sketch: [...r.sketch] }))
        .sort();

    it.each([
      ['after its first day', 1],
      ['before its first day', 0],
    ])('%s: the rest is written on restart, the same rows as a run never stopped, the annotations once', async (_, daysBeforeStop) => {
      const whole = new SqliteRollupStore(':memory:');
      expect((await startDemoHistory({ store: whole, estate: small, seed: 5, to, months: 0, now: () => NOW }).done).days).toBe(2);

      const store = new WatchedStore(':memory:');
      let days = 0;
      const first = startDemoHistory({ store, estate: small, seed: 5, to, months: 0, now: () => NOW });
      if (daysBeforeStop === 0) await first.stop();
      store.afterWrite = (rows) => {
        if (rows > 0 && ++days === daysBeforeStop) void first.stop();
      };
      expect((await first.done).days).toBe(daysBeforeStop);
      expect((await rowsOf(store)).length).toBeLessThan((await rowsOf(whole)).length);

      const rest = await resumeDemoHistory({ store, estate: small, seed: 5, now: () => NOW });
      expect(rest).toBeDefined();
      expect((await rest!.done).days).toBe(2 - daysBeforeStop);
      expect(await rowsOf(store)).toEqual(await rowsOf(whole));
      expect((await store.annotations()).map((a) => a.id)).toEqual((await whole.annotations()).map((a) => a.id));
      // Finished: nothing left for a later start.
      expect(await resumeDemoHistory({ store, estate: small, seed: 5, now: () => NOW })).toBeUndefined();
      await store.close();
      await whole.close();
    });

    it('a store with no history begun has none to finish', async () => {
      const store = new SqliteRollupStore(':memory:');
      expect(await resumeDemoHistory({ store, estate: small, seed: 5, now: () => NOW })).toBeUndefined();
      await store.close();
    });
  });
});
