import { describe, expect, it } from 'vitest';
import { correctEventTime, measureSkew } from './clock-skew.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

describe('measureSkew', () => {
  it.each<[string, string | undefined, number | undefined, number]>([
    ['no header: nothing measured, nothing corrected', undefined, undefined, 0],
    ['5 minutes ahead', String(NOW + 300_000), 300_000, 300_000],
    ['5 minutes behind', String(NOW - 300_000), -300_000, -300_000],
    ['network latency: recorded, not corrected', String(NOW - 180), -180, 0],
    ['just under the floor', String(NOW + 1_999), 1_999, 0],
    ['at the floor', String(NOW - 2_000), -2_000, -2_000],
    ['a week ahead', String(NOW + 7 * 86_400_000), 7 * 86_400_000, 7 * 86_400_000],
    ['spaces around the digits', ` ${NOW + 60_000} `, 60_000, 60_000],
  ])('%s', (_name, header, measuredMs, correctionMs) => {
    expect(measureSkew(header, NOW)).toEqual({ ok: true, measuredMs, correctionMs });
  });

  it.each([
    ['not a number', 'yesterday', /epoch milliseconds as digits; got "yesterday"/],
    ['an HTTP date', 'Mon, 30 Nov 2026 09:00:00 GMT', /as digits/],
    ['fractional', `${NOW}.5`, /as digits/],
    ['negative', `-${NOW}`, /as digits/],
    ['seconds, not ms', String(Math.floor(NOW / 1000)), /not a time between 2000 and 2100/],
    ['beyond Date', '9999999999999999', /not a time between 2000 and 2100/],
    ['more than a week out', String(NOW - 8 * 86_400_000), /-8\.0 days from the receiver's clock.*w32tm/],
  ])('refuses %s', (_name, header, message) => {
    const result = measureSkew(header, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('correctEventTime', () => {
  it('moves ts onto the receiver\'s clock and overwrites a claimed skew', () => {
    const event = { ts: NOW + 300_000, skewMs: -999 };
    correctEventTime(event, 300_000);
    expect(event).toEqual({ ts: NOW, skewMs: 300_000 });
  });

  it('stamps skewMs 0 without a correction', () => {
    const event: Record<string, unknown> = { ts: NOW, skewMs: 12345 };
    correctEventTime(event, 0);
    expect(event).toEqual({ ts: NOW, skewMs: 0 });
  });

  it('stamps no skew where the clock was not measured (no header): "not measured" is not "in step"', () => {
    const event: Record<string, unknown> = { ts: NOW, skewMs: 12345 };
    correctEventTime(event, undefined);
    expect(event).toEqual({ ts: NOW });
  });

  it('leaves what the schema will refuse alone', () => {
    const list = [1, 2];
    correctEventTime(list, 5_000);
    correctEventTime('text', 5_000);
    correctEventTime(null, 5_000);
    expect(list).toEqual([1, 2]);
    const noTs: Record<string, unknown> = { ts: 'now' };
    correctEventTime(noTs, 5_000);
    expect(noTs).toEqual({ ts: 'now', skewMs: 5_000 });
  });
});
