import { describe, expect, it } from 'vitest';
import { latest, pointTime, timeTicks, valueText } from './chart-format.ts';

// Times are written in the browser's zone; the tests fix it to UTC.
process.env.TZ = 'UTC';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('timeTicks', () => {
  it('writes 24-hour times, dating the first tick of each day, within two days', () => {
    const ticks = [at('2026-11-30T20:00:00Z'), at('2026-11-30T22:00:00Z'), at('2026-12-01T00:00:00Z'), at('2026-12-01T14:00:00Z')];
    expect(timeTicks(ticks, 86_400)).toEqual(['20:00\n30 Nov', '22:00', '00:00\n1 Dec', '14:00']);
  });

  it('writes en-GB dates for longer spans', () => {
    expect(timeTicks([at('2026-11-01T12:00:00Z'), at('2026-11-08T12:00:00Z')], 30 * 86_400)).toEqual(['1 Nov', '8 Nov']);
  });
});

describe('pointTime and valueText', () => {
  it('dates a point day first, with a 24-hour time', () => {
    expect(pointTime(at('2026-11-30T08:45:00Z'))).toBe('30/11/2026, 08:45');
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
