import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import { buildEstate } from './estate.ts';
import { SimulationRunner } from './runner.ts';
import { Simulator } from './simulator.ts';

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const MIN = 60_000;
const estate = buildEstate({ seed: 3, sites: 2, wardsPerSite: 3, devicesPerWard: 8 });

/** A runner at 60× whose wall clock the test moves, with no timer: ticks are driven by hand. */
function runnerAt60x(sink: (events: TelemetryEvent[]) => Promise<void>, batchSize: number, onError?: (error: unknown) => void) {
  let wall = 1_000_000;
  const simulator = new Simulator({ estate, seed: 5 });
  const runner = new SimulationRunner({ simulator, speed: 60, startAt: T0, now: () => wall, sink, batchSize, onError, tickMs: 3_600_000 });
  runner.start();
  return { simulator, runner, advance: (ms: number) => (wall += ms) };
}

describe('SimulationRunner until', () => {
  it('generates nothing at or after `until`, however far ahead its clock runs', async () => {
    const delivered: TelemetryEvent[] = [];
    let wall = 1_000_000;
    const simulator = new Simulator({ estate, seed: 5 });
    const runner = new SimulationRunner({ simulator, speed: 100_000, startAt: T0, until: T0 + 2 * MIN, now: () => wall, sink: async (events) => void delivered.push(...events), tickMs: 3_600_000 });
    runner.start();
    wall += 3_600_000; // 100,000 simulated hours later
    await runner.tick();
    await runner.stop();
    expect(runner.generatedUntil).toBe(T0 + 2 * MIN);
    expect(delivered).toEqual(simulator.generate(T0, T0 + 2 * MIN));
  });
});

describe('SimulationRunner batches', () => {
  it('hands a large span to the sink in batches of at most batchSize, every event once and in order', async () => {
    const batches: TelemetryEvent[][] = [];
    const { simulator, runner, advance } = runnerAt60x(async (events) => void batches.push(events), 100);
    advance(5_000); // five simulated minutes
    await runner.tick();
    await runner.stop();
    expect(runner.generatedUntil).toBe(T0 + 5 * MIN);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.every((b) => b.length > 0 && b.length <= 100)).toBe(true);
    expect(batches.flat()).toEqual(simulator.generate(T0, T0 + 5 * MIN));
  });

  it('retries the batch that failed, then goes on with its span: nothing lost, nothing twice', async () => {
    const delivered: TelemetryEvent[][] = [];
    const failures: unknown[] = [];
    let calls = 0;
    const sink = async (events: TelemetryEvent[]) => {
      if (++calls === 3) throw new Error('broker unavailable');
      delivered.push(events);
    };
    const { simulator, runner, advance } = runnerAt60x(sink, 100, (error) => failures.push(error));
    advance(1_000); // one simulated minute
    await runner.tick();
    expect(failures).toHaveLength(1);
    expect(runner.generatedUntil).toBe(T0);
    await runner.tick();
    await runner.stop();
    expect(runner.generatedUntil).toBe(T0 + MIN);
    expect(delivered.flat()).toEqual(simulator.generate(T0, T0 + MIN));
  });
});

describe('SimulationRunner marks', () => {
  it('marks how far each tick delivered, once its span is in the sink — not after a failed one', async () => {
    const marks: Array<[number, number]> = [];
    let received = 0;
    let calls = 0;
    let wall = 1_000_000;
    const runner = new SimulationRunner({
      simulator: new Simulator({ estate, seed: 5 }), speed: 60, startAt: T0, now: () => wall, batchSize: 100, tickMs: 3_600_000,
      sink: async (events) => {
        if (++calls === 2) throw new Error('broker unavailable');
        received += events.length;
      },
      onError: () => {},
      delivered: (to) => marks.push([to, received]),
    });
    runner.start();
    wall += 1_000; // one simulated minute: its second batch fails
    await runner.tick();
    expect(marks).toEqual([]);
    await runner.tick();
    wall += 500;
    await runner.tick();
    await runner.stop();
    const generated = (to: number) => new Simulator({ estate, seed: 5 }).generate(T0, to).length;
    expect(marks).toEqual([
      [T0 + MIN, generated(T0 + MIN)],
      [T0 + 1.5 * MIN, generated(T0 + 1.5 * MIN)],
    ]);
  });
});

