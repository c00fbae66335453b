import { describe, expect, it } from 'vitest';
import { encodeValues, sketchBins } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { addHours, dayEnd, decodeDigest, encodeDigest, mergeDays, monthStartOf, walkDigest, type DeviceDay } from './device-digest.ts';
import { encodeFormat1 } from './digest-format-1.ts';
import { encodeFormat2 } from './digest-format-2.ts';
import type { DigestVisitor } from './digest-bytes.ts';
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
    expect(() => decodeDigest(OCT.from, Uint8Array.from([2, 1, 1]))).toThrow(/truncated/);
    // A bin block whose bits never end.
    expect(() => decodeDigest(OCT.from, Uint8Array.from([2, 1, 32, 0, 0, 4, 0, 0]))).toThrow(/truncated/);
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

/** Every call a walk makes, in order, as text: what a reader of the digest sees. */
function calls(month: number, bytes: Uint8Array): string[] {
  const out: string[] = [];
  const visitor: DigestVisitor = {
    day: (start) => (out.push(`day ${start}`), true),
    counts: (m, valid, good, fast) => void out.push(`counts ${m} ${valid} ${good} ${fast}`),
    bin: (m, value, n) => void out.push(`bin ${m} ${value} ${n}`),
    minutes: (active, disrupted) => void out.push(`minutes ${active} ${disrupted}`),
  };
  walkDigest(month, bytes, visitor);
  return out;
}

/** A month of a device's days drawn from a seeded generator: gaps, days off, busy days, long tails. */
function drawnMonth(seed: number, month = OCT): DeviceDay[] {
  let s = seed;
  const r = () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const days = new Map<number, DeviceDay>();
  for (let d = month.from; d < month.to; d = dayEnd(d)) {
    if (r() < 0.15) continue; // a day the device was off
    const rows: RollupRecord[] = [];
    const hours = r() < 0.2 ? 3 : 24;
    for (let h = 0; h < hours; h++) {
      const start = d + h * HOUR;
      const checks = Math.floor(r() * 300);
      rows.push(rec('app.totalMs', start, checks, checks - (r() < 0.1 ? 1 : 0), Math.floor(checks * 0.9)));
      rows.push(rec('wifi.signalDbm', start, 60, 60, 40 + Math.floor(r() * 20)));
      if (r() < 0.9) rows.push(rec('health.cpuPct', start, 12, 12 - Math.floor(r() * 3), 10));
      if (r() < 0.4) {
        const logons = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.round(5_000 + 60_000 * r() ** 2));
        rows.push(rec('logon.totalMs', start, logons.length, logons.length, logons.filter((v) => v <= 30_000).length, logons));
      }
      if (h === 7) rows.push(rec('health.bootMs', start, 1, 1, 1, [Math.round(20_000 + 400_000 * r() ** 3)]));
    }
    addHours(days, rows);
  }
  return [...days.values()];
}

describe('device digests: the stored formats', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: format 2 reads back exactly what format 1 does, and each format rewrites its own bytes exactly', (seed) => {
    const days = drawnMonth(seed);
    const one = encodeFormat1(OCT.from, days);
    const two = encodeFormat2(OCT.from, days);
    expect(one[0]).toBe(1);
    expect(two[0]).toBe(2);
    expect(calls(OCT.from, two)).toEqual(calls(OCT.from, one));
    // Byte-exact: the days read back write the same bytes, in either format.
    expect(encodeFormat1(OCT.from, decodeDigest(OCT.from, one))).toEqual(one);
    expect(encodeFormat2(OCT.from, decodeDigest(OCT.from, two))).toEqual(two);
    expect(encodeFormat2(OCT.from, decodeDigest(OCT.from, one))).toEqual(two);
    expect(two.length).toBeLessThan(one.length);
  });

  it('encodeDigest writes format 2, and a merge into a format-1 digest rewrites it as format 2 with the same figures', () => {
    const a = drawnMonth(11);
    const b = drawnMonth(12);
    expect(encodeDigest(OCT.from, a)[0]).toBe(2);
    const merged = (stored: Uint8Array) => {
      const all = new Map(decodeDigest(OCT.from, stored).map((d) => [d.day, d]));
      mergeDays(all, b);
      return encodeDigest(OCT.from, all.values());
    };
    expect(merged(encodeFormat1(OCT.from, a))).toEqual(merged(encodeFormat2(OCT.from, a)));
  });

  it('keeps steps between keys of any size, large counts, negative changes and the zero bin', () => {
    const day = (d: number, bins: [number, number][], valid: number, active: number): DeviceDay => ({
      day: d,
      metrics: new Map([
        ['app.totalMs', { valid, good: valid - 3, fast: 0 }],
        ['logon.totalMs', { valid: 9, good: 9, fast: 9, bins: new Map(bins) }],
        ['health.bootMs', { valid: 0, good: 0, fast: 0, bins: new Map() }],
      ]),
      active,
      disrupted: 0.1,
    });
    const starts: number[] = [];
    for (let d = OCT.from; d < OCT.to; d = dayEnd(d)) starts.push(d);
    // Bin values as the sketches store them (what decodeDigest gives back).
    const { values } = sketchBins(encodeValues([0, 1, 2, 1_000, 1_010, 400_000, 3_600_000, 86_400_000]));
    const days = [
      day(starts[0]!, values.map((v, i) => [v, i === 3 ? 5_000_000 : 1 + i]), 2_000_000, 1440),
      day(starts[1]!, [[values[5]!, 1]], 0, 0),
      day(starts[30]!, [[values[0]!, 2], [values[values.length - 1]!, 1]], 17, 0.3),
    ];
    expect(values.length).toBe(7); // 1,000 and 1,010 share a bin
    const bytes = encodeFormat2(OCT.from, days);
    expect(calls(OCT.from, bytes)).toEqual(calls(OCT.from, encodeFormat1(OCT.from, days)));
    expect(encodeFormat2(OCT.from, decodeDigest(OCT.from, bytes))).toEqual(bytes);
  });

  it('is about a third smaller than format 1 on a month of busy days (most of it the logon bins)', () => {
    const days = drawnMonth(7);
    const one = encodeFormat1(OCT.from, days).length;
    const two = encodeFormat2(OCT.from, days).length;
    expect(two / one).toBeLessThan(0.75);
  });
});
