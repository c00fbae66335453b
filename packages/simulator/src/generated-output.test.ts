// Pins exactly what the simulator generates: tests, benches and the demo's history depend on these
// events, so a change to how they are generated must not change a byte of them. The digests were
// taken from the simulator before it was made fast; if one changes, the output changed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEvent, type TelemetryEvent } from '@wardwatch/schema';
import { buildEstate } from './estate.ts';
import { Simulator } from './simulator.ts';

const MIN = 60_000;
/** Through the 07:30 shift change, so logons peak. */
const SHIFT = Date.UTC(2026, 10, 24, 6, 55);
const T = Date.UTC(2026, 10, 24, 9, 0);

/** Event count and a SHA-256 of the JSON of every event, in order. */
function digest(events: Iterable<TelemetryEvent>): { count: number; sha256: string } {
  const hash = createHash('sha256');
  let count = 0;
  for (const event of events) {
    hash.update(JSON.stringify(event));
    hash.update('\n');
    count++;
  }
  return { count, sha256: hash.digest('hex') };
}

/** Generates [from, to) in pieces of `step` ms, as the real-time runner does. */
function* inPieces(simulator: Simulator, from: number, to: number, step: number): Generator<TelemetryEvent> {
  for (let t = from; t < to; t += step) yield* simulator.generate(t, Math.min(t + step, to));
}

/** A small trust with every kind of fault starting and ending mid-minute, and an SSO roll-out. */
function faultySimulator(): Simulator {
  const estate = buildEstate({ seed: 3, sites: 4, wardsPerSite: 3, devicesPerWard: 8 });
  const site = estate.sites[1]!;
  const simulator = new Simulator({
    estate,
    seed: 7,
    logonChanges: [
      { site: site.id, at: SHIFT + 20 * MIN + 1_234, logonFactor: 0.4 },
      { site: estate.sites[2]!.id, at: SHIFT + 5 * MIN, logonFactor: 1.5 },
    ],
  });
  simulator.injectFault('site-wan-congested', { target: site.id, at: SHIFT + 3 * MIN + 500, until: SHIFT + 30 * MIN + 17 });
  simulator.injectFault('ap-degraded', { target: site.wards[0]!.accessPoints[0]!, at: SHIFT + 10 * MIN + 42 });
  simulator.injectFault('device-slow', { target: site.wards[1]!.devices[2]!.id, at: SHIFT + 7_777, until: SHIFT + 40 * MIN });
  simulator.injectFault('site-dns-slow', { target: estate.sites[3]!.id, at: SHIFT + 15 * MIN + 1 });
  simulator.injectFault('app-flaky', { target: 'epr', at: SHIFT + 2 * MIN, failureRate: 0.2 });
  const down = simulator.injectFault('app-down', { target: 'pacs', at: SHIFT + 25 * MIN + 999 });
  simulator.clearFault(down.id, SHIFT + 35 * MIN + 3);
  simulator.injectFault('app-flaky', { at: SHIFT + 12 * MIN });
  return simulator;
}

