import { describe, expect, it } from 'vitest';
import { RejectionSummaries, type RejectionSummary } from './rejection-summary.ts';

describe('ingest refusals summed up for the log', () => {
  it('writes the first of a reason at once, then how many more in the window, with the first one\u2019s words', () => {
    let now = 1_000;
    const lines: RejectionSummary[] = [];
    const summaries = new RejectionSummaries((s) => lines.push(s), 60_000, () => now);
    summaries.note('schema', 'body.ok: must be true or false');
    summaries.note('schema', 'body.totalMs: must be a number');
    summaries.note('future-timestamp', 'ts … is more than 300 s ahead');
    for (let i = 0; i < 998; i++) summaries.note('schema', `line ${i}`);
    expect(lines.map((l) => [l.reason, l.count, l.example])).toEqual([
      ['schema', 1, 'body.ok: must be true or false'],
      ['future-timestamp', 1, 'ts … is more than 300 s ahead'],
    ]);
    now = 61_000;
    summaries.flush();
    // One more line, for the reason that had more; none for the one that did not.
    expect(lines.slice(2)).toEqual([{ reason: 'schema', count: 999, example: 'body.ok: must be true or false', from: 1_000, to: 61_000 }]);
    // A new window starts afresh.
    summaries.note('schema', 'again');
    expect(lines.at(-1)).toMatchObject({ reason: 'schema', count: 1, example: 'again' });
    summaries.flush();
  });
});
