// A processor catching up on a backlog writes its closed windows with its checkpoints — one store
// transaction a checkpoint interval, not one a batch, and a checkpoint as soon as the backlog is read —
// and stores the same rows as one fed in step with the log. Through the processor runtime, the in-process bus and a real SQLite store.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore, RESOLUTIONS, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { InProcessBus } from '@wardwatch/transport';
import { scratchDirs } from './helpers/scratch-dirs.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 8, 0);
const END = T0 + 90 * MIN;
const topics = TOPICS;
const encoder = new TextEncoder();
const scratchDir = scratchDirs();

/** 40 devices on one site, an application check every 15 s each for 90 minutes: 14,400 events. */
function traffic(): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  for (let t = T0, n = 0; t < END; t += 15_000, n++) {
    for (let d = 0; d < 40; d++) {
      const device = `D${d}`;
      const ts = t + d * 300;
      events.push({ v: 1, trust: 'RXX', site: 'S1', ward: `W${d % 4}`, device, id: `evt-${device}-${n}`, seq: n + 1, ts, kind: 'app', body: { app: 'epr', ok: true, totalMs: 100 + ((d * 37 + n * 11) % 400) } });
    }
  }
  return events;
}

/** The store's writes: how many, and how many carried a checkpoint. */
function countingStore(inner: RollupStore) {
  const writes = { all: 0, withCheckpoint: 0 };
  const store: RollupStore = {
    ...inner,
    query: (q) => inner.query(q),
    lookup: (keys) => inner.lookup(keys),
    write: async (records, checkpoint) => {
      writes.all++;
      if (checkpoint) writes.withCheckpoint++;
      await inner.write(records, checkpoint);
    },
    checkpoint: (g, t, p) => inner.checkpoint(g, t, p),
    prune: (n, r) => inner.prune(n, r),
    close: async () => {},
  };
  return { store, writes };
}

/** Every record sent before the processor starts (a backlog), or in chunks it keeps up with. */
async function run(backlog: boolean) {
  const dir = scratchDir('ww-catch-up-');
  const inner = await openStore(`sqlite:${join(dir, 'rollups.db')}`);
  const { store, writes } = countingStore(inner);
  const bus = new InProcessBus();
  await bus.ensureTopics([
    { name: topics.telemetry, partitions: 1 },
    { name: topics.deadLetter, partitions: 1 },
    { name: topics.status, partitions: 1 },
  ]);
  let events = 0;
  const runtime = new ProcessorRuntime({
    transport: bus,
    store,
    topics,
    groupId: 'processor',
    clock: () => END + 60 * MIN,
    config: { watermarkLagMs: 10_000 },
    resumeFromCheckpoint: true,
    // No checkpoint falls due during the run: the rollups' writes are what is counted.
    checkpointIntervalMs: 3_600_000,
    idleAdvanceMs: Infinity,
    observer: { batch: (c) => void (events += c.accepted + c.duplicates + c.tooLate + Object.values(c.rejected).reduce((a, b) => a + b, 0)) },
  });
  const all = traffic();
  const records = all.map((e) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) }));
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 15_000;
    while (events < n) {
      if (Date.now() > deadline) throw new Error(`processed ${events} of ${n} events`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  if (backlog) {
    await bus.producer().send(topics.telemetry, records);
    await runtime.start();
    await waitFor(records.length);
  } else {
    await runtime.start();
    for (let i = 0; i < records.length; i += 800) {
      await bus.producer().send(topics.telemetry, records.slice(i, i + 800));
      await waitFor(Math.min(records.length, i + 800));
    }
  }
  const writesBeforeStop = { ...writes };
  await runtime.stop(); // the last checkpoint
  const rows: RollupRecord[] = [];
  for (const resolution of RESOLUTIONS) rows.push(...(await inner.query({ scope: '*', resolution, from: 0, to: END + 60 * MIN })));
  const checkpoint = await inner.checkpoint('processor', topics.telemetry, 0);
  await inner.close();
  return { rows, writesBeforeStop, checkpointOffset: checkpoint?.offset };
}

const summary = (rows: RollupRecord[]) =>
  rows.map((r) => `${r.resolution} ${r.scope} ${r.metric} ${r.start}: ${r.count} ${r.valid} ${r.good} ${r.fast} ${Buffer.from(r.sketch).toString('base64')}`).sort();

describe('a processor catching up on a backlog', () => {
  it('writes the windows it closes behind the backlog with its checkpoint, and stores what one kept in step stores', async () => {
    const inStep = await run(false);
    const caughtUp = await run(true);
    // In step: a write for (nearly) every chunk of 800 events that closes a window, and one checkpoint
    // (none falls due by time: the first time it is caught up with 1,000 records read since it was
    // assigned). Catching up: the first two batches of 5,000 (each with ≥ 1,000 records still behind
    // it) write nothing; the third, at the end of the log, writes what they held with a checkpoint
    // past the backlog.
    expect(inStep.writesBeforeStop.all).toBeGreaterThan(10);
    expect(inStep.writesBeforeStop.withCheckpoint).toBe(1);
    expect(caughtUp.writesBeforeStop).toEqual({ all: 1, withCheckpoint: 1 });
    expect(caughtUp.rows.length).toBeGreaterThan(100);
    expect(summary(caughtUp.rows)).toEqual(summary(inStep.rows));
    expect(caughtUp.checkpointOffset).toBe(String(traffic().length));
    expect(inStep.checkpointOffset).toBe(String(traffic().length));
  });
});
