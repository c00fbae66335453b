// A minute of a large estate is visited, not held: the heap grows by the garbage of the events being
// made, not by the minute's 3.2 million events (held as an array, they take gigabytes).
import { describe, expect, it } from 'vitest';
import { buildEstate } from './estate.ts';
import { Simulator } from './simulator.ts';

const T = Date.UTC(2026, 10, 24, 9, 0);
const MIB = 2 ** 20;

describe('generation memory', () => {
  it('visits a minute of 500,000 devices holding less than 256 MiB beyond the simulator (19 MiB measured; 1.1 GiB if held)', () => {
    const simulator = new Simulator({ estate: buildEstate({ seed: 1, sites: 6_250 }), seed: 1 });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let events = 0;
    simulator.generateEach(T, T + 60_000, () => {
      if (++events % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    expect(events).toBeGreaterThan(3_000_000);
    expect((peak - before) / MIB).toBeLessThan(256);
  }, 180_000);
});
