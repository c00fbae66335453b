import { describe, expect, it } from 'vitest';
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';
import { DEFAULT_FIGURE_TOLERANCE, figuresChanged, figuresMovedPast, publishReason, sameWording, type PublishContext, type PublishReason } from './status-publishing.ts';
import { mulberry32 } from './test-events.fixture.ts';

const figures: ScopeFigures = { appChecks: 1_000, p50Ms: 300, p95Ms: 800, p99Ms: 1_200, availability: 0.99, slowAppChecks: 0, logons: 50, logonP95Ms: 20_000, slowLogons: 0, wifiSignalDbm: -60, dnsP95Ms: 40, gatewayRttP95Ms: 12 };
const site = (overrides: Partial<ScopeStatus> = {}, moved: Partial<ScopeFigures> = {}): ScopeStatus => ({
  key: 'site:S1',
  scope: 'site',
  id: 'S1',
  trust: 'RXX',
  site: 'S1',
  status: 'ok',
  reason: '',
  figures: { ...figures, ...moved },
  since: 0,
  asOf: 10_000,
  ...overrides,
});
const device = (overrides: Partial<ScopeStatus> = {}, moved: Partial<ScopeFigures> = {}): ScopeStatus => ({ ...site(overrides, moved), key: 'device:D1', scope: 'device', id: 'D1', ...overrides });

const tick: PublishContext = { end: 10_000, full: false, publishedAt: 9_800, refreshMs: 300_000, tolerance: DEFAULT_FIGURE_TOLERANCE };
const windowEnd: PublishContext = { ...tick, full: true };

describe('publishReason', () => {
  it.each<[string, ScopeStatus | undefined, ScopeStatus, PublishContext, PublishReason | undefined]>([
    ['never published', undefined, site(), tick, 'first'],
    ['a site with nothing moved, between window ends: not published (its time rides on the live edge)', site(), site(), tick, undefined],
    ['a site whose checks moved within 2 %', site(), site({}, { appChecks: 1_019 }), tick, undefined],
    ['a site whose checks moved past 2 %', site(), site({}, { appChecks: 1_021 }), tick, 'moved'],
    ['a site whose p95 moved 1 %', site(), site({}, { p95Ms: 808 }), tick, undefined],
    ['a site whose p95 moved 3 %', site(), site({}, { p95Ms: 824 }), tick, 'moved'],
    ['a site whose availability moved a twentieth of a point', site(), site({}, { availability: 0.9895 }), tick, undefined],
    ['a site whose availability moved two tenths of a point', site(), site({}, { availability: 0.988 }), tick, 'moved'],
    ['a site whose Wi-Fi median moved 1 dB', site(), site({}, { wifiSignalDbm: -61 }), tick, undefined],
    ['a site whose Wi-Fi median moved 2 dB', site(), site({}, { wifiSignalDbm: -62 }), tick, 'moved'],
    ['a site whose p95 appeared', site({}, { p95Ms: null }), site(), tick, 'moved'],
    ['a site whose gateway figure went', site(), site({}, { gatewayRttP95Ms: undefined }), tick, 'moved'],
    ['a site whose status changed', site(), site({ status: 'degraded', reason: 'app p95 4.1 s' }), tick, 'status'],
    ['a site whose reason says something else', site({ status: 'degraded', reason: 'app p95 4.1 s over the 2 s target' }), site({ status: 'degraded', reason: 'app p95 4.1 s over the 2 s target; Wi-Fi signal median −75 dBm' }), tick, 'status'],
    ['a site whose reason moved only in its numbers, figures within the tolerance', site({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 1000 checks)' }), site({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 1010 checks)' }, { appChecks: 1_010 }), tick, undefined],
    ['…figures past it', site({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 1000 checks)' }), site({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 1030 checks)' }, { appChecks: 1_030 }), tick, 'moved'],
    ['a device whose reason moved only in its numbers: with its figures, at the window’s end', device({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 12 checks)' }), device({ status: 'degraded', reason: 'app p95 4.3 s (15 min, 13 checks)' }, { appChecks: 13 }), tick, undefined],
    ['…and at it', device({ status: 'degraded', reason: 'app p95 4.1 s (15 min, 12 checks)' }), device({ status: 'degraded', reason: 'app p95 4.3 s (15 min, 13 checks)' }, { appChecks: 13 }), windowEnd, 'figures'],
    ['a reason alone moved, at a window’s end (silent for longer)', device({ status: 'unknown', reason: 'silent for 3 min' }), device({ status: 'unknown', reason: 'silent for 4 min' }), windowEnd, 'figures'],
    ['a site at a window’s end, any figure changed at all', site(), site({}, { appChecks: 1_001 }), windowEnd, 'figures'],
    ['a site at a window’s end, nothing changed', site(), site(), windowEnd, undefined],
    ['a site not published for the refresh interval', site(), site(), { ...tick, publishedAt: 10_000 - 300_000 }, 'refresh'],
    ['a device whose figures moved far, between window ends: waits for the window’s end', device(), device({}, { p95Ms: 4_000 }), tick, undefined],
    ['…and at it', device(), device({}, { p95Ms: 4_000 }), windowEnd, 'figures'],
    ['a device whose status changed', device(), device({ status: 'down', reason: 'no successful checks' }), tick, 'status'],
  ])('%s', (_case, last, status, context, expected) => {
    expect(publishReason(last, status, context)).toBe(expected);
  });
});

