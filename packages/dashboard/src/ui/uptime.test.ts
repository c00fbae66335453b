import { describe, expect, it } from 'vitest';

// Hours are told in UK time whatever the runtime's zone: run in India's (UTC+5:30) to show it.
process.env.TZ = 'Asia/Kolkata';
import type { UptimeHistory, UptimePeriod } from '@wardwatch/schema';
import { periodLabel, periodText, uptimeSummary } from './uptime.ts';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 30, 14); // Mon 30 Nov 2026, 14:00 UTC
const period = (over: Partial<UptimePeriod> = {}): UptimePeriod => ({ start: T, end: T + H, status: 'ok', reason: '', availability: 0.999, appChecks: 60, p95Ms: 900, logons: 0, logonP95Ms: null, ...over });

describe('uptime strip words', () => {
  it.each([
    [period(), 'hour', false, 'Mon 30 Nov 14:00–15:00'],
    [period({ end: T + H / 2 }), 'hour', true, 'Mon 30 Nov 14:00–now'],
    [period({ start: Date.UTC(2026, 10, 29), end: Date.UTC(2026, 10, 30) }), 'day', false, '29 Nov 2026'],
    [period({ start: Date.UTC(2026, 10, 30), end: T }), 'day', true, '30 Nov 2026 (so far)'],
    // UK summer time; and the clocks changing: back in October (01:00 twice), forward in March (no 01:00).
    [period({ start: Date.UTC(2026, 6, 1, 12), end: Date.UTC(2026, 6, 1, 13) }), 'hour', false, 'Wed 1 Jul 13:00–14:00'],
    [period({ start: Date.UTC(2026, 9, 24, 23), end: Date.UTC(2026, 9, 25, 0) }), 'hour', false, 'Sun 25 Oct 00:00–01:00'],
    [period({ start: Date.UTC(2026, 9, 25, 0), end: Date.UTC(2026, 9, 25, 1) }), 'hour', false, 'Sun 25 Oct 01:00–01:00'],
    [period({ start: Date.UTC(2026, 9, 25, 1), end: Date.UTC(2026, 9, 25, 2) }), 'hour', false, 'Sun 25 Oct 01:00–02:00'],
    [period({ start: Date.UTC(2026, 2, 29, 0), end: Date.UTC(2026, 2, 29, 1) }), 'hour', false, 'Sun 29 Mar 00:00–02:00'],
    // Days stay the server's UTC days.
    [period({ start: Date.UTC(2026, 9, 25), end: Date.UTC(2026, 9, 26) }), 'day', false, '25 Oct 2026'],
  ] as const)('labels %#: %s', (p, kind, underWay, label) => {
    expect(periodLabel(p, kind, underWay)).toBe(label);
  });

  it('describes a period with its verdict and the figures behind it; a bad one with the reason', () => {
    expect(periodText(period({ logons: 12, logonP95Ms: 21_000 }), 'hour', false)).toBe('Mon 30 Nov 14:00–15:00: OK — availability 99.9 % of 60 checks, app p95 900 ms — logon p95 21.0 s over 12 logons');
    // A quiet hour's p95 over the line from one slow value, beside its OK: said so.
    expect(periodText(period({ logons: 12, logonP95Ms: 35_000, slowLogons: 1 }), 'hour', false)).toBe('Mon 30 Nov 14:00–15:00: OK — availability 99.9 % of 60 checks, app p95 900 ms — logon p95 35.0 s over 12 logons (1 slow)');
    expect(periodText(period({ appChecks: 12, p95Ms: 4_800, slowAppChecks: 1 }), 'hour', false)).toBe('Mon 30 Nov 14:00–15:00: OK — availability 99.9 % of 12 checks, app p95 4.8 s (1 slow)');
    expect(periodText(period({ slowAppChecks: 1 }), 'hour', false)).toBe('Mon 30 Nov 14:00–15:00: OK — availability 99.9 % of 60 checks, app p95 900 ms');
    expect(periodText(period({ status: 'down', availability: 0.3, reason: 'availability 30 % (42 of 60 checks failed)' }), 'hour', false)).toBe(
      'Mon 30 Nov 14:00–15:00: Down — availability 30 % of 60 checks, app p95 900 ms — availability 30 % (42 of 60 checks failed)',
    );
    expect(periodText(period({ status: 'unknown', reason: 'no figures', availability: null, appChecks: 0, p95Ms: null }), 'hour', false)).toBe('Mon 30 Nov 14:00–15:00: No figures');
    expect(periodText(period({ status: 'down', availability: 0.3, reason: 'availability 30 % (42 of 60 checks failed)', maintenance: ['Core switch upgrade', 'Firewall'] }), 'hour', false)).toBe(
      'Mon 30 Nov 14:00–15:00: Down — availability 30 % of 60 checks, app p95 900 ms — availability 30 % (42 of 60 checks failed) — maintenance: Core switch upgrade; Firewall (planned; left out of the evidence pack)',
    );
  });

  it('sums the strip up: verdicts counted, availability over all the checks', () => {
    const history: UptimeHistory = {
      site: 'S1',
      period: 'hour',
      periods: [period(), period({ status: 'degraded', availability: 0.9, appChecks: 100 }), period({ status: 'unknown', availability: null, appChecks: 0 })],
    };
    // (0.999 × 60 + 0.9 × 100) / 160 = 93.7 %
    expect(uptimeSummary(history)).toBe('Last 3 hours: 1 OK, 1 degraded, 0 down, 1 without figures; 93.7 % of 160 checks succeeded.');
    expect(uptimeSummary({ site: 'S1', period: 'day', periods: [period({ status: 'unknown', availability: null, appChecks: 0 })] })).toBe('Last 1 day: 0 OK, 0 degraded, 0 down, 1 without figures; no application checks.');
    expect(uptimeSummary({ site: 'S1', period: 'day', periods: [period({ maintenance: ['Core switch upgrade'] }), period({})] })).toBe('Last 2 days: 2 OK, 0 degraded, 0 down, 0 without figures; 99.9 % of 120 checks succeeded. 1 day with planned maintenance (marked).');
  });
});
