import { describe, expect, it } from 'vitest';
import { demoBackfillMs } from './demo-backfill.ts';

const MIN = 60_000;
const at = (h: number, m: number) => Date.UTC(2026, 11, 3, h, m);

describe('demoBackfillMs', () => {
  it.each([
    ['first run with history: from the hour it ends at', at(8, 55), 60 * MIN, 3, undefined, 115 * MIN],
    ['first run with history, on the hour', at(9, 0), 60 * MIN, 3, undefined, 60 * MIN],
    ['first run, 30 min asked at 09:40: from 09:00', at(9, 40), 30 * MIN, 1, undefined, 40 * MIN],
    ['first run without history: as asked', at(8, 55), 60 * MIN, 0, undefined, 60 * MIN],
    ['first run, no backfill asked', at(8, 55), 0, 3, undefined, 0],
    ['restart at real time after 24 min stopped: all of it', at(8, 55), 60 * MIN, 3, at(8, 31), 24 * MIN],
    ['restart after three hours stopped: the backfill\'s span of it', at(8, 55), 60 * MIN, 3, at(5, 55), 60 * MIN],
    ['restart with a clock ahead (not caught up with)', at(8, 55), 60 * MIN, 3, at(9, 0), 0],
    ['accelerated restart: goes on from its clock', at(8, 55), 60 * MIN, 3, null, 0],
  ])('%s', (_name, startAt, backfillMs, historyMonths, stoppedAt, expected) => {
    expect(demoBackfillMs({ startAt, backfillMs, historyMonths, stoppedAt })).toBe(expected);
  });
});
