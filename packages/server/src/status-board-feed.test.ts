import { describe, expect, it, vi } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { StatusBoard } from './status-board.ts';
import { StatusBoardFeed } from './status-board-feed.ts';

const status = (id: string, asOf: number): ScopeStatus => ({
  key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: 'ok', reason: '', since: 0, asOf,
  figures: { appChecks: 10, p50Ms: 300, p95Ms: 500, p99Ms: 700, availability: 1, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
});

describe('StatusBoardFeed', () => {
  it('applies the first batch at once, gathers the next ones and applies them together after the interval', () => {
    vi.useFakeTimers();
    try {
      const board = new StatusBoard();
      const applied: number[] = [];
      const applyAll = board.applyAll.bind(board);
      board.applyAll = (statuses) => { const list = [...statuses]; applied.push(list.length); applyAll(list); };
      const feed = new StatusBoardFeed(board, 500);
      feed.push([status('S1', 1000)]);
      expect(applied).toEqual([1]);
      feed.push([status('S2', 1000)]);
      feed.push([status('S3', 1000), status('S1', 2000)]);
      expect(applied).toEqual([1]);
      expect(board.get('site:S2')).toBeUndefined();
      vi.advanceTimersByTime(500);
      expect(applied).toEqual([1, 3]);
      expect(board.get('site:S1')!.asOf).toBe(2000);
      expect(board.get('site:S3')).toBeDefined();
      // A flush (shutdown) applies what waits without waiting.
      feed.push([status('S4', 3000)]);
      feed.flush();
      expect(applied).toEqual([1, 3, 1]);
    } finally {
      vi.useRealTimers();
    }
  });
});
