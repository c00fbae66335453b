// Late corrections through the processor runtime, the in-process bus and a real SQLite store: an hour
// of one device's measurements, spooled while it was offline and sent after its windows are final,
// is merged into the stored rollups — the same rows, counts and quantiles as had it come on time —
// and a crash between the merge's read and its write, then a restart, counts nothing twice.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { sketchQuantiles } from '@wardwatch/sketch';
import { openStore, RESOLUTIONS, type Resolution, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { InProcessBus } from '@wardwatch/transport';
import { mulberry32 } from '@wardwatch/simulator';
import { scratchDirs } from './helpers/scratch-dirs.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 24, 8, 0);
const END = T0 + 2 * HOUR + 30 * MIN;
const OFFLINE = { device: 'D9', from: T0 + HOUR, to: T0 + 2 * HOUR + 10 * MIN };
const topics = TOPICS;
const encoder = new TextEncoder();
const scratchDir = scratchDirs();

/** Six devices on one site, an app check every 20 s and a Wi-Fi sample a minute each; seeded. */
function traffic(): TelemetryEvent[] {
  const random = mulberry32(42);
  const events: TelemetryEvent[] = [];
  const seq = new Map<string, number>();
  for (let t = T0; t < END; t += 20_000) {
    for (let d = 0; d < 6; d++) {
      const device = d === 5 ? 'D9' : `D${d}`;
      const where = { v: 1 as const, trust: 'RXX', site: 'S1', ward: `W${d % 2}`, device, ap: `3c:a8:2a:00:00:0${d % 3}` };
      const next = () => {
        const n = (seq.get(device) ?? 0) + 1;
        seq.set(device, n);
        return n;
      };
      const ts = t + d * 1000 + Math.floor(random() * 500);
      const ok = random() > 0.03;
      const totalMs = Math.round(150 * Math.exp(1.2 * (random() + random() + random() - 1.5)) + (device === 'D9' ? 900 : 0));
      events.push({ ...where, id: `a-${device}-${ts}`, seq: next(), ts, kind: 'app', body: { app: 'epr', ok, totalMs, ...(ok ? {} : { error: 'timeout' as const }) } });
      if (t % MIN === 0) {
        const signalDbm = -50 - Math.round(random() * 30);
        events.push({ ...where, id: `w-${device}-${ts}`, seq: next(), ts: ts + 300, kind: 'wifi', body: { connected: true, bssid: where.ap, signalDbm, linkMbps: 144, channel: 36 } });
      }
    }
  }
  return events;
}

const spooled = (e: TelemetryEvent) => e.device === OFFLINE.device && e.ts >= OFFLINE.from && e.ts < OFFLINE.to;

/** On time; or with the offline device's spool sent (in order, marked buffered) once the others reach its end. */
function schedule(late: boolean): TelemetryEvent[][] {
  const all = traffic();
  const chunks = (events: TelemetryEvent[], size: number) => Array.from({ length: Math.ceil(events.length / size) }, (_, i) => events.slice(i * size, (i + 1) * size));
  if (!late) return chunks(all, 400);
  const before = all.filter((e) => !spooled(e) && e.ts < OFFLINE.to);
  const spool = all.filter(spooled).map((e) => ({ ...e, buffered: true }));
  const after = all.filter((e) => !spooled(e) && e.ts >= OFFLINE.to);
  return [...chunks(before, 400), ...chunks(spool, 60), ...chunks(after, 400)];
}

interface Counts {
  events: number;
  corrected: number;
  tooLate: number;
}

/**
 * A store whose process "crashes" at the first write merging corrections after `arm()`: that write and
 * every later one never happen (they never return either, as the process is gone).
 */
function crashingStore(inner: RollupStore) {
  let armed = false;
  let queried = false;
  let crashed = false;
  const store: RollupStore = {
    ...inner,
    query: (q) => inner.query(q),
    lookup: async (keys) => {
      queried = true;
      return inner.lookup(keys);
    },
    write: async (records, checkpoint) => {
      if (armed && queried && checkpoint) crashed = true;
      queried = false;
      if (crashed) return new Promise<void>(() => {});
      await inner.write(records, checkpoint);
    },
    checkpoint: (g, t, p) => inner.checkpoint(g, t, p),
    prune: (n, r) => inner.prune(n, r),
    close: async () => {},
  };
  return { store, arm: () => (armed = true), crashed: () => crashed };
}

async function run(late: boolean, options: { restartAfterSpoolChunk?: number; checkpointIntervalMs?: number; retentionMs?: Record<Resolution, number> } = {}) {
  const dir = scratchDir('ww-corrections-');
  const store = await openStore(`sqlite:${join(dir, 'rollups.db')}`);
  const newBus = async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([
      { name: topics.telemetry, partitions: 1 },
      { name: topics.deadLetter, partitions: 1 },
      { name: topics.status, partitions: 1 },
    ]);
    return bus;
  };
  let bus = await newBus();
  const log: Array<{ key: string; value: Uint8Array }> = [];
  const counts: Counts = { events: 0, corrected: 0, tooLate: 0 };
  const crash = crashingStore(store);
  const start = async (into: RollupStore, bus: InProcessBus) => {
    const runtime = new ProcessorRuntime({
      transport: bus,
      store: into,
      topics,
      groupId: 'processor',
      clock: () => END + HOUR,
      config: { watermarkLagMs: 10_000, allowedLatenessMs: MIN },
      resumeFromCheckpoint: true,
      // Long: corrections wait in the state for the next checkpoint (here: the one at stop). Zero: a
      // checkpoint — and so a merge of the batch's corrections — after every batch.
      checkpointIntervalMs: options.checkpointIntervalMs ?? 60_000,
      idleAdvanceMs: 3_600_000,
      ...(options.retentionMs ? { retentionMs: options.retentionMs } : {}),
      observer: {
        batch(c) {
          counts.events += c.accepted + c.duplicates + c.tooLate;
          counts.corrected += c.corrected;
          counts.tooLate += c.tooLate;
        },
      },
    });
    await runtime.start();
    return runtime;
  };
  let runtime = await start(options.restartAfterSpoolChunk !== undefined ? crash.store : store, bus);
  let sent = 0;
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 8_000;
    while (counts.events < n && !(crash.crashed() && !restarted)) {
      if (Date.now() > deadline) throw new Error(`processed ${counts.events} of ${n} events`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  let spoolChunk = 0;
  let restarted = false;
  for (const chunk of schedule(late)) {
    const isSpool = chunk.every((e) => e.buffered);
    if (isSpool && spoolChunk++ === options.restartAfterSpoolChunk) crash.arm();
    const records = chunk.map((e) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) }));
    log.push(...records);
    await bus.producer().send(topics.telemetry, records);
    sent += chunk.length;
    await waitFor(sent);
    if (crash.crashed() && !restarted) {
      // The process died in that write: its state, and the write, are gone; the old runtime is left
      // hanging. A new process restores the last checkpoint and reads the records after it again
      // (from a durable log, as Kafka's: the in-process bus drops what a group has committed, so the
      // log is rebuilt at the same offsets).
      restarted = true;
      bus = await newBus();
      await bus.producer().send(topics.telemetry, log);
      const checkpoint = await store.checkpoint('processor', topics.telemetry, 0);
      counts.events = Number(checkpoint?.offset ?? 0);
      runtime = await start(store, bus);
      await waitFor(sent);
    }
  }
  await runtime.stop();
  const rows: RollupRecord[] = [];
  for (const resolution of RESOLUTIONS) rows.push(...(await store.query({ scope: '*', resolution, from: 0, to: END + HOUR })));
  await store.close();
  return { rows, counts, crashed: restarted };
}

