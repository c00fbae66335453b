// What a crash costs the embedded pipeline, as docs/architecture.md states it: its bus is in memory
// and not replayed, so a processor that dies between checkpoints loses what it counted since the last
// one its store holds — no more (the restored state is that checkpoint's: its head and parts) and no
// less. The runtime, the in-process bus and a real SQLite store, with incremental checkpoints.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { sketchQuantiles } from '@wardwatch/sketch';
import { openStore, RESOLUTIONS, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { InProcessBus } from '@wardwatch/transport';
import { mulberry32 } from '@wardwatch/simulator';
import { scratchDirs } from './helpers/scratch-dirs.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 8, 0);
const topics = TOPICS;
const encoder = new TextEncoder();
const scratchDir = scratchDirs();

/** 40 minutes of six devices on two wards, an app check every 10 s each, in batches of 20 s; seeded. */
function batches(): TelemetryEvent[][] {
  const random = mulberry32(3);
  const out: TelemetryEvent[][] = [];
  for (let t = T0; t < T0 + 40 * MIN; t += 20_000) {
    const batch: TelemetryEvent[] = [];
    for (let s = 0; s < 20_000; s += 10_000) {
      for (let d = 0; d < 6; d++) {
        const ts = t + s + d * 700 + Math.floor(random() * 300);
        const ok = random() > 0.04;
        batch.push({
          v: 1, id: `a-${d}-${ts}`, seq: Math.floor((ts - T0) / 10_000) + 1, ts, trust: 'RXX', site: 'S1', ward: `W${d % 2}`, device: `D${d}`, ap: `3c:a8:2a:00:00:0${d % 3}`,
          kind: 'app', body: { app: 'epr', ok, totalMs: Math.round(120 + 900 * random() ** 3), ...(ok ? {} : { error: 'timeout' as const }) },
        });
      }
    }
    out.push(batch);
  }
  return out;
}

/** A store whose process dies once armed: no write after that happens, or returns. */
function dyingStore(inner: RollupStore) {
  let dead = false;
  const store: RollupStore = { ...inner, write: (records, checkpoint) => (dead ? new Promise<void>(() => {}) : inner.write(records, checkpoint)), checkpoint: (g, t, p) => inner.checkpoint(g, t, p), lookup: (k) => inner.lookup(k), query: (q) => inner.query(q), prune: (n, r) => inner.prune(n, r), close: async () => {} };
  return { store, die: () => (dead = true) };
}

/**
 * Sends the batches through a runtime as `wardwatch start` runs it (a fresh in-memory bus, the
 * processor state restored from the store), one at a time, each processed before the next. With
 * `crash`: after batch `from` the store dies; batches up to `to` go to the dying process; then a new
 * process (a new bus) takes the rest. Returns every stored rollup.
 */
async function run(all: TelemetryEvent[][], crash?: { from: number; to: number }, skip?: { from: number; to: number }): Promise<RollupRecord[]> {
  const dir = scratchDir('ww-embedded-crash-');
  const inner = await openStore(`sqlite:${join(dir, 'rollups.db')}`);
  const dying = dyingStore(inner);
  let processed = 0;
  const start = async (store: RollupStore) => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: topics.telemetry, partitions: 1 }, { name: topics.deadLetter, partitions: 1 }, { name: topics.status, partitions: 1 }]);
    const runtime = new ProcessorRuntime({
      transport: bus, store, topics, groupId: 'processor', clock: () => T0 + 41 * MIN,
      config: { watermarkLagMs: 10_000, allowedLatenessMs: MIN },
      resumeFromCheckpoint: false,
      // Every batch's write carries a checkpoint: the store holds the state after each batch it wrote.
      checkpointIntervalMs: 0,
      idleAdvanceMs: Infinity,
      observer: { batch: () => void processed++ },
    });
    await runtime.start();
    return { bus, runtime };
  };
  let { bus, runtime } = await start(crash ? dying.store : inner);
  for (let i = 0; i < all.length; i++) {
    if (skip && i >= skip.from && i < skip.to) continue;
    if (crash && i === crash.from) dying.die();
    if (crash && i === crash.to) ({ bus, runtime } = await start(inner)); // the old process is gone, hanging in its write
    const before = processed;
    await bus.producer().send(topics.telemetry, all[i]!.map((e) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) })));
    // The dying process hangs in its first write: its batch never counts as processed.
    if (crash && i >= crash.from && i < crash.to) continue;
    const deadline = Date.now() + 8_000;
    while (processed === before) {
      if (Date.now() > deadline) throw new Error(`batch ${i} not processed`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  await runtime.stop();
  const rows: RollupRecord[] = [];
  for (const resolution of RESOLUTIONS) rows.push(...(await inner.query({ scope: '*', resolution, from: 0, to: T0 + 2 * 3_600_000 })));
  await inner.close();
  return rows;
}

const QS = [0, 0.5, 0.9, 0.95, 0.99, 1];
const content = (rows: RollupRecord[]) =>
  rows.map((r) => ({ key: `${r.resolution} ${r.scope} ${r.metric} ${r.start}`, count: r.count, valid: r.valid, good: r.good, fast: r.fast, q: sketchQuantiles(r.sketch, QS) })).sort((a, b) => a.key.localeCompare(b.key));

describe('embedded pipeline: a crash between checkpoints', () => {
  it('loses what was counted since the last stored checkpoint, and nothing else', async () => {
    const all = batches();
    // The process dies at batch 50 (16:40 in): batches 50–53 reach it and are lost with it; the
    // restarted one restores the checkpoint written after batch 49 and counts the rest.
    const crashed = await run(all, { from: 50, to: 54 });
    // As if those batches had never been sent to a process that never stopped.
    const without = await run(all, undefined, { from: 50, to: 54 });
    expect(content(crashed)).toEqual(content(without));
    // And they were something to lose: every row of their minutes differs from a run that kept them.
    const kept = content(await run(all));
    const lostMinute = `1m site:S1 app.totalMs ${T0 + 16 * MIN}`; // its last third lost
    expect(kept.find((r) => r.key === lostMinute)!.valid).toBeGreaterThan(content(crashed).find((r) => r.key === lostMinute)!.valid);
  });
});
