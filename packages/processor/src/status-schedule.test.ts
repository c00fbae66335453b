import { describe, expect, it } from 'vitest';
import { statusEvaluationDue, type StatusEvaluation } from './status-schedule.ts';

const W = 60_000;
const T = Date.UTC(2026, 10, 30, 9, 0); // a window's end

describe('statusEvaluationDue', () => {
  it.each<[string, number, number, number, StatusEvaluation | undefined]>([
    ['nothing seen yet', T + 5_000, -Infinity, 200, undefined],
    ['before the next tick', T + 5_150, T + 5_200, 200, undefined],
    ['a tick passed: as of the live edge, the next tick after it', T + 5_230, T + 5_200, 200, { end: T + 5_230, full: false, nextDueEnd: T + 5_400 }],
    ['several ticks passed at once: one evaluation', T + 9_990, T + 5_200, 200, { end: T + 9_990, full: false, nextDueEnd: T + 10_000 }],
    ['exactly on a window end', T, T, 200, { end: T, full: true, nextDueEnd: T + 200 }],
    ['past a window end not evaluated: that end first', T + 260, T - 40, 200, { end: T, full: true, nextDueEnd: T + 200 }],
    ['…and at the next advance, the tick after it', T + 260, T + 200, 200, { end: T + 260, full: false, nextDueEnd: T + 400 }],
    ['minutes skipped: the latest window end', T + 3 * W + 1_000, T - 40, 200, { end: T + 3 * W, full: true, nextDueEnd: T + 3 * W + 200 }],
    ['ticks a window long (the default): window ends only', T + 59_999, T + W, W, undefined],
    ['…at the end, as before', T + W + 400, T + W, W, { end: T + W, full: true, nextDueEnd: T + 2 * W }],
    ['one-second ticks', T + 1_700, T + 1_000, 1_000, { end: T + 1_700, full: false, nextDueEnd: T + 2_000 }],
  ])('%s', (_what, liveEdge, nextDueEnd, intervalMs, expected) => {
    expect(statusEvaluationDue(liveEdge, nextDueEnd, W, intervalMs)).toEqual(expected);
  });
});