describe('SimulationRunner marks travel with the last batch', () => {
  /** One simulated minute through a sink that answers only when told, in the order things happened. */
  async function orderOfOneMinute(batchSize: number): Promise<string[]> {
    const order: string[] = [];
    const answers: Array<() => void> = [];
    let wall = 1_000_000;
    const runner = new SimulationRunner({
      simulator: new Simulator({ estate, seed: 5 }), speed: 60, startAt: T0, now: () => wall, batchSize, tickMs: 3_600_000,
      sink: (events) => {
        order.push(`batch ${events.length}`);
        return new Promise<void>((resolve) => answers.push(() => (order.push('answered'), resolve())));
      },
      delivered: (to) => order.push(`mark ${to - T0}`),
    });
    runner.start();
    wall += 1_000; // one simulated minute
    const tick = runner.tick();
    const answerAll = async () => {
      while (runner.generatedUntil < T0 + MIN || answers.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        answers.splice(0).forEach((answer) => answer());
      }
    };
    await Promise.all([tick, answerAll()]);
    await runner.stop();
    return order;
  }

  it('marks as soon as the span’s short last batch is handed over, before the sink answers', async () => {
    const order = await orderOfOneMinute(100);
    const batches = order.filter((o) => o.startsWith('batch'));
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.slice(0, -1).every((b) => b === 'batch 100')).toBe(true);
    expect(batches.at(-1)).not.toBe('batch 100');
    expect(order.slice(-3)).toEqual([batches.at(-1), `mark ${MIN}`, 'answered']);
  });

  it('marks a span whose last batch is full once it is answered (it cannot be known to be the last before)', async () => {
    const events = new Simulator({ estate, seed: 5 }).generate(T0, T0 + MIN).length;
    expect(await orderOfOneMinute(events)).toEqual([`batch ${events}`, 'answered', `mark ${MIN}`]);
  });
});

describe('SimulationRunner clock', () => {
  it.each([
    ['started at once', undefined, 0],
    ['started 9 s after startAt was chosen (a backfill written meanwhile), given that wall time', 1_000_000, 9_000],
  ])('at real time, %s: simulated time is the wall clock from startAt on', async (_label, startWall, lateMs) => {
    let wall = 1_000_000 + lateMs;
    const runner = new SimulationRunner({ simulator: new Simulator({ estate, seed: 5 }), speed: 1, startAt: T0, ...(startWall !== undefined ? { startWall } : {}), now: () => wall, sink: async () => {}, tickMs: 3_600_000 });
    runner.start();
    wall += 1_000;
    // Without startWall the clock starts when start() is called; with it, the 9 s are not lost.
    expect(runner.simulatedNow).toBe(T0 + 1_000 + (startWall !== undefined ? lateMs : 0));
    await runner.stop();
  });
});

describe('SimulationRunner, stepped', () => {
  it('moves only by advance(ms): the wall clock moves nothing, each step delivers exactly its span', async () => {
    let wall = 1_000_000;
    const delivered: TelemetryEvent[][] = [];
    const simulator = new Simulator({ estate, seed: 5 });
    const seenAt: number[] = [];
    const runner: SimulationRunner = new SimulationRunner({
      simulator,
      stepped: true,
      startAt: T0,
      now: () => wall,
      batchSize: 100,
      sink: async (events) => {
        seenAt.push(runner.simulatedNow);
        delivered.push(events);
      },
    });
    expect(() => runner.start()).toThrow(/stepped runner moves only by advance/);
    wall += 3_600_000;
    expect(runner.simulatedNow).toBe(T0);
    await runner.advance(90_000);
    expect(runner.simulatedNow).toBe(T0 + 90_000);
    expect(runner.generatedUntil).toBe(T0 + 90_000);
    // The clock already reads the step's end while its events go out.
    expect(new Set(seenAt)).toEqual(new Set([T0 + 90_000]));
    await runner.advance(0);
    await runner.advance(3 * MIN - 90_000);
    expect(runner.simulatedNow).toBe(T0 + 3 * MIN);
    expect(delivered.flat()).toEqual(simulator.generate(T0, T0 + 3 * MIN));
    await expect(runner.advance(1.5)).rejects.toThrow(/whole milliseconds/);
    await runner.stop();
  });

  it('is refused on a runner that follows the wall clock', async () => {
    const runner = new SimulationRunner({ simulator: new Simulator({ estate, seed: 5 }), startAt: T0, sink: async () => {} });
    await expect(runner.advance(MIN)).rejects.toThrow(/stepped: true/);
  });
});
