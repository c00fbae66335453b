import { describe, expect, it } from 'vitest';
import { latest, latestWindowText, monthTicks, noChartText, pointMonth, pointStep, pointTime, timeTicks, valueRange, valueText } from './chart-format.ts';

// Times are written in UK time whatever the zone the code runs in: these run in India's (UTC+5:30),
// where a time left to the runtime's zone would come out at half past.
process.env.TZ = 'Asia/Kolkata';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('monthTicks and pointMonth', () => {
  const month = (y: number, m: number) => Date.UTC(y, m - 1, 1) / 1000;
  it('names each month, the year under the first and under January', () => {
    expect(monthTicks([month(2025, 11), month(2025, 12), month(2026, 1), month(2026, 2)])).toEqual(['Nov\n2025', 'Dec', 'Jan\n2026', 'Feb']);
  });
  it('reads a summer month in UK time as the same month (midnight UTC is 01:00 BST)', () => {
    expect(monthTicks([month(2026, 7), month(2026, 8)])).toEqual(['Jul\n2026', 'Aug']);
    expect(pointMonth(month(2026, 8))).toBe('August 2026');
  });
});

describe('timeTicks', () => {
  it('writes 24-hour times, dating the first tick of each day, within two days', () => {
    const ticks = [at('2026-11-30T20:00:00Z'), at('2026-11-30T22:00:00Z'), at('2026-12-01T00:00:00Z'), at('2026-12-01T14:00:00Z')];
    expect(timeTicks(ticks, 86_400)).toEqual(['20:00\n30 Nov', '22:00', '00:00\n1 Dec', '14:00']);
  });

  it('writes UK times across the clocks going back (the hour 01:00 twice) and in summer time', () => {
    const ticks = ['2026-10-24T22:00:00Z', '2026-10-24T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', '2026-10-25T02:00:00Z'].map(at);
    expect(timeTicks(ticks, 86_400)).toEqual(['23:00\n24 Oct', '00:00\n25 Oct', '01:00', '01:00', '02:00']);
    // Forward in spring: 01:00 GMT is 02:00 BST, and no tick says 01:00.
    expect(timeTicks(['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z'].map(at), 86_400)).toEqual(['00:00\n29 Mar', '02:00', '03:00']);
    // A UK day, not the runtime's: 23:30 UTC on 30 June is 1 July in the UK (and in India).
    expect(timeTicks([at('2026-06-30T22:30:00Z'), at('2026-06-30T23:30:00Z')], 86_400)).toEqual(['23:30\n30 Jun', '00:30\n1 Jul']);
  });

  it('writes en-GB dates for longer spans', () => {
    expect(timeTicks([at('2026-11-01T12:00:00Z'), at('2026-11-08T12:00:00Z')], 30 * 86_400)).toEqual(['1 Nov', '8 Nov']);
  });
});

describe('pointTime and valueText', () => {
  it('dates a point day first, with a 24-hour time', () => {
    expect(pointTime(at('2026-11-30T08:45:00Z'))).toBe('30/11/2026, 08:45');
    // UK summer time, and the evening before in India's terms.
    expect(pointTime(at('2026-07-01T12:00:00Z'))).toBe('01/07/2026, 13:00');
    expect(pointTime(at('2026-10-25T01:30:00Z'))).toBe('25/10/2026, 01:30');
    expect(pointTime(at('2026-10-25T00:30:00Z'))).toBe('25/10/2026, 01:30');
  });

  it.each<[number | null, string, number, string]>([
    [1.2345, 's', 2, '1.23 s'],
    [99.5, '%', 1, '99.5 %'],
    [12, ' h', 1, '12.0 h'],
    [null, 's', 2, '–'],
    [Number.NaN, 's', 2, '–'],
  ])('%s %s → %s', (v, unit, decimals, text) => expect(valueText(v, unit, decimals)).toBe(text));
});

describe('latest', () => {
  it('skips trailing gaps', () => {
    expect(latest([1, 2, 3, 4], [5, 6, null, null])).toEqual({ t: 2, value: 6 });
    expect(latest([1, 2], [null, null])).toBeUndefined();
  });
});

