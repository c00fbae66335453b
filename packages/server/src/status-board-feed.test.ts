import { describe, expect, it, vi } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { StatusBoard } from './status-board.ts';
import { feedDelay, StatusBoardFeed, WHOLE_ROUND_FEED_TIMING } from './status-board-feed.ts';

const status = (id: string, asOf: number): ScopeStatus => ({
  key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: 'ok', reason: '', since: 0, asOf,
  figures: { appChecks: 10, p50Ms: 300, p95Ms: 500, p99Ms: 700, availability: 1, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
});

describe('feedDelay', () => {
  const timing = { gatherMs: 10, minIntervalMs: 100 };
  it.each<[string, number, number, number]>([
    ['the first statuses ever: gathered for a moment', 5_000, -Infinity, 10],
    ['after a quiet spell: gathered for a moment', 5_000, 4_000, 10],
    ['just after an apply: until the interval is up', 5_030, 5_000, 70],
    ['near the interval’s end: still gathered', 5_095, 5_000, 10],
  ])('%s', (_what, now, lastAppliedAt, expected) => {
    expect(feedDelay(now, lastAppliedAt, timing)).toBe(expected);
  });
});

/** A board that records how many statuses each apply brought. */
function countingBoard(): { board: StatusBoard; applied: number[] } {
  const board = new StatusBoard();
  const applied: number[] = [];
  const applyAll = board.applyAll.bind(board);
  board.applyAll = (statuses, edges) => {
    const list = [...statuses];
    applied.push(list.length);
    applyAll(list, edges);
  };
  return { board, applied };
}

describe('StatusBoardFeed', () => {
  it('with nothing to gather, applies a round as it arrives, and still keeps applies an interval apart', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const { board, applied } = countingBoard();
      const feed = new StatusBoardFeed(board, WHOLE_ROUND_FEED_TIMING);
      feed.push([status('S1', 1000), status('S2', 1000)]);
      expect(applied).toEqual([2]);
      expect(vi.getTimerCount()).toBe(0);
      // 40 ms later: within the interval, so it waits until it is up.
      vi.advanceTimersByTime(40);
      feed.push([status('S1', 2000)]);
      expect(applied).toEqual([2]);
      vi.advanceTimersByTime(59);
      expect(applied).toEqual([2]);
      vi.advanceTimersByTime(1);
      expect(applied).toEqual([2, 1]);
      // A quarter second on: at once again.
      vi.advanceTimersByTime(250);
      feed.push([status('S2', 3000)]);
      expect(applied).toEqual([2, 1, 1]);
      expect(board.get('site:S2')!.asOf).toBe(3000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gathers what arrives, applies it together, and keeps applies an interval apart', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const { board, applied } = countingBoard();
      const feed = new StatusBoardFeed(board, { gatherMs: 10, minIntervalMs: 100 });
      // A round in three messages, a few milliseconds apart: one apply.
      feed.push([status('S1', 1000)]);
      vi.advanceTimersByTime(4);
      feed.push([status('S2', 1000)]);
      expect(applied).toEqual([]);
      vi.advanceTimersByTime(6);
      expect(applied).toEqual([2]);
      // The next round 30 ms later waits until the interval is up.
      vi.advanceTimersByTime(30);
      feed.push([status('S3', 1000), status('S1', 2000)]);
      vi.advanceTimersByTime(69);
      expect(applied).toEqual([2]);
      expect(board.get('site:S1')!.asOf).toBe(1000);
      vi.advanceTimersByTime(1);
      expect(applied).toEqual([2, 2]);
      expect(board.get('site:S1')!.asOf).toBe(2000);
      // A flush (shutdown, a stepped clock's step) applies what waits without waiting.
      feed.push([status('S4', 3000)]);
      feed.flush();
      expect(applied).toEqual([2, 2, 1]);
      expect(board.get('site:S4')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
