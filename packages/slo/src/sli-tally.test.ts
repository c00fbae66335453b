// The SLI counters' tally: each step adds what the store's 1-minute rows hold now and did not at the
// last step — new minutes, minutes written late, what corrections added — so the counters' increase
// equals the rows' counts over the look-back.
import { describe, expect, it } from 'vitest';
import type { RollupRecord } from '@wardwatch/store';
import { SliCounter } from './sli-counter.ts';
import { SliTally } from './sli-tally.ts';

const T0 = Date.UTC(2026, 11, 4, 9, 0);
const MIN = 60_000;
const H = 60 * MIN;
const row = (site: string, minute: number, valid: number, good = valid): RollupRecord => ({
  scope: `site:${site}`, metric: 'app.totalMs', resolution: '1m', start: T0 + minute * MIN, count: good, valid, good, fast: good, sketch: new Uint8Array(),
});

/** Steps a tally over `steps`: the rows the store holds at each step, and the settled minute then. */
function run(scope: string, steps: Array<{ rows: RollupRecord[]; settledMinute: number }>, lookBackMs?: number) {
  const tally = new SliTally(T0, lookBackMs);
  return steps.map(({ rows, settledMinute }) => tally.step(new SliCounter(rows), scope, 'availability', T0 + settledMinute * MIN));
}

describe('SliTally', () => {
  it.each([
    {
      name: 'minutes as they become final',
      scope: 'site:S1',
      steps: [
        { rows: [row('S1', 0, 10, 9)], settledMinute: 1 },
        { rows: [row('S1', 0, 10, 9), row('S1', 1, 12)], settledMinute: 2 },
      ],
      increments: [{ valid: 10, good: 9 }, { valid: 12, good: 12 }],
    },
    {
      name: 'a minute written after the step that passed it (a lagging processor)',
      scope: 'site:S1',
      steps: [
        { rows: [row('S1', 0, 10)], settledMinute: 3 },
        { rows: [row('S1', 0, 10), row('S1', 1, 10), row('S1', 2, 10)], settledMinute: 3 },
      ],
      increments: [{ valid: 10, good: 10 }, { valid: 20, good: 20 }],
    },
    {
      name: 'a correction merged into a minute counted a minute ago: what it added',
      scope: 'site:S1',
      steps: [
        { rows: [row('S1', 0, 10), row('S1', 1, 10)], settledMinute: 2 },
        { rows: [row('S1', 0, 13, 10), row('S1', 1, 10)], settledMinute: 3 },
      ],
      increments: [{ valid: 20, good: 20 }, { valid: 3, good: 0 }],
    },
    {
      name: 'the trust-wide count, one site a minute behind the other',
      scope: 'trust',
      steps: [
        { rows: [row('S1', 0, 10), row('S1', 1, 10), row('S2', 0, 5)], settledMinute: 2 },
        { rows: [row('S1', 0, 10), row('S1', 1, 10), row('S2', 0, 5), row('S2', 1, 5)], settledMinute: 2 },
      ],
      increments: [{ valid: 25, good: 25 }, { valid: 5, good: 5 }],
    },
    {
      name: 'nothing from before counting started (the counters start at zero with the process)',
      scope: 'site:S1',
      steps: [{ rows: [row('S1', -5, 10), row('S1', 0, 10)], settledMinute: 1 }],
      increments: [{ valid: 10, good: 10 }],
    },
    {
      name: 'a row written again smaller holds what was counted; growing back adds nothing twice',
      scope: 'site:S1',
      steps: [
        { rows: [row('S1', 0, 10)], settledMinute: 1 },
        { rows: [row('S1', 0, 8)], settledMinute: 1 },
        { rows: [row('S1', 0, 11)], settledMinute: 1 },
      ],
      increments: [{ valid: 10, good: 10 }, { valid: 0, good: 0 }, { valid: 1, good: 1 }],
    },
  ])('$name', ({ scope, steps, increments }) => {
    expect(run(scope, steps)).toEqual(increments);
  });

  it('forgets minutes past the look-back: a correction to one of them is not added', () => {
    const early = [row('S1', 0, 10)];
    const later = [row('S1', 0, 20), row('S1', 200, 1)];
    expect(run('site:S1', [{ rows: early, settledMinute: 1 }, { rows: later, settledMinute: 201 }], 3 * H)).toEqual([
      { valid: 10, good: 10 },
      { valid: 1, good: 1 },
    ]);
    expect(run('site:S1', [{ rows: early, settledMinute: 1 }, { rows: later, settledMinute: 201 }], 4 * H)).toEqual([
      { valid: 10, good: 10 },
      { valid: 11, good: 11 },
    ]);
  });

  it('adds up, over any order of writes and steps inside the look-back, to the rows the store ends with (seeded)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const tally = new SliTally(T0);
      const rows = new Map<string, RollupRecord>();
      const total = { valid: 0, good: 0 };
      for (let step = 1; step <= 30; step++) {
        // Each step: the minute just settled, at one site or both, and now and then a correction or a late minute.
        for (const site of ['S1', 'S2']) {
          if (random() < 0.7) rows.set(`${site}:${step - 1}`, row(site, step - 1, 5 + Math.floor(random() * 5)));
          if (random() < 0.2) {
            // Late to a minute inside the look-back (ten minutes).
            const minute = Math.max(0, step - 1 - Math.floor(random() * 10));
            const old = rows.get(`${site}:${minute}`);
            rows.set(`${site}:${minute}`, row(site, minute, (old?.valid ?? 0) + 1 + Math.floor(random() * 3), (old?.good ?? 0) + Math.floor(random() * 2)));
          }
        }
        const increment = tally.step(new SliCounter([...rows.values()]), 'trust', 'availability', T0 + step * MIN);
        total.valid += increment.valid;
        total.good += increment.good;
      }
      const stored = [...rows.values()].reduce((sum, r) => ({ valid: sum.valid + r.valid, good: sum.good + r.good }), { valid: 0, good: 0 });
      expect(total).toEqual(stored);
    }
  });
});
