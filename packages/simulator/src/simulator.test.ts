import { describe, expect, it } from 'vitest';
import { validateEvent, type AppEvent, type TelemetryEvent } from '@wardwatch/schema';
import { buildEstate } from './estate.ts';
import { SimulationRunner } from './runner.ts';
import { Simulator, logonRate } from './simulator.ts';
import { trueCause, type ScenarioName } from './scenarios.ts';

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const MIN = 60_000;
const estate = buildEstate({ seed: 3, sites: 4, wardsPerSite: 3, devicesPerWard: 8 });

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(0.95 * (sorted.length - 1))]!;
}
const apps = (events: TelemetryEvent[]) => events.filter((e): e is AppEvent => e.kind === 'app');
const availability = (events: AppEvent[]) => events.filter((e) => e.body.ok).length / events.length;
const okTimes = (events: AppEvent[]) => events.filter((e) => e.body.ok).map((e) => e.body.totalMs);

describe('estate', () => {
  it('builds the requested shape with stable, plausible ids', () => {
    expect(estate.sites).toHaveLength(4);
    expect(estate.sites[0]!.id).toBe('RXX01');
    expect(estate.sites[0]!.wards[2]!.devices[7]!.id).toBe('RXX01-W03-D08');
    expect(estate.sites[0]!.wards[0]!.accessPoints[0]).toMatch(/^3c:a8:2a:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(estate.apps.map((a) => a.id)).toEqual(['epr', 'pacs', 'ordercomms', 'eprescribing']);
    expect(buildEstate({ seed: 3, sites: 4, wardsPerSite: 3, devicesPerWard: 8 })).toEqual(estate);
  });
});

describe('Simulator', () => {
  it('is deterministic for a seed and independent of how the span is split', () => {
    const a = new Simulator({ estate, seed: 9 }).generate(T0, T0 + 10 * MIN);
    const sim = new Simulator({ estate, seed: 9 });
    const b = [...sim.generate(T0, T0 + 4 * MIN), ...sim.generate(T0 + 4 * MIN, T0 + 10 * MIN)];
    expect(b).toEqual(a);
    const c = new Simulator({ estate, seed: 10 }).generate(T0, T0 + 10 * MIN);
    expect(c).not.toEqual(a);
  });

  it('emits only valid events, in event-time order, with seq increasing per device across restarts', () => {
    // A simulated day, in two runs of a fresh simulator (a restart at midday).
    const day = Date.UTC(2026, 10, 24);
    const first = new Simulator({ estate, seed: 1 }).generate(day, day + 12 * 3_600_000);
    const second = new Simulator({ estate, seed: 1 }).generate(day + 12 * 3_600_000, day + 24 * 3_600_000);
    const all = [...first, ...second];
    const invalid = all.map((e) => validateEvent(e, { now: day + 25 * 3_600_000 })).filter((r) => !r.ok);
    expect(invalid).toEqual([]);
    const last = new Map<string, number>();
    const regressions: string[] = [];
    for (const e of all) {
      if (e.seq <= (last.get(e.device) ?? -1)) regressions.push(`${e.device} ${e.seq}`);
      last.set(e.device, e.seq);
    }
    expect(regressions).toEqual([]);
    expect(first.every((e, i) => i === 0 || e.ts >= first[i - 1]!.ts)).toBe(true);
    expect(new Set(all.map((e) => e.kind))).toEqual(new Set(['app', 'wifi', 'net', 'health', 'logon']));
  }, 60_000);

  it('produces healthy figures when no fault is active', () => {
    const events = new Simulator({ estate, seed: 2 }).generate(T0, T0 + 60 * MIN);
    const checks = apps(events);
    expect(p95(okTimes(checks))).toBeLessThan(1500);
    expect(availability(checks)).toBeGreaterThan(0.995);
    const logons = events.filter((e) => e.kind === 'logon').map((e) => (e.kind === 'logon' ? e.body.totalMs : 0));
    const sorted = [...logons].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(15_000);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(35_000);
    expect(p95(logons)).toBeLessThan(60_000);
  });

  const site = estate.sites[1]!;
  const ap = site.wards[0]!.accessPoints[0]!;
  const device = site.wards[1]!.devices.find((d) => !d.wired)!;
  it.each<[ScenarioName, string, (e: TelemetryEvent) => boolean, 'slow' | 'failing' | 'dns']>([
    ['site-wan-congested', site.id, (e) => e.site === site.id, 'slow'],
    ['ap-degraded', ap, (e) => e.ap === ap, 'slow'],
    ['device-slow', device.id, (e) => e.device === device.id, 'slow'],
    ['app-down', 'pacs', (e) => e.kind === 'app' && e.body.app === 'pacs', 'failing'],
    ['site-dns-slow', site.id, (e) => e.site === site.id, 'dns'],
  ])('%s affects only its target, and clearing it restores normal figures', (scenario, target, affected, effect) => {
    const sim = new Simulator({ estate, seed: 4 });
    const fault = sim.injectFault(scenario, { target, at: T0 });
    const during = apps(sim.generate(T0, T0 + 20 * MIN));
    const hit = during.filter(affected);
    const rest = during.filter((e) => !affected(e));
    expect(hit.length).toBeGreaterThan(10);
    if (effect === 'slow') {
      expect(p95(okTimes(hit))).toBeGreaterThan(2500);
      expect(p95(okTimes(rest))).toBeLessThan(1500);
    } else if (effect === 'failing') {
      expect(availability(hit)).toBeLessThan(0.05);
      expect(availability(rest)).toBeGreaterThan(0.99);
    } else {
      expect(Math.min(...hit.map((e) => e.body.dnsMs ?? 0))).toBeGreaterThan(1000);
      expect(Math.max(...rest.map((e) => e.body.dnsMs ?? 0))).toBeLessThan(200);
    }
    sim.clearFault(fault.id, T0 + 20 * MIN);
    const after = apps(sim.generate(T0 + 20 * MIN, T0 + 40 * MIN)).filter(affected);
    expect(p95(okTimes(after))).toBeLessThan(1500);
    expect(availability(after)).toBeGreaterThan(0.98);
  });

  it('app-flaky fails a small share of the target application\'s checks (2 % by default, or failureRate), and nothing else', () => {
    const pacs = (e: AppEvent) => e.body.app === 'pacs';
    const sim = new Simulator({ estate, seed: 4 });
    const fault = sim.injectFault('app-flaky', { target: 'pacs', at: T0 });
    expect(fault).not.toHaveProperty('failureRate');
    const during = apps(sim.generate(T0, T0 + 6 * 60 * MIN));
    const hit = during.filter(pacs);
    expect(hit.length).toBeGreaterThan(5000);
    expect(1 - availability(hit)).toBeGreaterThan(0.015);
    expect(1 - availability(hit)).toBeLessThan(0.025);
    expect(availability(during.filter((e) => !pacs(e)))).toBeGreaterThan(0.998);
    // Slow leak, not slowness: the checks that succeed are as fast as ever.
    expect(p95(okTimes(hit))).toBeLessThan(1500);
    sim.clearFault(fault.id, T0 + 6 * 60 * MIN);
    expect(availability(apps(sim.generate(T0 + 6 * 60 * MIN, T0 + 7 * 60 * MIN)).filter(pacs))).toBeGreaterThan(0.995);

    const worse = new Simulator({ estate, seed: 4 });
    expect(worse.injectFault('app-flaky', { target: 'epr', at: T0, failureRate: 0.1 }).failureRate).toBe(0.1);
    const epr = apps(worse.generate(T0, T0 + 2 * 60 * MIN)).filter((e) => e.body.app === 'epr');
    expect(1 - availability(epr)).toBeGreaterThan(0.08);
    expect(1 - availability(epr)).toBeLessThan(0.12);
    expect(trueCause(fault)).toEqual({ kind: 'application', culprit: 'app:pacs' });
  });

  it('refuses a failureRate that is not a probability, or on a scenario without one', () => {
    const sim = new Simulator({ estate, seed: 1 });
    expect(() => sim.injectFault('app-flaky', { at: T0, failureRate: 1.5 })).toThrow(/failureRate must be a probability/);
    expect(() => sim.injectFault('app-down', { at: T0, failureRate: 0.1 })).toThrow(/failureRate applies only to app-flaky/);
  });

  it('weakens the Wi-Fi signal behind a degraded access point', () => {
    const sim = new Simulator({ estate, seed: 4 });
    sim.injectFault('ap-degraded', { target: ap, at: T0 });
    const signals = sim.generate(T0, T0 + 10 * MIN).filter((e) => e.kind === 'wifi' && e.ap === ap).map((e) => (e.kind === 'wifi' ? e.body.signalDbm! : 0));
    expect(Math.max(...signals)).toBeLessThan(-75);
  });

  it('refuses an unknown target', () => {
    expect(() => new Simulator({ estate, seed: 1 }).injectFault('site-wan-congested', { target: 'NOPE', at: T0 })).toThrow(/no site "NOPE"/);
  });

  it('peaks logons at shift changes and lulls at night', () => {
    expect(logonRate(Date.UTC(2026, 10, 24, 7, 30))).toBeGreaterThan(logonRate(Date.UTC(2026, 10, 24, 11, 0)));
    expect(logonRate(Date.UTC(2026, 10, 24, 3, 0))).toBeLessThan(logonRate(Date.UTC(2026, 10, 24, 11, 0)));
    const sim = new Simulator({ estate: buildEstate({ seed: 1, sites: 2 }), seed: 1 });
    const count = (from: number) => sim.generate(from, from + 60 * MIN).filter((e) => e.kind === 'logon').length;
    expect(count(Date.UTC(2026, 10, 24, 7, 0))).toBeGreaterThan(1.5 * count(Date.UTC(2026, 10, 24, 11, 0)));
    expect(count(Date.UTC(2026, 10, 24, 2, 0))).toBeLessThan(0.5 * count(Date.UTC(2026, 10, 24, 11, 0)));
  });
});

describe('SimulationRunner', () => {
  it('runs simulated time at N times the wall clock and delivers every span once', async () => {
    let wall = 1_000_000;
    const delivered: TelemetryEvent[][] = [];
    const sim = new Simulator({ estate, seed: 5 });
    const runner = new SimulationRunner({ simulator: sim, speed: 60, startAt: T0, now: () => wall, sink: async (e) => void delivered.push(e) });
    runner.start();
    await runner.stop(); // no timer ticks in this test: ticks are driven by hand
    (runner as unknown as { wallStart: number }).wallStart = 1_000_000;
    wall += 10_000; // ten wall seconds = ten simulated minutes
    expect(runner.simulatedNow).toBe(T0 + 10 * MIN);
    await runner.tick();
    expect(runner.generatedUntil).toBe(T0 + 10 * MIN);
    expect(delivered.flat()).toEqual(sim.generate(T0, T0 + 10 * MIN));
  });
});
