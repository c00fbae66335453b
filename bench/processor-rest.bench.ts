// The embedded processor's work at rest, in process and without its thread, bus or store: what the
// processor thread does for the default demo (seed 1, 12 sites, the default fault), an hour of backfill
// in 50,000-event batches, then rounds of 250 ms of event time as the simulator delivers them — each
// partition's events added and advanced without statuses, then every partition brought live to the
// round's end (liveTo, statuses every 200 ms), as the worker does at each of the simulator's marks,
// and every 30 s (the embedded pipeline's checkpoint interval) each partition's checkpoint drafted —
// its head and the parts of the windows changed since (the store's write of them is not here).
// Measured over `measureMinutes` simulated minutes after `warmMinutes`: CPU per simulated minute (the
// events, the rounds' liveTo, the checkpoints) and the checkpoints' bytes; over as many minutes after
// them, allocation sampled by V8's heap profiler (collected objects included) by function; and a hash
// of everything published and of the final statuses — a change that must not change the output keeps
// the hash (as processor-digest's).
import { createHash } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import type { ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import { StreamProcessor, type ProcessorOutput } from '@wardwatch/processor';
import { buildEstate, Simulator } from '@wardwatch/simulator';
import { partitionForKey } from '@wardwatch/transport';

const PARTITIONS = 12;
const ROUND_MS = 250;
/** The embedded pipeline's (embedded.ts's CHECKPOINT_INTERVAL_MS). */
const CHECKPOINT_MS = 30_000;
const BATCH = 50_000;

export interface ProcessorRestResult {
  events: number;
  measureMinutes: number;
  /** CPU a simulated minute: adding each round's events and advancing, and bringing every partition live (evaluation). */
  eventsCpuMsPerMinute: number;
  liveToCpuMsPerMinute: number;
  /** CPU a simulated minute drafting checkpoints, and the bytes they hold (heads and the parts put). */
  checkpointCpuMsPerMinute: number;
  checkpointBytesPerMinute: number;
  /** Bytes allocated a simulated second (sampled), and the functions that allocated most. */
  allocatedBytesPerSecond: number;
  topAllocators: Array<{ name: string; bytesPerSecond: number }>;
  published: number;
  digest: string;
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export async function processorRestBench(options: { warmMinutes?: number; measureMinutes?: number } = {}): Promise<ProcessorRestResult> {
  const warmMinutes = options.warmMinutes ?? 3;
  const measureMinutes = options.measureMinutes ?? 10;
  const start = Date.UTC(2026, 11, 1, 10, 0, 0);
  const simulator = new Simulator({ estate: buildEstate({ seed: 1 }), seed: 1 });
  // As `wardwatch start` does by default: a congested site's WAN from 20 minutes before the start.
  simulator.injectFault('site-wan-congested', { at: start - 20 * 60_000 });
  const processors = Array.from({ length: PARTITIONS }, (_, partition) => new StreamProcessor({ statusIntervalMs: 200, partition }));
  const hash = createHash('sha256');
  let published = 0;
  // Outputs are kept and hashed after the measurement, so the hashing is not in its allocation.
  const outputs: ProcessorOutput[] = [];
  const take = (out: ProcessorOutput) => {
    if (out.statuses.length > 0 || out.evaluatedTo !== undefined) outputs.push(out);
    published += out.statuses.length;
  };
  const byPartition: TelemetryEvent[][] = Array.from({ length: PARTITIONS }, () => []);
  const feed = (events: TelemetryEvent[], now: number) => {
    for (const list of byPartition) list.length = 0;
    for (const e of events) byPartition[partitionForKey(e.site, PARTITIONS)]!.push(e);
    for (let p = 0; p < PARTITIONS; p++) {
      if (byPartition[p]!.length === 0) continue;
      for (const e of byPartition[p]!) processors[p]!.add(e, now);
      take(processors[p]!.advance({ statuses: false, holdCorrections: true }));
    }
  };
  const backfill = simulator.stream(start - 3_600_000, start);
  for (let batch = backfill.take(BATCH); batch.length > 0; batch = backfill.take(BATCH)) feed(batch, start);

  let t = start;
  let eventsCpu = 0;
  let liveToCpu = 0;
  let checkpointCpu = 0;
  let checkpointBytes = 0;
  let events = 0;
  const round = (batch: TelemetryEvent[], measured: boolean) => {
    const to = t + ROUND_MS;
    const c0 = process.cpuUsage();
    feed(batch, to);
    const c1 = process.cpuUsage(c0);
    for (const p of processors) if (p.watermark !== -Infinity) take(p.liveTo(to));
    const c2 = process.cpuUsage(c0);
    let bytes = 0;
    if (Math.floor(to / CHECKPOINT_MS) > Math.floor(t / CHECKPOINT_MS)) {
      for (const p of processors) {
        if (p.watermark === -Infinity) continue;
        const draft = p.checkpoint();
        bytes += draft.head.byteLength;
        for (const part of draft.put) bytes += part.bytes.byteLength;
        draft.commit();
      }
    }
    const c3 = process.cpuUsage(c0);
    if (measured) {
      eventsCpu += c1.user + c1.system;
      liveToCpu += c2.user + c2.system - c1.user - c1.system;
      checkpointCpu += c3.user + c3.system - c2.user - c2.system;
      checkpointBytes += bytes;
      events += batch.length;
    }
    t = to;
  };
  const roundOf = (from: number) => simulator.stream(from, from + ROUND_MS).take(Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < (warmMinutes * 60_000) / ROUND_MS; i++) round(roundOf(t), false);
  // The measured rounds' events made first: what the simulator allocates is not the processor's.
  const count = (measureMinutes * 60_000) / ROUND_MS;
  let rounds = Array.from({ length: count }, (_, i) => roundOf(t + i * ROUND_MS));
  // CPU timed without the heap profiler, which slows allocation-heavy code (a checkpoint's JSON) more
  // than the rest; the allocation sampled over as many rounds after them.
  for (const batch of rounds) round(batch, true);
  rounds = Array.from({ length: count }, (_, i) => roundOf(t + i * ROUND_MS));

  const session = new Session();
  session.connect();
  // Collected objects included: what a round allocates is nearly all garbage by the next.
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  for (const batch of rounds) round(batch, false);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapNode } };
  session.disconnect();

  const seconds = measureMinutes * 60;
  const bySelf = new Map<string, number>();
  let allocated = 0;
  const walk = (node: HeapNode) => {
    if (node.selfSize > 0) {
      const where = node.callFrame.url.replace(/.*\/(packages|node_modules)\//, '$1/');
      const name = `${node.callFrame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
      bySelf.set(name, (bySelf.get(name) ?? 0) + node.selfSize);
      allocated += node.selfSize;
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  for (const out of outputs) {
    for (const s of out.statuses) hash.update(`S${JSON.stringify(s)}\n`);
    if (out.evaluatedTo !== undefined) hash.update(`E${out.evaluatedTo}\n`);
  }
  const statuses: ScopeStatus[] = processors.flatMap((p) => p.statuses());
  for (const s of statuses) hash.update(`B${JSON.stringify(s)}\n`);
  return {
    events,
    measureMinutes,
    eventsCpuMsPerMinute: eventsCpu / 1000 / measureMinutes,
    liveToCpuMsPerMinute: liveToCpu / 1000 / measureMinutes,
    checkpointCpuMsPerMinute: checkpointCpu / 1000 / measureMinutes,
    checkpointBytesPerMinute: checkpointBytes / measureMinutes,
    allocatedBytesPerSecond: allocated / seconds,
    topAllocators: [...bySelf]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, bytes]) => ({ name, bytesPerSecond: bytes / seconds })),
    published,
    digest: hash.digest('hex'),
  };
}
