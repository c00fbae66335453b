import { describe, expect, it } from 'vitest';
import { assertRealTimeStore, formatLead, SimulatedClockAheadError } from './simulated-clock.ts';
import { UsageError } from './usage-error.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const MIN = 60_000;

describe('assertRealTimeStore: a real-time start never resumes a simulated clock ahead of the wall clock', () => {
  it.each<[string, number | undefined, boolean]>([
    ['no clock recorded (a new store, or one without a demo)', undefined, true],
    ['a real-time demo stopped an hour ago', NOW - 60 * MIN, true],
    ['a clock just behind', NOW - 1, true],
    ['a clock at the wall clock', NOW, true],
    ['a clock stepped back by up to a minute', NOW + MIN, true],
    ['an accelerated demo a minute and a second ahead', NOW + MIN + 1000, false],
    ['an accelerated demo hours ahead', NOW + 5 * 60 * MIN, false],
  ])('%s', (_, position, allowed) => {
    const check = () => assertRealTimeStore(position, NOW, 'sqlite:.data/wardwatch.db');
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(SimulatedClockAheadError);
  });

  it('names the store, the lead and the ways out, as a usage error (exit 2, no stack)', () => {
    let error: unknown;
    try {
      assertRealTimeStore(NOW + (3 * 60 + 12) * MIN + 30_000, NOW, 'sqlite:.data/wardwatch.db');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ storeUrl: 'sqlite:.data/wardwatch.db', leadMs: (3 * 60 + 12) * MIN + 30_000 });
    expect((error as Error).message).toMatch(/^the store sqlite:\.data\/wardwatch\.db holds a demo's simulated clock 3 h 12 min ahead of the wall clock/);
    expect((error as Error).message).toMatch(/another --store .*sqlite:\.data\/wardwatch-speed\.db/);
  });
});

describe('formatLead', () => {
  it.each([
    [45 * MIN, '45 min'],
    [60 * MIN, '1 h'],
    [(3 * 60 + 12) * MIN + 59_999, '3 h 12 min'],
    [(26 * 60) * MIN, '1 d 2 h'],
    [48 * 60 * MIN, '2 d'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatLead(ms)).toBe(text);
  });
});
