import { encodeValues, mergeRollups } from '@wardwatch/sketch';
import { mulberry32 } from '@wardwatch/simulator';
import type { RollupRecord } from '@wardwatch/store';
import { describe, expect, it } from 'vitest';
import { compareBeforeAfter, type BeforeAfterFigureName } from './before-after.ts';
import { addDays, londonDate } from './before-after-days.ts';
import { dayRecord, foldDayRows } from './site-days.ts';

const HOUR = 3_600_000;
const CHANGE = Date.parse('2026-09-14T09:00:00Z');

interface Regime {
  /** Median logon (ms) and its spread (log-normal sigma). */
  logonMs: number;
  /** Median app response (ms). */
  appMs: number;
  /** App checks that fail. */
  failRate: number;
}

/**
 * Hourly rollups of one site for 9 weeks around the change, log-normal values with a day-to-day
 * wobble (a busy day, a slow server), `before` up to the change day and `after` from the next.
 */
function history(seed: number, before: Regime, after: Regime, scope = 'site:RXX03'): RollupRecord[] {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const changeDay = londonDate(CHANGE);
  const from = addDays(changeDay, -31).start;
  const to = addDays(changeDay, 32).start;
  const records: RollupRecord[] = [];
  let dayFactor = 1;
  for (let start = from; start < to; start += HOUR) {
    const day = londonDate(start).day;
    if (londonDate(start - HOUR).day !== day) dayFactor = Math.exp(0.08 * normal());
    const regime = day < changeDay.day ? before : after;
    const logons: number[] = [];
    let fastLogons = 0;
    for (let i = 0; i < 12; i++) {
      const v = regime.logonMs * dayFactor * Math.exp(0.5 * normal());
      logons.push(v);
      if (v <= 30_000) fastLogons++;
    }
    records.push({ scope, metric: 'logon.totalMs', resolution: '1h', start, count: 12, valid: 12, good: 12, fast: fastLogons, sketch: encodeValues(logons) });
    const apps: number[] = [];
    let fastApps = 0;
    let ok = 0;
    for (let i = 0; i < 60; i++) {
      if (random() < regime.failRate) continue;
      ok++;
      const v = regime.appMs * dayFactor * Math.exp(0.4 * normal());
      apps.push(v);
      if (v <= 2000) fastApps++;
    }
    records.push({ scope, metric: 'app.totalMs', resolution: '1h', start, count: apps.length, valid: 60, good: ok, fast: fastApps, sketch: encodeValues(apps) });
  }
  return records;
}

const BASE: Regime = { logonMs: 38_000, appMs: 900, failRate: 0.01 };

