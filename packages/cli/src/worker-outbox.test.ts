import { describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import type { FromWorker } from './processor-thread.ts';
import { WorkerOutbox } from './worker-outbox.ts';

type Counts = NonNullable<Extract<FromWorker, { type: 'gathered' }>['counts']>;
const counts = (accepted: number, extra: Partial<Counts> = {}): Counts => ({ accepted, late: 0, corrected: 0, tooLate: 0, duplicates: 0, seqResets: 0, rejected: {}, ...extra });
const status = (id: string) => ({ key: `site:${id}`, id }) as unknown as ScopeStatus;

/** An outbox with a hand-moved clock and hand-run deferrals. */
function outbox() {
  const sent: FromWorker[] = [];
  const deferred: Array<() => void> = [];
  let now = 0;
  const box = new WorkerOutbox((m) => sent.push(m), () => now, 50, (run) => deferred.push(run));
  return { box, sent, runDeferred: () => deferred.splice(0).forEach((run) => run()), wait: (ms: number) => (now += ms) };
}

describe('WorkerOutbox', () => {
  it('gathers a round’s counts, lags, statuses and answers into one message a turn later', () => {
    const { box, sent, runDeferred } = outbox();
    box.addBatch(counts(5, { rejected: { schema: 1 }, clockSkewsMs: [10] }));
    box.setLag('t', 0, 0);
    box.addBatch(counts(7, { late: 2, rejected: { schema: 2, 'too-late': 1 }, clockSkewsMs: [20] }));
    box.setLag('t', 1, 3);
    box.answer(1);
    box.addStatuses([status('S1')]);
    box.addStatuses([status('S2')]);
    box.answer(2, 'the bus is closed');
    expect(sent).toEqual([]);
    runDeferred();
    expect(sent).toEqual([
      {
        type: 'gathered',
        counts: counts(12, { late: 2, rejected: { schema: 3, 'too-late': 1 }, clockSkewsMs: [10, 20] }),
        lags: [
          { topic: 't', partition: 0, records: 0 },
          { topic: 't', partition: 1, records: 3 },
        ],
        statuses: [status('S1'), status('S2')],
        done: [{ id: 1 }, { id: 2, error: 'the bus is closed' }],
      },
    ]);
    // Nothing gathered: nothing sent.
    box.flush();
    expect(sent).toHaveLength(1);
  });

  it('holds what a round gathers until the round is released, however many turns it takes', () => {
    const { box, sent, wait, runDeferred } = outbox();
    box.answer(1);
    box.hold();
    box.addBatch(counts(3));
    runDeferred();
    wait(10);
    box.addStatuses([status('S1')]);
    runDeferred();
    expect(sent).toEqual([]);
    box.release();
    expect(sent).toEqual([{ type: 'gathered', counts: counts(3), statuses: [status('S1')], done: [{ id: 1 }] }]);
    // Released with nothing gathered: nothing more; and a long round still goes at the longest delay.
    box.release();
    box.hold();
    box.addBatch(counts(1));
    wait(60);
    box.addBatch(counts(2));
    expect(sent.map((m) => m.type === 'gathered' && m.counts?.accepted)).toEqual([3, 3]);
    box.release();
    expect(sent).toHaveLength(2);
  });

  it('sends live edges with the statuses, alone when a round published none', () => {
    const { box, sent, runDeferred } = outbox();
    const edge = (asOf: number) => ({ key: 'edge:0,1', partitions: [0, 1], asOf });
    box.addStatuses([status('S1')], [edge(1_000)]);
    box.addStatuses([], [edge(1_250)]);
    runDeferred();
    box.addStatuses([], [edge(1_500)]);
    runDeferred();
    expect(sent).toEqual([
      { type: 'gathered', statuses: [status('S1')], edges: [edge(1_000), edge(1_250)] },
      { type: 'gathered', statuses: [], edges: [edge(1_500)] },
    ]);
  });

  it('sends a lag only when it moved', () => {
    const { box, sent, runDeferred } = outbox();
    box.setLag('t', 0, 0);
    runDeferred();
    box.setLag('t', 0, 0);
    box.setLag('t', 1, 0);
    runDeferred();
    expect(sent.flatMap((m) => (m.type === 'gathered' ? (m.lags ?? []).map((lag) => lag.partition) : []))).toEqual([0, 1]);
  });

  it('sends what it gathered before any other message, and at once when the oldest has waited the longest delay', () => {
    const { box, sent, wait, runDeferred } = outbox();
    box.addBatch(counts(1));
    box.post({ type: 'error', message: 'x', context: 'y' });
    expect(sent.map((m) => m.type)).toEqual(['gathered', 'error']);
    // A long run of batches 20 ms apart with no turn of the event loop between them: sent once the
    // oldest has waited 50 ms (the fourth of each run), the rest at the next turn.
    sent.length = 0;
    for (let i = 0; i < 10; i++) {
      box.addBatch(counts(1));
      wait(20);
    }
    expect(sent.map((m) => m.type === 'gathered' && m.counts?.accepted)).toEqual([4, 4]);
    runDeferred();
    expect(sent.map((m) => m.type === 'gathered' && m.counts?.accepted)).toEqual([4, 4, 2]);
  });
});