describe('figuresMovedPast and figuresChanged', () => {
  it.each<[string, Partial<ScopeFigures>, boolean, boolean]>([
    // [case, figures after, moved past the tolerance, changed at all]
    ['the same', {}, false, false],
    ['a count up by one', { appChecks: 1_001 }, false, true],
    ['a quantile down 2 % exactly', { p99Ms: 1_176 }, false, true],
    ['a quantile down 2.5 %', { p99Ms: 1_170 }, true, true],
    ['a count from 0', { logons: 0 }, true, true],
    ['a figure to null', { logonP95Ms: null }, true, true],
    ['an optional figure added', { cpuPct: 12 }, true, true],
    // What they decide (a status) is published by itself; alone they wait for the window's end.
    ['the first slow check (0 → 1)', { slowAppChecks: 1 }, false, true],
    ['slow logons', { slowLogons: 3 }, false, true],
  ])('%s', (_case, after, moved, changed) => {
    expect(figuresMovedPast(figures, { ...figures, ...after }, DEFAULT_FIGURE_TOLERANCE)).toBe(moved);
    expect(figuresChanged(figures, { ...figures, ...after })).toBe(changed);
  });

  it('starts from zero counts: any first check moves them', () => {
    const empty: ScopeFigures = { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, logons: 0, logonP95Ms: null, wifiSignalDbm: null };
    expect(figuresMovedPast(empty, { ...empty, appChecks: 1 }, DEFAULT_FIGURE_TOLERANCE)).toBe(true);
  });
});

describe('sameWording', () => {
  it.each<[string, string, boolean]>([
    ['app p95 4.1 s over the 2 s target (15 min, 212 checks)', 'app p95 12 s over the 2 s target (15 min, 9 checks)', true],
    ['silent for 3 min', 'silent for 14 min', true],
    ['', '', true],
    ['app p95 4.1 s over the 2 s target', 'logon p95 41 s over the 30 s target', false],
    ['app p95 4.1 s over the 2 s target', 'app p95 4.1 s over the 2 s target; Wi-Fi signal median −75 dBm, below −70 dBm', false],
    ['', 'silent for 3 min', false],
    ['5 of 10', '5.5 of 10.25', true],
    ['p95 4.1 s', 'p95 4. s', false],
    ['version 1.2.3', 'version 9.9.9', true],
    ['#1 and 2', '#3 and #', true],
    ['#1 and 2', '3 and #', false],
  ])('%j and %j: %s', (a, b, same) => {
    expect(sameWording(a, b)).toBe(same);
  });

  it('says what replacing every number by one character says, over random texts', () => {
    // The rule it stands for, written as a regular expression (two copies of each text).
    const byReplacing = (a: string, b: string) => a.replace(/\d+(?:\.\d+)?/g, '#') === b.replace(/\d+(?:\.\d+)?/g, '#');
    const random = mulberry32(11);
    const alphabet = ['1', '2', '0', '.', '.', '#', 'a', ' ', 's', '9'];
    const text = () => Array.from({ length: Math.floor(random() * 9) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = text();
      const b = random() < 0.5 ? a.replace(/\d/g, () => String(Math.floor(random() * 10))) : text();
      expect(sameWording(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(byReplacing(a, b));
    }
  });
});
