import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { turnsDuring } from './helpers/event-loop-turns.ts';

// The helper the store, SLO and evidence tests (and the demo-history bench) judge "gives the thread
// turns" by: it must tell a step that never yields from one that does.
describe('turnsDuring', () => {
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it('counts no turn for a step that never yields, and holds the thread for all of it', async () => {
    const { result, turns, ms, longestMs } = await turnsDuring(async () => {
      busy(40);
      return 'done';
    });
    expect(result).toBe('done');
    expect(turns).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(40);
    expect(longestMs).toBeGreaterThanOrEqual(40);
  });

  it('counts a turn for each yield, and the longest hold is one piece, not the whole', async () => {
    const { turns, ms, longestMs } = await turnsDuring(async () => {
      for (let i = 0; i < 5; i++) {
        busy(20);
        await nextTurn();
      }
    });
    expect(turns).toBe(5);
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(longestMs).toBeLessThan(ms);
  });
});
