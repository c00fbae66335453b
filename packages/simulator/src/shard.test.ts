import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import { buildEstate, Simulator, shardProblem, type EstateShard, type ScenarioName } from './index.ts';
import { sitesOfShard } from './shard.ts';

const T0 = Date.UTC(2026, 10, 24, 7, 20);
const MIN = 60_000;
const estate = buildEstate({ seed: 5, sites: 7, wardsPerSite: 2, devicesPerWard: 6 });

describe('shardProblem', () => {
  it.each<[EstateShard, string | undefined]>([
    [{ index: 1, count: 1 }, undefined],
    [{ index: 3, count: 4 }, undefined],
    [{ index: 4, count: 4 }, undefined],
    [{ index: 0, count: 4 }, 'the shard must be a whole number from 1 to 4; got 0'],
    [{ index: 5, count: 4 }, 'the shard must be a whole number from 1 to 4; got 5'],
    [{ index: 1.5, count: 4 }, 'the shard must be a whole number from 1 to 4; got 1.5'],
    [{ index: 1, count: 0 }, 'the number of shards must be a whole number of at least 1; got 0'],
    [{ index: 1, count: 2.5 }, 'the number of shards must be a whole number of at least 1; got 2.5'],
  ])('%o → %s', (shard, problem) => {
    expect(shardProblem(shard)).toBe(problem);
  });
});

describe('sitesOfShard', () => {
  it('deals the sites round, each to one shard', () => {
    const ids = (index: number, count: number) => sitesOfShard(estate.sites, { index, count }).map((s) => s.id);
    expect(ids(1, 3)).toEqual(['RXX01', 'RXX04', 'RXX07']);
    expect(ids(2, 3)).toEqual(['RXX02', 'RXX05']);
    expect(ids(3, 3)).toEqual(['RXX03', 'RXX06']);
    expect(ids(1, 1)).toEqual(estate.sites.map((s) => s.id));
    expect(ids(8, 8)).toEqual([]);
    expect(() => sitesOfShard(estate.sites, { index: 4, count: 3 })).toThrow('from 1 to 3');
  });
});

/** A simulator of the estate with the same faults at their default targets (chosen from the whole estate). */
function simulator(shard?: EstateShard): Simulator {
  const sim = new Simulator({ estate, seed: 11, ...(shard ? { shard } : {}) });
  for (const scenario of ['site-wan-congested', 'ap-degraded', 'device-slow', 'app-flaky'] satisfies ScenarioName[]) {
    sim.injectFault(scenario, { at: T0 + 3 * MIN, until: T0 + 9 * MIN });
  }
  return sim;
}

describe('Simulator with a shard', () => {
  const whole = simulator().generate(T0, T0 + 12 * MIN);

  it.each([1, 2, 3, 7, 9])('in %i shards gives, shard by shard, the whole estate’s events of its sites in their order', (count) => {
    const shards: TelemetryEvent[][] = [];
    for (let index = 1; index <= count; index++) {
      const sim = simulator({ index, count });
      // Generated in two spans, as a running simulator does: the split does not show.
      shards.push([...sim.generate(T0, T0 + 5 * MIN), ...sim.generate(T0 + 5 * MIN, T0 + 12 * MIN)]);
    }
    shards.forEach((events, i) => {
      const sites = new Set(sitesOfShard(estate.sites, { index: i + 1, count }).map((s) => s.id));
      expect(events).toEqual(whole.filter((e) => sites.has(e.site)));
    });
    const union = shards.flat().sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const sortedWhole = [...whole].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(union).toEqual(sortedWhole);
  });

  it('keeps the whole estate’s faults and targets: a fault elsewhere is accepted and bends nothing here', () => {
    // Shard 2 of 3 holds RXX02 and RXX05; RXX01's fault is the other shard's.
    const sim = new Simulator({ estate, seed: 11, shard: { index: 2, count: 3 } });
    expect(sim.injectFault('site-wan-congested', { target: 'RXX01', at: T0 }).target).toBe('RXX01');
    expect(sim.injectFault('device-slow', { target: 'RXX07-W01-D01', at: T0 }).target).toBe('RXX07-W01-D01');
    expect(() => sim.injectFault('site-wan-congested', { target: 'RXX99', at: T0 })).toThrow('no site "RXX99"');
    const events = sim.generate(T0, T0 + 2 * MIN);
    expect(new Set(events.map((e) => e.site))).toEqual(new Set(['RXX02', 'RXX05']));
    expect(events).toEqual(new Simulator({ estate, seed: 11, shard: { index: 2, count: 3 } }).generate(T0, T0 + 2 * MIN));
  });
});
