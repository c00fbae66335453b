import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '@wardwatch/schema';
import { age, estateFreshness, isSiteStale, OFFLINE_GRACE_MS, siteAgeMs, STALE_AFTER_MS } from './freshness.ts';

const T = Date.UTC(2026, 10, 30, 12, 0, 0);
const site = (id: string, asOf: number): SiteSummary => ({ id, name: id, trust: 'RXX', status: 'ok', reason: '', p95Ms: 1, availability: 1, logonP95Ms: 1, appChecks: 1, asOf });

describe('site age', () => {
  it.each<[number, number | null, boolean]>([
    [T, 0, false],
    [T - 60_000, 60_000, false],
    [T - STALE_AFTER_MS, STALE_AFTER_MS, false],
    [T - STALE_AFTER_MS - 1, STALE_AFTER_MS + 1, true],
    [0, null, false],
  ])('asOf %s → age %s, stale %s', (asOf, expectedAge, stale) => {
    const clock = { now: T, asOf: T };
    expect(siteAgeMs(site('S', asOf), clock)).toBe(expectedAge);
    expect(isSiteStale(site('S', asOf), clock)).toBe(stale);
  });

  it('has no age before the server clock is heard', () => {
    expect(siteAgeMs(site('S', T), undefined)).toBeNull();
  });
});

describe('estateFreshness', () => {
  const sites = [site('A', T), site('B', T - 10 * 60_000)];
  const base = { sites, clock: { now: T, asOf: T }, connected: true, disconnectedAt: undefined, wallNow: T };

  it('is fresh while connected and current, counting silent sites', () => {
    expect(estateFreshness(base)).toEqual({ stale: false, since: null, why: '', silentSites: 1 });
  });

  it('rides out a reconnect within the grace, then goes stale naming the stream', () => {
    const lost = { ...base, connected: false, disconnectedAt: T };
    expect(estateFreshness({ ...lost, wallNow: T + OFFLINE_GRACE_MS - 1 }).stale).toBe(false);
    const after = estateFreshness({ ...lost, wallNow: T + OFFLINE_GRACE_MS });
    expect(after.stale).toBe(true);
    expect(after.since).toBe(T);
    expect(after.why).toMatch(/^Live updates stopped at \d\d:\d\d:\d\d: the stream from the server is down/);
  });

  it('names processor lag when the newest figures trail the server clock past the threshold', () => {
    const lagging = estateFreshness({ ...base, clock: { now: T, asOf: T - 5 * 60_000 } });
    expect(lagging).toMatchObject({ stale: true, since: T - 5 * 60_000 });
    expect(lagging.why).toMatch(/\(5 min behind the server's clock\): the processor is lagging/);
    expect(estateFreshness({ ...base, clock: { now: T, asOf: T - 60_000 } }).stale).toBe(false);
  });
});

describe('age', () => {
  it.each([
    [0, '0 s'],
    [40_400, '40 s'],
    [180_000, '3 min'],
    [7_500_000, '2 h 5 min'],
    [7_200_000, '2 h'],
    [3 * 86_400_000, '3 d'],
  ])('%s ms → %s', (ms, text) => expect(age(ms)).toBe(text));
});