const QS = [0.5, 0.9, 0.95, 0.99];
const key = (r: RollupRecord) => `${r.resolution} ${r.scope} ${r.metric} ${r.start}`;

function expectSameRollups(actual: RollupRecord[], expected: RollupRecord[]) {
  const byKey = new Map(actual.map((r) => [key(r), r]));
  expect([...byKey.keys()].sort()).toEqual(expected.map(key).sort());
  for (const want of expected) {
    const got = byKey.get(key(want))!;
    expect({ count: got.count, valid: got.valid, good: got.good, fast: got.fast }, key(want)).toEqual({ count: want.count, valid: want.valid, good: want.good, fast: want.fast });
    const [a, b] = [sketchQuantiles(got.sketch, QS), sketchQuantiles(want.sketch, QS)];
    for (let i = 0; i < QS.length; i++) {
      if (b[i] === null) expect(a[i]).toBeNull();
      else expect(Math.abs(a[i]! - b[i]!) / b[i]!, `${key(want)} q${QS[i]}`).toBeLessThanOrEqual(0.01);
    }
  }
}

describe('late corrections through the runtime and the store', () => {
  let onTime: Awaited<ReturnType<typeof run>>;

  it('an offline hour sent late is merged into the stored rollups: the same as on time', async () => {
    onTime = await run(false);
    const late = await run(true);
    const spoolSize = traffic().filter(spooled).length;
    expect(onTime.counts).toMatchObject({ corrected: 0, tooLate: 0 });
    // Most of the spool is behind final windows: corrected; its last minutes were still open: counted.
    expect(late.counts.corrected).toBeGreaterThan(0.9 * spoolSize);
    expect(late.counts.tooLate).toBe(0);
    // The device's offline hour is in the store, hourly (its only resolution), as it would have been.
    const hour = (rows: RollupRecord[]) => rows.find((r) => r.scope === 'device:D9' && r.resolution === '1h' && r.start === T0 + HOUR && r.metric === 'app.totalMs');
    expect(hour(late.rows)?.valid).toBe(180);
    expect(hour(late.rows)).toEqual(hour(onTime.rows));
    expectSameRollups(late.rows, onTime.rows);
    // Merged batch by batch (a checkpoint after each) rather than all at the last checkpoint: the same.
    const eager = await run(true, { checkpointIntervalMs: 0 });
    expect(eager.counts.corrected).toBe(late.counts.corrected);
    expectSameRollups(eager.rows, onTime.rows);
  });

  it('does not write corrections for windows the retention has pruned', async () => {
    // The clock stands at T0 + 3.5 h: keeping 1-minute rows 2 hours prunes those before T0 + 1.5 h.
    const pruned = await run(true, { retentionMs: { '1m': 2 * HOUR, '5m': 14 * 24 * HOUR, '1h': 400 * 24 * HOUR } });
    const cutoff = END + HOUR - 2 * HOUR;
    const kept = (r: RollupRecord) => r.resolution !== '1m' || r.start >= cutoff;
    expectSameRollups(pruned.rows.filter(kept), onTime.rows.filter(kept));
    // Before the cutoff the 1-minute rows are as written live, without D9's spooled minutes.
    const site = (rows: RollupRecord[], start: number) => rows.find((r) => r.scope === 'site:S1' && r.resolution === '1m' && r.metric === 'app.totalMs' && r.start === start)!;
    for (let t = OFFLINE.from; t < cutoff; t += MIN) expect(site(pruned.rows, t).valid).toBe(site(onTime.rows, t).valid - 3);
  });

  it.each([0, 2, 4])('a crash between reading and writing a merge (spool chunk %i), then a restart, counts nothing twice', async (chunk) => {
    const crashed = await run(true, { restartAfterSpoolChunk: chunk, checkpointIntervalMs: 0 });
    expect(crashed.crashed).toBe(true);
    expectSameRollups(crashed.rows, onTime.rows);
  });
});
