import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/schema';
import { Cell } from './cell.ts';
import { WindowCells } from './processor-state.ts';
import { carryToHour, rollUpMinute } from './roll-up.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { StreamProcessor } from './stream-processor.ts';
import { app, MIN, mulberry32, T0, wifi } from './test-events.fixture.ts';

const HOUR = 60 * MIN;

/** A final minute: scopes (some devices) with cells of random values, some counted but not measured. */
const minute = fc.array(
  fc.record({
    scope: fc.constantFrom('site:S1', 'ward:S1/W1', 'ward:S1/W2', 'ap:aa', 'device:D1', 'device:D2', 'device:D3'),
    metric: fc.constantFrom(0, 1, 2, 7, 16),
    values: fc.array(fc.oneof(fc.double({ min: 0.1, max: 60_000, noNaN: true }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 30 }),
  }),
  { maxLength: 12 },
);

function windowOf(start: number, parts: Array<{ scope: string; metric: number; values: number[] }>): WindowCells {
  const window = new WindowCells(start);
  for (const { scope, metric, values } of parts) {
    const cells = window.at(scope);
    const cell = (cells[metric] ??= new Cell());
    for (const v of values) cell.add(v, v === v, v < 1000);
  }
  return window;
}

/** A window's cells as comparable rows, in its order: scope, metric, counts and the stored bytes. */
const rows = (window: WindowCells) =>
  [...window.cells].flatMap(([scope, cells]) =>
    cells.flatMap((cell, m) => (cell ? [[scope, m, cell.count, cell.valid, cell.good, cell.fast, Buffer.from(cell.encode()).toString('hex')]] : [])),
  );

describe('final minutes into their 5-minute and hourly windows', () => {
  it.each([
    ['devices kept hourly only', false, true],
    ['devices kept at both', true, true],
    ['devices kept at 5 minutes only', true, false],
  ])('through the 5-minute windows, the hour holds what every minute merged in holds, in the same order (%s)', (_name, fiveDevices, hourDevices) => {
    fc.assert(
      fc.property(fc.array(minute, { minLength: 1, maxLength: 12 }), (minutes) => {
        // One by one (as before), and through 5-minute windows that carry them to the hour.
        const direct = { fives: new Map<number, WindowCells>(), hour: new WindowCells(T0) };
        const carried = { fives: new Map<number, WindowCells>(), hour: new WindowCells(T0) };
        const fiveOf = (fives: Map<number, WindowCells>, start: number, carries: boolean) => {
          let five = fives.get(start);
          if (!five) fives.set(start, (five = new WindowCells(start)));
          five.carriesToHour = carries;
          return five;
        };
        minutes.forEach((parts, i) => {
          const start = T0 + i * MIN;
          const fiveStart = T0 + Math.floor(i / 5) * 5 * MIN;
          rollUpMinute(windowOf(start, parts), { five: fiveOf(direct.fives, fiveStart, false), fiveDevices, hour: direct.hour, hourDevices });
          rollUpMinute(windowOf(start, parts), { five: fiveOf(carried.fives, fiveStart, true), fiveDevices, hour: carried.hour, hourDevices });
        });
        for (const five of carried.fives.values()) carryToHour(five, carried.hour, hourDevices);
        expect(rows(carried.hour)).toEqual(rows(direct.hour));
        expect([...carried.fives.values()].map(rows)).toEqual([...direct.fives.values()].map(rows));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a snapshot whose 5-minute windows have their minutes in the hour already (written before they carried them)', () => {
  it('restores to the same hourly rollups as a processor that ran on', () => {
    const random = mulberry32(11);
    const events = [];
    for (let t = T0; t < T0 + 70 * MIN; t += 20_000) {
      for (const device of ['D1', 'D2', 'D3']) {
        events.push(app(t + Math.floor(random() * 10_000), 50 + Math.floor(random() * 2000), { device, ward: device === 'D3' ? 'W2' : 'W1', ap: '3c:a8:2a:00:00:01' }));
        events.push(wifi(t + 10_000, -40 - Math.floor(random() * 40), { device }));
      }
    }
    const config = { watermarkLagMs: 10_000, allowedLatenessMs: MIN };
    const hourly = (rollups: RollupRecord[]) => rollups.filter((r) => r.resolution === '1h').map((r) => ({ ...r, sketch: Buffer.from(r.sketch).toString('hex') }));
    const ranOn = new StreamProcessor(config);
    const restored: { processor: StreamProcessor } = { processor: new StreamProcessor(config) };
    const expected: RollupRecord[] = [];
    const got: RollupRecord[] = [];
    const cut = 800; // ~44 minutes in, just after an advance: the open 5-minute window holds three final minutes
    events.forEach((event, i) => {
      if (i === cut) {
        // What the code before wrote: every final minute in its hour, 5-minute windows not marked.
        const state = readSnapshot(restored.processor.snapshot(), config.watermarkLagMs);
        const fives = state.coarse.get('5m')!;
        const hours = state.coarse.get('1h')!;
        expect([...fives.values()].some((five) => five.carriesToHour && five.cells.size > 0)).toBe(true);
        for (const five of fives.values()) {
          carryToHour(five, hours.get(Math.floor(five.start / HOUR) * HOUR)!, true);
          five.carriesToHour = false;
        }
        restored.processor = StreamProcessor.restore(writeSnapshot(state), config);
      }
      ranOn.add(event);
      restored.processor.add(event);
      if (i % 50 === 49) {
        expected.push(...ranOn.advance().rollups);
        got.push(...restored.processor.advance().rollups);
      }
    });
    expected.push(...ranOn.flush().rollups);
    got.push(...restored.processor.flush().rollups);
    expect(hourly(expected).length).toBeGreaterThan(0);
    expect(hourly(got)).toEqual(hourly(expected));
  });
});
