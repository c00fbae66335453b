// A late correction whose stored row is not a rollup (corrupt, or written by something else): the
// runtime checks the rows it reads back before adding to them, does not add to a bad one, writes the
// correction in its place and reports it — the batch is neither lost nor retried for ever.
import { describe, expect, it } from 'vitest';
import { TOPICS, type RollupRecord, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore, type RollupStore } from '@wardwatch/store';
import { InProcessBus } from '@wardwatch/transport';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 8, 0);
const topics = TOPICS;
const encoder = new TextEncoder();

let seq = 0;
const check = (ts: number, totalMs: number): TelemetryEvent => ({
  v: 1, id: `a-${ts}-${seq}`, seq: ++seq, ts, trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1', kind: 'app', body: { app: 'epr', ok: true, totalMs },
});

describe('late corrections into a stored row that is not a rollup', () => {
  it('write the correction in its place and report the row, naming what is wrong with it', async () => {
    const store = await openStore('sqlite::memory:');
    // The rows as a corrupt store would give them back: more good checks than valid ones.
    const corrupt: RollupStore = {
      lookup: async (keys) => (await store.lookup(keys)).map((r): RollupRecord => ({ ...r, good: r.valid + 5 })),
      write: (records, checkpoint) => store.write(records, checkpoint),
      query: (q) => store.query(q),
      checkpoint: (group, topic, partition) => store.checkpoint(group, topic, partition),
      prune: (now, retention) => store.prune(now, retention),
      close: async () => {},
    };
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: topics.telemetry, partitions: 1 }, { name: topics.deadLetter, partitions: 1 }, { name: topics.status, partitions: 1 }]);
    let events = 0;
    let corrected = 0;
    const errors: Array<{ message: string; context: string }> = [];
    const runtime = new ProcessorRuntime({
      transport: bus, store: corrupt, topics, groupId: 'processor', clock: () => T0 + 60 * MIN,
      config: { watermarkLagMs: 1_000, allowedLatenessMs: MIN },
      checkpointIntervalMs: 0,
      idleAdvanceMs: 3_600_000,
      observer: {
        batch: (c) => {
          events += c.accepted + c.tooLate;
          corrected += c.corrected;
        },
        error: (error, context) => errors.push({ message: (error as Error).message, context }),
      },
    });
    await runtime.start();
    const send = async (batch: TelemetryEvent[]) => {
      await bus.producer().send(topics.telemetry, batch.map((e) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) })));
      const want = events + batch.length;
      for (const deadline = Date.now() + 10_000; events < want; await new Promise((resolve) => setTimeout(resolve, 5))) {
        if (Date.now() > deadline) throw new Error(`processed ${events} of ${want} events`);
      }
    };
    // Three minutes on time (the first minute's windows close and are stored), then one check late for the first.
    await send([0, 1, 2, 3].map((m) => check(T0 + m * MIN + 10_000, 400)));
    await send([check(T0 + 20_000, 2_000)]);
    await runtime.stop();
    expect(corrected).toBe(1);

    const [site] = await store.query({ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', from: T0, to: T0 + MIN });
    // The correction alone: the stored row (one check) was not added to.
    expect({ count: site!.count, valid: site!.valid, good: site!.good }).toEqual({ count: 1, valid: 1, good: 1 });
    expect(errors.length).toBeGreaterThan(0);
    const siteError = errors.find((e) => e.message.includes(`site:S1 app.totalMs 1m ${T0} `));
    expect(siteError?.message).toMatch(/is not a valid rollup \(good: must not exceed valid \(1\)\)$/);
    expect(siteError?.context).toBe('late corrections: the correction is written in its place, not added to it');
    await bus.close();
    await store.close();
  });
});
