import { describe, expect, it } from 'vitest';
import { encodeValues, sketchBins } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { addHours, dayEnd, decodeDigest, encodeDigest, mergeDays, monthStartOf, type DeviceDay } from './device-digest.ts';
import { deviceHour } from './pack-experience.ts';
import { londonMonth } from './months.ts';

const HOUR = 3_600_000;
const OCT = londonMonth('2026-10'); // starts 30 September 23:00 UTC (BST); the clocks go back on the 25th

const rec = (metric: string, start: number, valid: number, good: number, fast: number, values: number[] = []): RollupRecord => ({
  scope: 'device:D1', metric, resolution: '1h', start, count: values.length, valid, good, fast, sketch: values.length ? encodeValues(values) : new Uint8Array(0),
});

describe('device digests', () => {
  it('adds each hour into its London day: counts, bins and the minutes the pack reckons for that hour', () => {
    const h1 = OCT.from; // 00:00 London, 1 October
    const h2 = OCT.from + 9 * HOUR;
    const rows = [
      rec('wifi.signalDbm', h1, 60, 60, 50), rec('app.totalMs', h1, 300, 290, 280), rec('logon.totalMs', h1, 2, 2, 1, [12_000, 41_000]),
      rec('health.cpuPct', h2, 12, 10, 10), rec('health.memPct', h2, 12, 9, 9), rec('health.bootMs', h2, 1, 1, 1, [35_000]),
    ];
    const days = new Map<number, DeviceDay>();
    addHours(days, rows);
    expect([...days.keys()]).toEqual([OCT.from]);
    const day = days.get(OCT.from)!;
    expect(day.metrics.get('app.totalMs')).toMatchObject({ valid: 300, good: 290, fast: 280 });
    expect([...day.metrics.get('logon.totalMs')!.bins!.values()].reduce((a, b) => a + b, 0)).toBe(2);
    const first = deviceHour({ 'wifi.signalDbm': rows[0], 'app.totalMs': rows[1], 'logon.totalMs': rows[2] });
    const second = deviceHour({ 'health.cpuPct': rows[3] });
    expect(day.active).toBeCloseTo(first.active + second.active, 9);
    expect(day.disrupted).toBeCloseTo(first.disrupted + second.disrupted, 9);
  });

  it('round-trips through its bytes: same counts, the sketches\' own bin values, minutes to a tenth', () => {
    const days = new Map<number, DeviceDay>();
    const values = [900, 12_000, 12_100, 29_999, 41_000, 180_000, 0];
    addHours(days, [rec('logon.totalMs', OCT.from + 30 * HOUR, 7, 7, 4, values), rec('wifi.signalDbm', OCT.from + 30 * HOUR, 60, 58, 41)]);
    // The day the clocks go back is 25 hours long.
    const longDay = OCT.from + 24 * 24 * HOUR + 5 * HOUR;
    addHours(days, [rec('health.diskFreePct', longDay, 12, 0, 0), rec('health.bootMs', longDay, 1, 1, 0, [130_000])]);
    const bytes = encodeDigest(OCT.from, days.values());
    expect(bytes.length).toBeLessThan(80);
    const back = decodeDigest(OCT.from, bytes);
    expect(back.map((d) => d.day)).toEqual([...days.keys()].sort((a, b) => a - b));
    for (const d of back) {
      const original = days.get(d.day)!;
      expect(Math.abs(d.active - original.active)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(d.disrupted - original.disrupted)).toBeLessThanOrEqual(0.05);
      for (const [metric, c] of original.metrics) {
        expect(d.metrics.get(metric)).toMatchObject({ valid: c.valid, good: c.good, fast: c.fast });
        if (c.bins) expect([...d.metrics.get(metric)!.bins!].sort()).toEqual([...c.bins].sort());
      }
    }
    // The bins are the stored sketch's, value for value.
    const logon = back.find((d) => d.metrics.has('logon.totalMs'))!.metrics.get('logon.totalMs')!.bins!;
    const { values: sketchValues } = sketchBins(encodeValues(values));
    expect([...logon.keys()].sort((a, b) => a - b)).toEqual(sketchValues);
    expect(dayEnd(longDay - 5 * HOUR) - (longDay - 5 * HOUR)).toBe(25 * HOUR);
    expect(monthStartOf(longDay)).toBe(OCT.from);
  });

  it('merges digests: counts, bins and minutes add', () => {
    const a = new Map<number, DeviceDay>();
    const b = new Map<number, DeviceDay>();
    addHours(a, [rec('logon.totalMs', OCT.from, 1, 1, 1, [10_000]), rec('health.cpuPct', OCT.from, 12, 12, 12)]);
    addHours(b, [rec('logon.totalMs', OCT.from + HOUR, 2, 2, 1, [10_000, 50_000]), rec('health.cpuPct', OCT.from + HOUR, 12, 6, 6)]);
    mergeDays(a, decodeDigest(OCT.from, encodeDigest(OCT.from, b.values())));
    const day = a.get(OCT.from)!;
    expect(day.metrics.get('health.cpuPct')).toMatchObject({ valid: 24, good: 18 });
    expect([...day.metrics.get('logon.totalMs')!.bins!.values()].sort()).toEqual([1, 2]);
    expect(day.active).toBeCloseTo(120, 6);
  });

  it('refuses bytes it does not know', () => {
    expect(() => decodeDigest(OCT.from, Uint8Array.from([9, 0]))).toThrow(/unknown format/);
    expect(() => decodeDigest(OCT.from, Uint8Array.from([1, 1, 0]))).toThrow(/truncated/);
  });
});

describe('device digests: every day of the months the clocks change', () => {
  it.each(['2026-03', '2026-10', '2026-11'])('%s: each London day comes back as the day it was written for', (month) => {
    const period = londonMonth(month);
    const starts: number[] = [];
    for (let d = period.from; d < period.to; d = dayEnd(d)) starts.push(d);
    const days = starts.map((day): DeviceDay => ({ day, metrics: new Map([['app.totalMs', { valid: 1, good: 1, fast: 1 }]]), active: 1, disrupted: 0 }));
    // Twice: the second decode reads the cached day starts.
    for (let i = 0; i < 2; i++) expect(decodeDigest(period.from, encodeDigest(period.from, days)).map((d) => d.day)).toEqual(starts);
    expect(starts.length).toBe(month === '2026-11' ? 30 : 31);
  });
});
