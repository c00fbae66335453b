import { describe, expect, it } from 'vitest';
import { ReplayWindow, RESTART_AFTER_MS, RESTART_DISTANCE, type SeqVerdict } from './replay-window.ts';

const T = Date.UTC(2026, 10, 30, 9, 0);
const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1
/** An agent's seq for an event at ts: tied to its clock. */
const agentSeq = (ts: number) => ts * 1000;

describe('ReplayWindow', () => {
  // [name, [seq, ts] pairs, verdicts]
  it.each<[string, Array<[number, number]>, SeqVerdict[]]>([
    ['in order', [[1, T], [2, T], [3, T]], ['new', 'new', 'new']],
    ['exact replay', [[1, T], [2, T], [2, T]], ['new', 'new', 'duplicate']],
    ['reordered within the window', [[5, T], [3, T], [4, T], [3, T]], ['new', 'new', 'new', 'duplicate']],
    ['too far behind is a replay', [[1000, T], [800, T]], ['new', 'duplicate']],
    ['just inside 128', [[1000, T], [873, T], [873, T]], ['new', 'new', 'duplicate']],
    ['big jumps clear the bitmap', [[1, T], [1_000_000, T], [1, T]], ['new', 'new', 'duplicate']],
    ['across word boundaries', [[40, T], [70, T], [7, T], [40, T], [39, T], [7, T]], ['new', 'new', 'new', 'duplicate', 'new', 'duplicate']],
    [
      'an agent batch retried 15 s later is all duplicates (seqs millions apart)',
      [[agentSeq(T), T], [agentSeq(T + 5000), T + 5000], [agentSeq(T + 10_000), T + 10_000], [agentSeq(T), T], [agentSeq(T + 5000), T + 5000]],
      ['new', 'new', 'new', 'duplicate', 'duplicate'],
    ],
    [
      'a spool a week old replayed after the live events is all duplicates',
      [[agentSeq(T - 7 * 86_400_000), T - 7 * 86_400_000], [agentSeq(T), T], [agentSeq(T - 7 * 86_400_000), T - 7 * 86_400_000]],
      ['new', 'new', 'duplicate'],
    ],
    [
      'seq 2^53 − 1 then normal seqs: the sequence restarts and the device stays counted',
      [[agentSeq(T), T], [MAX, T + 1000], [agentSeq(T + 5000), T + 5000], [agentSeq(T + 10_000), T + 10_000], [agentSeq(T + 5000), T + 5000]],
      ['new', 'restart', 'restart', 'new', 'duplicate'],
    ],
    ['small seqs after 2^53 − 1', [[MAX, T], [1, T], [2, T], [1, T]], ['new', 'restart', 'new', 'duplicate']],
    [
      'a poisoned seq within the distance bound silences the device for at most RESTART_AFTER_MS of event time',
      [[100, T], [100 + RESTART_DISTANCE - 1, T], [101, T + RESTART_AFTER_MS], [102, T + RESTART_AFTER_MS + 1], [103, T + RESTART_AFTER_MS + 2], [102, T + RESTART_AFTER_MS + 1]],
      ['new', 'new', 'duplicate', 'restart', 'new', 'duplicate'],
    ],
    ['a reinstalled agent counting from 1 again is a restart', [[5_000_000, T], [1, T + 20 * 60_000], [2, T + 20 * 60_000]], ['new', 'restart', 'new']],
    ['a jump ahead beyond the bound is counted as a restart', [[1, T], [2 + RESTART_DISTANCE, T]], ['new', 'restart']],
  ])('%s', (_name, events, expected) => {
    const replay = new ReplayWindow();
    expect(events.map(([seq, ts]) => replay.accept(seq, ts))).toEqual(expected);
  });
});