// Each case draws 9 weeks of hourly sketches and resamples them thousands of times: seconds on a
// busy machine, hence the longer timeouts.
describe('compareBeforeAfter', { timeout: 60_000 }, () => {
  const cases: Array<{ name: string; after: Regime; expect: Partial<Record<BeforeAfterFigureName, 'better' | 'worse' | 'no clear change'>> }> = [
    {
      name: 'SSO: logons halve, applications unchanged',
      after: { ...BASE, logonMs: 16_000 },
      expect: { 'logon.p50': 'better', 'logon.p95': 'better', 'logon.overTarget': 'better' },
    },
    {
      name: 'a slower application server',
      after: { ...BASE, appMs: 1400 },
      expect: { 'app.p95': 'worse' },
    },
    {
      name: 'availability falls from 99 % to 95 %',
      after: { ...BASE, failRate: 0.05 },
      expect: { 'app.availability': 'worse' },
    },
  ];
  for (const c of cases) {
    it(`finds the change: ${c.name}`, () => {
      const result = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, history(7, BASE, c.after));
      for (const [figure, direction] of Object.entries(c.expect)) {
        const f = result.figures.find((x) => x.figure === figure)!;
        expect(f.direction, f.summary).toBe(direction);
        expect(f.significant).toBe(true);
        // The interval brackets the change it was computed for.
        expect(f.interval![0]).toBeLessThanOrEqual(f.change!);
        expect(f.interval![1]).toBeGreaterThanOrEqual(f.change!);
      }
      expect(result.summary).toContain('2026-09-14');
    });
  }

  it('puts a size on an improvement: logon median down by about the simulated 58 %', () => {
    const result = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, history(11, BASE, { ...BASE, logonMs: 16_000 }));
    const p50 = result.figures.find((f) => f.figure === 'logon.p50')!;
    expect(p50.relativeChange!).toBeGreaterThan(-0.65);
    expect(p50.relativeChange!).toBeLessThan(-0.5);
    expect(p50.summary).toMatch(/^Logon time, median fell from \d+\.\d s to \d+\.\d s/);
    expect(p50.summary).toContain('better');
  });

  it('claims no change on noise at the chosen level: at most 1 in 10 comparisons over 12 seeds', () => {
    let claims = 0;
    let comparisons = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const result = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, history(seed * 101, BASE, BASE), { resamples: 1000 });
      expect(result.figures).toHaveLength(5);
      for (const f of result.figures) {
        comparisons++;
        if (f.significant) claims++;
      }
    }
    expect(comparisons).toBe(60);
    expect(claims).toBeLessThanOrEqual(6);
  }, 180_000);

  it('reads the same figures as merged sketches over the whole window', () => {
    const records = history(3, BASE, { ...BASE, logonMs: 20_000 });
    const result = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, records);
    const inBefore = records.filter((r) => r.metric === 'logon.totalMs' && r.start >= result.before.from && r.start < result.before.to);
    const merged = mergeRollups(inBefore);
    const p95 = result.figures.find((f) => f.figure === 'logon.p95')!;
    expect(p95.before).toBe(merged.quantile(0.95));
    expect(result.figures.find((f) => f.figure === 'logon.overTarget')!.before).toBeCloseTo((merged.valid - merged.fast) / merged.valid, 12);
  });

  it('leaves out the change day, other scopes, other resolutions and excluded windows', () => {
    const records = history(5, BASE, BASE);
    const day = londonDate(CHANGE);
    const huge = encodeValues(Array(500).fill(600_000));
    const noise: RollupRecord[] = [
      { scope: 'site:RXX03', metric: 'logon.totalMs', resolution: '1h', start: day.start + 10 * HOUR, count: 500, valid: 500, good: 500, fast: 0, sketch: huge },
      { scope: 'site:OTHER', metric: 'logon.totalMs', resolution: '1h', start: day.start + 30 * HOUR, count: 500, valid: 500, good: 500, fast: 0, sketch: huge },
      { scope: 'site:RXX03', metric: 'logon.totalMs', resolution: '5m', start: day.start + 30 * HOUR, count: 500, valid: 500, good: 500, fast: 0, sketch: huge },
    ];
    const maintenance = { from: day.start + 50 * HOUR, to: day.start + 52 * HOUR };
    noise.push({ scope: 'site:RXX03', metric: 'logon.totalMs', resolution: '1h', start: maintenance.from, count: 500, valid: 500, good: 500, fast: 0, sketch: huge });
    const plain = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, records, { exclude: [maintenance] });
    const noisy = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, [...records, ...noise], { exclude: [maintenance] });
    // The maintenance hour replaced nothing: the history has its own row there, which is excluded too.
    const withoutExcluded = records.filter((r) => !(r.start >= maintenance.from && r.start < maintenance.to));
    expect(noisy.figures).toEqual(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, withoutExcluded).figures);
    expect(noisy.figures).toEqual(plain.figures);
  });

  it('windows are whole London days either side of the change day, 4 weeks by default', () => {
    const result = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, history(5, BASE, BASE));
    expect(new Date(result.before.from).toISOString()).toBe('2026-08-16T23:00:00.000Z');
    expect(new Date(result.before.to).toISOString()).toBe('2026-09-13T23:00:00.000Z');
    expect(new Date(result.after.from).toISOString()).toBe('2026-09-14T23:00:00.000Z');
    expect(new Date(result.after.to).toISOString()).toBe('2026-10-12T23:00:00.000Z');
    expect(result.figures[0]!.unitsBefore).toBe(28);
    expect(result.figures[0]!.unitsAfter).toBe(28);
    const two = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, history(5, BASE, BASE), { weeks: 2, unit: 'hour' });
    expect(two.figures[0]!.unitsBefore).toBe(14 * 24);
  });

  it('gives the same interval for the same seed, and says when there is too little data', () => {
    const records = history(9, BASE, { ...BASE, logonMs: 30_000 });
    const a = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, records, { seed: 4 });
    const b = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, records, { seed: 4 });
    expect(a).toEqual(b);
    const day = londonDate(CHANGE);
    const sparse = records.filter((r) => r.start < addDays(day, 3).start);
    const thin = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, sparse);
    const p50 = thin.figures.find((f) => f.figure === 'logon.p50')!;
    expect(p50.direction).toBe('not enough data');
    expect(p50.interval).toBeNull();
    expect(p50.summary).toContain('too few days');
    expect(compareBeforeAfter({ scope: 'site:NONE', at: CHANGE }, records).summary).toMatch(/^No logon or application data/);
  });

  it('rejects bad options by name', () => {
    expect(() => compareBeforeAfter({ scope: 's', at: CHANGE }, [], { weeks: 0 })).toThrow(/weeks/);
    expect(() => compareBeforeAfter({ scope: 's', at: CHANGE }, [], { confidence: 95 })).toThrow(/confidence/);
  });
});