describe('generated output (pinned)', () => {
  it('builds the same estates', () => {
    const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    // Pinned before sites had a type and an area: the rest is as it was.
    const pinned = (estate: ReturnType<typeof buildEstate>) => sha256({ ...estate, sites: estate.sites.map(({ type: _type, area: _area, ...site }) => site) });
    expect(pinned(buildEstate({ seed: 1, sites: 1_250 }))).toBe('04d2214d99b6679e4716a7d5f7d880a779b405785b99889f272707c97e1bf1a4');
    expect(pinned(buildEstate({ seed: 9, sites: 30, wardsPerSite: 5, devicesPerWard: 120, apsPerWard: 3, trustId: 'RZZ', trustName: 'A trust' }))).toBe('94e13e43383e82d3b96b93b9ecbf71d67951e766234bea8cda0d81352d760f94');
  });

  it('gives each site a type and an area, by its name, the same for a repeated name', () => {
    const estate = buildEstate({ seed: 1, sites: 14 });
    const directory = estate.sites.map((s) => [s.id, s.name, s.type, s.area]);
    expect(directory[9]).toEqual(['RXX10', 'Elmwood Mental Health Unit', 'Mental health unit', 'Northfield']);
    expect(directory[12]).toEqual(['RXX13', "St Aldhelm's Hospital (2)", 'Acute hospital', 'Aldhelm Vale']);
    expect(new Set(estate.sites.map((s) => s.type))).toEqual(new Set(['Acute hospital', 'Community hospital', 'Treatment centre', 'Mental health unit', "Children's centre"]));
    expect(new Set(estate.sites.map((s) => s.area)).size).toBe(4);
  });

  it('is unchanged for a small trust with faults and logon changes, over 45 minutes of a shift change', () => {
    expect(digest(faultySimulator().generate(SHIFT, SHIFT + 45 * MIN))).toEqual({ count: 26_455, sha256: '874f9c058de3d3bd7499beed0c23a3f03f85d961c6bf9ef88ff36925c193ded6' });
  });

  it('generates only events every receiver accepts, every fault included: none a dead letter (the schema, and no phase past its total)', () => {
    const refused = new Map<string, number>();
    let count = 0;
    for (const event of faultySimulator().generate(SHIFT, SHIFT + 45 * MIN)) {
      count++;
      const decoded = decodeEvent(JSON.stringify(event), { now: SHIFT + 45 * MIN });
      if (decoded.ok) continue;
      const why = `${decoded.reason}: ${decoded.message}`;
      refused.set(why, (refused.get(why) ?? 0) + 1);
    }
    expect(count).toBe(26_455);
    expect([...refused]).toEqual([]);
  });

  it('is the same visited one by one (generateEach) and read in batches (stream)', () => {
    const pinned = { count: 26_455, sha256: '874f9c058de3d3bd7499beed0c23a3f03f85d961c6bf9ef88ff36925c193ded6' };
    const visited: TelemetryEvent[] = [];
    faultySimulator().generateEach(SHIFT, SHIFT + 45 * MIN, (event) => visited.push(event));
    expect(digest(visited)).toEqual(pinned);
    const stream = faultySimulator().stream(SHIFT, SHIFT + 45 * MIN);
    const batches: TelemetryEvent[][] = [];
    for (let batch = stream.take(1_000); batch.length > 0; batch = stream.take(1_000)) batches.push(batch);
    expect(batches.every((b, i) => b.length === 1_000 || i === batches.length - 1)).toBe(true);
    expect(digest(batches.flat())).toEqual(pinned);
    expect(digest(faultySimulator().stream(SHIFT, SHIFT + 45 * MIN))).toEqual(pinned);
  });

  it('gives the same events when the span is generated in uneven pieces that do not fall on minutes (the runner at real time: 250 ms spans)', () => {
    function* pieces(): Generator<TelemetryEvent> {
      const simulator = faultySimulator();
      yield* inPieces(simulator, SHIFT + 1_500, SHIFT + 4 * MIN, 250);
      yield* inPieces(simulator, SHIFT + 4 * MIN, SHIFT + 45 * MIN + 333, 97_000);
    }
    const whole = digest(faultySimulator().generate(SHIFT + 1_500, SHIFT + 45 * MIN + 333));
    const pieced = digest(pieces());
    // Logons included: a minute's logons are drawn whichever piece of it is asked for.
    expect(pieced).toEqual(whole);
    expect(whole.count).toBeGreaterThan(26_174);
  });

  it('is unchanged with cadences shorter than the span', () => {
    const estate = buildEstate({ seed: 5, sites: 3, wardsPerSite: 2, devicesPerWard: 6 });
    const simulator = new Simulator({ estate, seed: 2, cadenceMs: { app: 2_000, wifi: 15_000, net: 45_000, health: 7_000 } });
    simulator.injectFault('device-slow', { target: estate.sites[0]!.wards[1]!.devices[0]!.id, at: T + 30_000 });
    // The span starts 123 ms into a minute: that minute's one logon after it is in (it was lost before).
    expect(digest(simulator.generate(T + 123, T + 3 * MIN + 4_567))).toEqual({ count: 14_761, sha256: '0e02508582104f998def121d41b7862f56b8fc81617fdec1977b6c4e9e2f3a19' });
  });

  it('is unchanged for 1,250 sites (100,000 devices) over a minute', () => {
    const simulator = new Simulator({ estate: buildEstate({ seed: 1, sites: 1_250 }), seed: 1 });
    expect(digest(simulator.generate(T, T + MIN))).toEqual({ count: 642_935, sha256: '62a3bc5069c9f2ea348a6fbada12550ecfdc2c98ecdd2205f19ecca619a534d0' });
  }, 120_000);
});
