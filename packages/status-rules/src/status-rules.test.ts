import { describe, expect, it } from 'vitest';
import type { ScopeFigures } from '@wardwatch/schema';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import { judge } from './status-rules.ts';

const healthy: ScopeFigures = { appChecks: 200, p50Ms: 400, p95Ms: 900, p99Ms: 1500, availability: 0.999, logons: 20, logonP95Ms: 24_000, wifiSignalDbm: -58 };
const none: ScopeFigures = { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, logons: 0, logonP95Ms: null, wifiSignalDbm: null };

describe('status rules', () => {
  it.each<[string, 'site' | 'ward' | 'device' | 'ap', Partial<ScopeFigures>, number, string, RegExp | '']>([
    ['healthy', 'site', {}, 0, 'ok', ''],
    ['slow p95', 'site', { p95Ms: 3400 }, 0, 'degraded', /^app p95 3\.4 s over the 2\.0 s target \(last 15 min, 200 checks\)$/],
    ['availability under 98 %', 'ward', { availability: 0.95 }, 0, 'degraded', /availability 95\.0 % \(10 of 200 checks failed/],
    ['availability under 50 %', 'site', { availability: 0.2 }, 0, 'down', /availability 20 % \(160 of 200 checks failed/],
    ['down wins over slow, both named', 'site', { availability: 0.3, p95Ms: 5000 }, 0, 'down', /availability 30 %.*; app p95 5\.0 s/],
    ['too few checks give no verdict', 'device', { appChecks: 3, p95Ms: 9000, availability: 0 }, 0, 'ok', ''],
    // One failed check never decides (availabilityJudged): judged with one failure fewer.
    ['one failed check of five does not decide', 'device', { appChecks: 5, availability: 0.8 }, 0, 'ok', ''],
    ['two of five do', 'device', { appChecks: 5, availability: 0.6 }, 0, 'degraded', /^availability 60 % \(2 of 5 checks failed, last 15 min\)$/],
    ['four of five: down on the failures beyond the first', 'device', { appChecks: 5, availability: 0.2 }, 0, 'down', /^availability 20 % \(4 of 5 checks failed/],
    ['three of five: degraded, not down (40 %, 60 % with one fewer)', 'device', { appChecks: 5, availability: 0.4 }, 0, 'degraded', /^availability 40 % \(3 of 5 checks failed/],
    ['two of sixty: 98.3 % with one fewer', 'site', { appChecks: 60, availability: 58 / 60 }, 0, 'ok', ''],
    ['three of sixty', 'site', { appChecks: 60, availability: 57 / 60 }, 0, 'degraded', /^availability 95\.0 % \(3 of 60 checks failed/],
    ['many checks: one fewer moves nothing', 'site', { appChecks: 5000, availability: 0.979 }, 0, 'degraded', /^availability 97\.9 % \(105 of 5,000 checks failed/],
    // Nor does one slow check or logon (slowJudged): below 20 values the p95 is the slowest one.
    ['one slow check of fifteen does not decide', 'device', { appChecks: 15, availability: 1, p95Ms: 4800, slowAppChecks: 1 }, 0, 'ok', ''],
    ['two of fifteen do', 'device', { appChecks: 15, availability: 1, p95Ms: 4800, slowAppChecks: 2 }, 0, 'degraded', /^app p95 4\.8 s over the 2\.0 s target \(last 15 min, 2 of 15 checks slow\)$/],
    ['one slow logon of five does not decide', 'ward', { logons: 5, logonP95Ms: 35_000, slowLogons: 1 }, 0, 'ok', ''],
    ['two slow logons of five do', 'ward', { logons: 5, logonP95Ms: 35_000, slowLogons: 2 }, 0, 'degraded', /^logon p95 35\.0 s over the 30\.0 s target \(last 15 min, 2 of 5 logons slow\)$/],
    ['a slow check beside a failed one: neither decides alone', 'device', { appChecks: 15, availability: 14 / 15, p95Ms: 4800, slowAppChecks: 1 }, 0, 'ok', ''],
    ['a site with many slow: how many, in the reason', 'site', { appChecks: 4_926, p95Ms: 4_600, slowAppChecks: 2_341 }, 0, 'degraded', /^app p95 4\.6 s over the 2\.0 s target \(last 15 min, 2,341 of 4,926 checks slow\)$/],
    // Figures from a writer before the counts (no slowAppChecks): judged on the p95, and the reason
    // gives the checks alone, as the 'slow p95' case above.
    ['slow logons', 'site', { logonP95Ms: 95_000 }, 0, 'degraded', /^logon p95 95\.0 s over the 30\.0 s target \(last 15 min, 20 logons\)$/],
    ['logons over the SLO line (30 s) are degraded, as the logon SLO counts them', 'site', { logonP95Ms: 31_000 }, 0, 'degraded', /^logon p95 31\.0 s over the 30\.0 s target/],
    ['logons within the SLO line are ok', 'site', { logonP95Ms: 29_000 }, 0, 'ok', ''],
    ['weak Wi-Fi on an access point', 'ap', { wifiSignalDbm: -81 }, 0, 'degraded', /Wi-Fi signal median −81 dBm, below −75 dBm/],
    ['weak Wi-Fi does not judge a site', 'site', { wifiSignalDbm: -81 }, 0, 'ok', ''],
    ['a silent device is unknown', 'device', none, 12 * 60_000, 'unknown', /^silent for 12 min$/],
    ['a silent site is unknown, not OK on figures ageing out (its link down, or closed)', 'site', {}, 12 * 60_000, 'unknown', /^silent for 12 min$/],
    ['a silent ward likewise', 'ward', {}, 11 * 60_000, 'unknown', /^silent for 11 min$/],
    ['a site quiet for less is judged on its figures', 'site', {}, 9 * 60_000, 'ok', ''],
    ['a silent site whose last figures were bad says so (they come first)', 'site', { availability: 0.3 }, 12 * 60_000, 'down', /^availability 30 %/],
    ['an access point is not judged silent (devices roam off it)', 'ap', {}, 30 * 60_000, 'ok', ''],
    ['a scope with no data is unknown', 'ward', none, 0, 'unknown', /^no telemetry in the last 15 min$/],
    ['a device clock 5 min ahead is degraded, the skew named', 'device', { clockSkewMs: 300_000 }, 0, 'degraded', /^clock 5 min ahead of the server$/],
    ['a device clock 6 min behind also names Kerberos', 'device', { clockSkewMs: -360_000 }, 0, 'degraded', /^clock 6 min behind the server \(Kerberos refuses logons past 5 min\)$/],
    ['a device clock 2 min off is at the threshold', 'device', { clockSkewMs: -120_000 }, 0, 'degraded', /^clock 2 min behind the server$/],
    ['a device clock 90 s off is ok', 'device', { clockSkewMs: 90_000 }, 0, 'ok', ''],
    ['skew beside a slow p95: both named', 'device', { clockSkewMs: 150_000, p95Ms: 3400 }, 0, 'degraded', /^app p95 3\.4 s .*; clock 2\.5 min ahead of the server$/],
    ['skew judges devices only', 'ward', { clockSkewMs: 300_000 }, 0, 'ok', ''],
    ['counts past a thousand grouped', 'site', { appChecks: 4_926, availability: 0.971, p95Ms: 4_600 }, 0, 'degraded', /^availability 97\.1 % \(143 of 4,926 checks failed, last 15 min\); app p95 4\.6 s over the 2\.0 s target \(last 15 min, 4,926 checks\)$/],
  ])('%s', (_name, scope, overrides, silentFor, status, reason) => {
    const figures = { ...(overrides === none ? none : healthy), ...overrides };
    const verdict = judge(scope, figures, DEFAULT_THRESHOLDS, 15, silentFor);
    expect(verdict.status).toBe(status);
    if (reason === '') expect(verdict.reason).toBe('');
    else expect(verdict.reason).toMatch(reason);
  });

  it('shares the verdicts without a finding (read only) instead of building one a judgement', () => {
    expect(judge('site', healthy, DEFAULT_THRESHOLDS, 15)).toBe(judge('device', healthy, DEFAULT_THRESHOLDS, 15));
    expect(judge('ward', none, DEFAULT_THRESHOLDS, 15)).toBe(judge('site', none, DEFAULT_THRESHOLDS, 15));
    expect(judge('ward', none, DEFAULT_THRESHOLDS, 60)).toEqual({ status: 'unknown', reason: 'no telemetry in the last 60 min' });
    expect(judge('ward', none, DEFAULT_THRESHOLDS, 15)).toEqual({ status: 'unknown', reason: 'no telemetry in the last 15 min' });
    const silent = judge('device', none, DEFAULT_THRESHOLDS, 15, 12 * 60_000 + 20_000);
    expect(judge('device', none, DEFAULT_THRESHOLDS, 15, 12 * 60_000 - 20_000)).toBe(silent);
    expect(judge('device', none, DEFAULT_THRESHOLDS, 15, 13 * 60_000)).toEqual({ status: 'unknown', reason: 'silent for 13 min' });
  });
});