describe('London days', () => {
  it.each([
    ['2026-09-14T09:00:00Z', '2026-09-14', '2026-09-13T23:00:00.000Z'],
    ['2026-09-13T23:30:00Z', '2026-09-14', '2026-09-13T23:00:00.000Z'],
    ['2026-12-01T00:30:00Z', '2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-03-29T12:00:00Z', '2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['2026-10-25T12:00:00Z', '2026-10-25', '2026-10-24T23:00:00.000Z'],
  ])('%s is on %s, which starts at %s', (at, iso, start) => {
    const d = londonDate(Date.parse(at));
    expect(d.iso).toBe(iso);
    expect(new Date(d.start).toISOString()).toBe(start);
  });

  it('the days the clocks change are 23 and 25 hours long', () => {
    const spring = londonDate(Date.parse('2026-03-29T12:00:00Z'));
    const autumn = londonDate(Date.parse('2026-10-25T12:00:00Z'));
    expect(addDays(spring, 1).start - spring.start).toBe(23 * HOUR);
    expect(addDays(autumn, 1).start - autumn.start).toBe(25 * HOUR);
  });
});

describe('compareBeforeAfter from the day tier', () => {
  const SSO: Regime = { logonMs: 20_000, appMs: 900, failRate: 0.01 };
  /** The hourly rows folded as the processors fold them: a row per scope, metric and London day. */
  const byDay = (rows: RollupRecord[]) => foldDayRows(rows).map(dayRecord).sort((a, b) => a.start - b.start || a.metric.localeCompare(b.metric));

  it('gives the same result from day rows as from the hours they fold, in any order', () => {
    const hours = history(21, BASE, SSO);
    const fromHours = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, hours);
    const days = byDay(hours);
    expect(days.length).toBeLessThan(hours.length / 20);
    expect(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, days)).toEqual(fromHours);
    expect(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, [...days].reverse())).toEqual(fromHours);
    expect(fromHours.figures.find((f) => f.figure === 'logon.p50')!.direction).toBe('better');
  });

  it('leaves out a whole day row that a maintenance window touches, and day rows when comparing by hour', () => {
    const hours = history(22, BASE, SSO);
    const days = byDay(hours);
    const window = { from: CHANGE - 3 * 86_400_000, to: CHANGE - 3 * 86_400_000 + HOUR };
    const fromDays = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, days, { exclude: [window] });
    const whole = londonDate(window.from).start;
    const dayGone = hours.filter((r) => londonDate(r.start).start !== whole);
    expect(fromDays).toEqual(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, dayGone));
    const unitsBefore = fromDays.figures.find((f) => f.figure === 'logon.p50')!.unitsBefore;
    expect(unitsBefore).toBe(27);
    const hourly = compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, days, { unit: 'hour' });
    expect(hourly.figures).toEqual([]);
    // A month's row (a ward's days pruned) is no day: left out, not read as one.
    const month = { ...days[0]!, start: days[0]!.start, end: days[0]!.start + 30 * 86_400_000, valid: 1e6, good: 0 };
    expect(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, [...days, month])).toEqual(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, days));
    expect(compareBeforeAfter({ scope: 'site:RXX03', at: CHANGE }, hours, { unit: 'hour', resamples: 100 }).figures.length).toBe(5);
  });
});