describe('valueRange', () => {
  const share = { zero: false, minSpan: 1, ceiling: 100 };
  it.each<[string, number | null, number | null, number[], Parameters<typeof valueRange>[3], [number, number]]>([
    ['from zero: the values, a twentieth of room above', 0.2, 4.8, [], { zero: true }, [0, 5.04]],
    ['from zero: a target above every value stays in view, with room for its label', 0.2, 1.1, [2], { zero: true }, [0, 2.3]],
    ['from zero: below zero kept', -100, 40, [], { zero: true }, [-100, 42]],
    ['from zero: all gaps', null, null, [2], { zero: true }, [0, 2.3]],
    ['a share: 97 % against a 99.5 % objective fills the axis, not its top thirtieth', 97, 100, [99.5], share, [96.7, 100]],
    ['a share: a flat 100 % is at least a point tall, under the ceiling', 100, 100, [99.5], share, [98.9, 100]],
    ['a share: far below the objective, never below zero', 2, 60, [99.5], share, [0, 100]],
    ['a share: all gaps, the objective alone, a point tall', null, null, [99.5], share, [98.5, 99.6]],
    ['no ceiling: padded both ways', 10, 20, [], { zero: false }, [9, 21]],
    ['nothing at all', null, null, [], share, [0, 100]],
  ])('%s', (_, min, max, targets, axis, expected) => {
    const [lo, hi] = valueRange(min, max, targets, axis);
    expect([Number(lo.toFixed(6)), Number(hi.toFixed(6))]).toEqual(expected);
    // Every value and target is on the axis.
    for (const v of [min, max, ...targets]) if (v !== null) expect(v >= lo && v <= hi).toBe(true);
  });

  it.each<[string, number, number, [number, number]]>([
    ['an overspent budget runs off an axis that stops at the floor', -1398.5, 82.9, [-100, 87.045]],
    ['above the floor, the axis is as without one', -40, 82.9, [-40, 87.045]],
  ])('a floor: %s', (_, min, max, expected) => {
    const [lo, hi] = valueRange(min, max, [0], { zero: true, floor: -100 });
    expect([Number(lo.toFixed(6)), Number(hi.toFixed(6))]).toEqual(expected);
  });
});

describe('noChartText', () => {
  it.each<[ 'ward' | 'device', number, number, string]>([
    ['ward', 6, 1, 'Not enough history stored in this range to draw.'],
    ['device', 6, 1, 'Not enough history stored in this range to draw (devices are kept by the hour: choose 24 h or more).'],
    // On 24 h the advice to choose 24 h would point at the button already pressed.
    ['device', 24, 1, 'Devices are kept by the hour, and a chart needs two hours: only one is stored for this device in this range so far.'],
    ['device', 720, 0, 'Devices are kept by the hour, and a chart needs two hours: none is stored for this device in this range so far.'],
  ])('%s over %d h with %d points', (scope, hours, points, text) => {
    expect(noChartText(scope, hours, points)).toBe(text);
  });
});

describe('the latest point’s window', () => {
  it.each<[number[], number | undefined]>([
    [[], undefined],
    [[600], undefined],
    [[600, 660, 720], 60],
    // A gap in the data (60 → 1860) is wider than the points' step.
    [[0, 60, 1860, 1920], 60],
    [[0, 300, 600], 300],
    [[0, 3600, 7200, 18000], 3600],
  ])('the step of %j is %s s', (t, step) => {
    expect(pointStep(t)).toBe(step);
  });

  it.each<[string, number | undefined, string]>([
    ['2026-11-30T14:05:00Z', 60, 'latest 1 min: 30/11/2026, 14:05–14:06'],
    ['2026-11-30T14:25:00Z', 300, 'latest 5 min: 30/11/2026, 14:25–14:30'],
    ['2026-07-01T12:00:00Z', 3600, 'latest 1 h: 01/07/2026, 13:00–14:00'],
    ['2026-11-29T00:00:00Z', 86_400, 'latest 24 h: 29/11/2026, 00:00–30/11/2026, 00:00'],
    ['2026-11-30T14:05:00Z', undefined, 'latest at 30/11/2026, 14:05'],
  ])('%s, step %s → %s', (start, step, text) => {
    expect(latestWindowText(Date.parse(start) / 1000, step)).toBe(text);
  });
});
