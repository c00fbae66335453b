import { describe, expect, it } from 'vitest';
import { Watermark, windowStart } from './window.ts';

describe('windowStart', () => {
  const t = Date.UTC(2026, 10, 24, 9, 7, 42, 500);
  it.each([
    [t, 60_000, Date.UTC(2026, 10, 24, 9, 7)],
    [t, 300_000, Date.UTC(2026, 10, 24, 9, 5)],
    [t, 3_600_000, Date.UTC(2026, 10, 24, 9, 0)],
    [Date.UTC(2026, 10, 24, 9, 8), 60_000, Date.UTC(2026, 10, 24, 9, 8)],
    [Date.UTC(2026, 10, 24, 9, 8) - 1, 60_000, Date.UTC(2026, 10, 24, 9, 7)],
  ])('windowStart(%i, %i) = %i', (ts, size, expected) => {
    expect(windowStart(ts, size)).toBe(expected);
  });
});

describe('Watermark', () => {
  it.each([
    ['trails the highest event time by the lag', [1000, 5000, 3000], undefined, 5000 - 1000],
    ['is -Infinity before any event', [], undefined, -Infinity],
    ['can be pushed forward when idle', [5000], 10_000, 10_000],
    ['is never pushed back', [50_000], 10_000, 49_000],
  ])('%s', (_name, events, pushTo, expected) => {
    const watermark = new Watermark(1000);
    for (const ts of events as number[]) watermark.observe(ts);
    if (pushTo !== undefined) watermark.advanceTo(pushTo);
    expect(watermark.value).toBe(expected);
  });
});
