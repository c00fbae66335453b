import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayWindow, RESTART_AFTER_MS, RESTART_DISTANCE, shiftedWord, type SeqVerdict } from './replay-window.ts';

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
      'seq 2^53 − 1 then normal seqs: the jump is counted, undone at the next seq, and the device stays counted',
      [[agentSeq(T), T], [MAX, T + 1000], [agentSeq(T + 5000), T + 5000], [agentSeq(T + 10_000), T + 10_000], [agentSeq(T + 5000), T + 5000]],
      ['new', 'restart', 'new', 'new', 'duplicate'],
    ],
    ['small seqs after 2^53 − 1', [[MAX, T], [1, T], [2, T], [1, T]], ['new', 'restart', 'new', 'duplicate']],
    [
      'a retry right after 2^53 − 1 is judged by the window from before it',
      [[agentSeq(T), T], [agentSeq(T + 5000), T + 5000], [MAX, T + 6000], [agentSeq(T), T], [agentSeq(T + 5000), T + 5000], [agentSeq(T + 10_000), T + 10_000]],
      ['new', 'new', 'restart', 'duplicate', 'duplicate', 'new'],
    ],
    [
      'a long-offline device’s real jump: the old window is dropped at the next seq beyond it',
      [[agentSeq(T), T], [agentSeq(T + 14 * 86_400_000), T + 14 * 86_400_000], [agentSeq(T + 14 * 86_400_000 + 5000), T + 14 * 86_400_000 + 5000], [agentSeq(T), T]],
      ['new', 'restart', 'new', 'restart'],
    ],
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

describe('ReplayWindow with agents’ traffic (property)', () => {
  // An agent measures every 1–30 s, seq = max(last + 1, ts × 1000), sends batches of 1–20 in order and
  // sometimes sends a batch again (its ack was lost) after up to three later batches.
  const traffic = fc.record({
    gaps: fc.array(fc.integer({ min: 1000, max: 30_000 }), { minLength: 20, maxLength: 200 }),
    batch: fc.integer({ min: 1, max: 20 }),
    retries: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })), { maxLength: 10 }),
    poisonAt: fc.option(fc.nat(), { nil: undefined }),
  });

  function sendOrder(gaps: number[], batchSize: number, retries: Array<[number, number]>): Array<{ seq: number; ts: number; first: boolean }> {
    let ts = T;
    let seq = 0;
    const events = gaps.map((gap) => {
      ts += gap;
      seq = Math.max(seq + 1, ts * 1000);
      return { seq, ts };
    });
    const batches = Array.from({ length: Math.ceil(events.length / batchSize) }, (_, i) => events.slice(i * batchSize, (i + 1) * batchSize));
    const out: Array<{ seq: number; ts: number; first: boolean }> = [];
    batches.forEach((batch, i) => {
      out.push(...batch.map((e) => ({ ...e, first: true })));
      for (const [which, back] of retries) if (which % batches.length === i && i - back >= 0) out.push(...batches[i - back]!.map((e) => ({ ...e, first: false })));
    });
    return out;
  }

  it('counts every event once and every retry never, whatever the gaps, batches and retries', () => {
    fc.assert(
      fc.property(traffic, ({ gaps, batch, retries }) => {
        const replay = new ReplayWindow();
        for (const e of sendOrder(gaps, batch, retries)) expect(replay.accept(e.seq, e.ts)).toBe(e.first ? 'new' : 'duplicate');
      }),
    );
  });

  it('after one seq 2^53 − 1, every later first copy is counted and no retry, even one right after it', () => {
    fc.assert(
      fc.property(traffic, ({ gaps, batch, retries, poisonAt }) => {
        const order = sendOrder(gaps, batch, retries);
        const at = (poisonAt ?? 0) % order.length;
        const replay = new ReplayWindow();
        order.forEach((e, i) => {
          if (i === at) expect(replay.accept(MAX, e.ts)).not.toBe('duplicate');
          const verdict = replay.accept(e.seq, e.ts);
          // The window from before the jump judges what comes back below it: retries stay duplicates.
          expect(verdict === 'duplicate').toBe(!e.first);
        });
      }),
    );
  });
});

describe('the replay bitmap', () => {
  // [w0, w1, w2, w3, by] → the four words shifted (unsigned, as the bitmap getter gives them)
  it.each<[string, [number, number, number, number], number, [number, number, number, number]]>([
    ['by 0: unchanged', [1, 2, 3, 0x80000000], 0, [1, 2, 3, 0x80000000]],
    ['by 1: the top bit of a word moves into the next', [0x80000001, 0, 0, 0], 1, [2, 1, 0, 0]],
    ['by 31', [3, 0, 0, 0], 31, [0x80000000, 1, 0, 0]],
    ['by a whole word', [5, 6, 7, 8], 32, [0, 5, 6, 7]],
    ['by 33', [0xffffffff, 0, 0, 0], 33, [0, 0xfffffffe, 1, 0]],
    ['by 127: only word 0’s lowest bit survives, at the top', [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], 127, [0, 0, 0, 0x80000000]],
  ])('%s', (_name, [w0, w1, w2, w3], by, expected) => {
    expect([0, 1, 2, 3].map((i) => shiftedWord(w0 | 0, w1 | 0, w2 | 0, w3 | 0, i, by) >>> 0)).toEqual(expected);
  });

  it('holds a bit for each seq accepted among the 128 up to the highest, and judges by them (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 300 }), (seqs) => {
        const replay = new ReplayWindow();
        const seen = new Set<number>();
        let highest = -1;
        for (const seq of seqs) {
          // Within the distance bound and no newer event time: far behind the window is a replay.
          const expected = seen.has(seq) || seq <= highest - 128 ? 'duplicate' : 'new';
          expect(replay.accept(seq, T)).toBe(expected);
          if (expected === 'new') seen.add(seq);
          highest = Math.max(highest, seq);
          const words = [0, 0, 0, 0];
          for (const s of seen) if (highest - s < 128) words[(highest - s) >>> 5]! += 2 ** ((highest - s) & 31);
          expect(replay.bitmap).toEqual(words);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is restored from a state as it was (the words as snapshots keep them, unsigned)', () => {
    const replay = new ReplayWindow();
    for (const seq of [1000, 999, 968, 967, 873]) replay.accept(seq, T);
    const copy = new ReplayWindow();
    copy.restore(replay.state);
    expect(copy.bitmap).toEqual(replay.bitmap);
    expect(copy.bitmap[3]).toBe(2 ** 31); // seq 873, 127 below the highest: bit 31 of word 3, unsigned
    expect([873, 874, 999].map((seq) => copy.accept(seq, T))).toEqual(['duplicate', 'new', 'duplicate']);
  });
});
