// Processor throughput on one core: NDJSON bytes → parsed, validated, aggregated — against a bare
// JSON.parse loop over the same bytes in the same run — and sketch accuracy against exact quantiles.
import { decodeEvent } from '@wardwatch/schema';
import { StreamProcessor, type ProcessorConfig } from '@wardwatch/processor';
import { newSketch, quantile, quantileRank } from '@wardwatch/sketch';
import { buildEstate, Simulator } from '@wardwatch/simulator';
import { PROCESSOR_STATUS_INTERVAL_MS, PROCESSOR_YOUNG_GENERATION_MB } from '@wardwatch/cli';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface ProcessorBenchResult {
  events: number;
  bytes: number;
  parseRate: number;
  /** JSON.parse + compiled-schema validation only. */
  decodeRate: number;
  /** Decode + StreamProcessor.add, no window closing or statuses. */
  aggregateRate: number;
  /** The full path: decode, add, advance (final windows, rollups, statuses). */
  processorRate: number;
  ratio: number;
  /**
   * The same ratio measured interleaved: each batch of lines parsed bare, then run through the full
   * path, in turn, so both see the machine as it is at that moment (on a shared machine the stages
   * above, run one after the other, can meet very different loads).
   */
  interleavedRatio: number;
  /** The same, from the CPU time each batch used instead of wall time. */
  interleavedCpuRatio: number;
  /**
   * The interleaved ratios (wall, CPU) with statuses evaluated every second, as the deployed runtime
   * evaluates them (the CLI's status interval): the open window is then inside the status horizon,
   * and every value of a status metric is added to its scope's running cell as well.
   */
  secondlyRatio: number;
  secondlyCpuRatio: number;
  /**
   * The interleaved ratios (wall, CPU) in a worker thread with the young generation the embedded
   * pipeline's processor thread gets (PROCESSOR_YOUNG_GENERATION_MB; the Kafka processors get the same
   * through --max-semi-space-size), the bare parse beside it in the same thread.
   */
  threadRatio: number;
  threadCpuRatio: number;
  p95RelativeError: number;
  p99RelativeError: number;
}

const BATCH = 5000;
/** Statuses at the cadence `wardwatch processor` evaluates them at: every second. */
const SECONDLY: Partial<ProcessorConfig> = { statusIntervalMs: PROCESSOR_STATUS_INTERVAL_MS };

/** The bench's NDJSON lines: a 2,000-device trust from the simulator, with a congested site. */
export function processorLines(targetEvents: number): { lines: string[]; now: number } {
  const estate = buildEstate({ seed: 1, sites: 20, wardsPerSite: 10, devicesPerWard: 10 });
  const simulator = new Simulator({ estate, seed: 1 });
  simulator.injectFault('site-wan-congested', { at: Date.UTC(2026, 10, 24, 9, 20) });
  const lines: string[] = [];
  const start = Date.UTC(2026, 10, 24, 9, 0);
  for (let t = start; lines.length < targetEvents; t += 60_000) {
    for (const event of simulator.generate(t, t + 60_000)) lines.push(JSON.stringify(event));
  }
  lines.length = targetEvents;
  return { lines, now: start + 365 * 86_400_000 };
}

// CPU time (this process's, GC threads included) beside wall time: on a shared machine another
// process's burst stretches wall time but not the CPU a batch used.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The full path's rate ÷ the bare parse's, interleaved: each batch of lines parsed bare, then run
 * through the full path, in turn, so both see the machine as it is at that moment (on a shared
 * machine stages run one after the other can meet very different loads); from wall and CPU time.
 */
export function interleavedRatios(lines: readonly string[], now: number, config?: Partial<ProcessorConfig>): { wall: number; cpu: number } {
  const processor = new StreamProcessor(config);
  let parseMs = 0;
  let fullMs = 0;
  let parseCpu = 0;
  let fullCpu = 0;
  for (let from = 0; from < lines.length; from += BATCH) {
    const to = Math.min(lines.length, from + BATCH);
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let i = from; i < to; i++) if (!JSON.parse(lines[i]!)) throw new Error('not an event');
    const t1 = performance.now();
    const c1 = cpuMs();
    for (let i = from; i < to; i++) {
      const decoded = decodeEvent(lines[i]!, { now });
      if (decoded.ok) processor.add(decoded.event);
    }
    if (to - from === BATCH) processor.advance();
    const t2 = performance.now();
    const c2 = cpuMs();
    parseMs += t1 - t0;
    fullMs += t2 - t1;
    parseCpu += c1 - c0;
    fullCpu += c2 - c1;
  }
  const c3 = cpuMs();
  const t3 = performance.now();
  processor.flush();
  fullMs += performance.now() - t3;
  fullCpu += cpuMs() - c3;
  return { wall: parseMs / fullMs, cpu: parseCpu / fullCpu };
}

/**
 * Two interleaved rounds in a worker started as the embedded pipeline starts its processor thread
 * (its young generation), the better of each kind kept. The lines go over as one shared buffer of
 * NDJSON, not a million cloned strings.
 */
async function interleavedInProcessorThread(lines: readonly string[], now: number): Promise<{ wall: number; cpu: number }> {
  const bytes = Buffer.from(lines.join('\n'));
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  const worker = new Worker(new URL('./processor-thread.bench.mjs', import.meta.url), {
    workerData: { ndjson: shared, now } satisfies ProcessorThreadBenchInput,
    resourceLimits: { maxYoungGenerationSizeMb: PROCESSOR_YOUNG_GENERATION_MB },
  });
  const [result] = (await once(worker, 'message')) as [{ wall: number; cpu: number }];
  await worker.terminate();
  return result;
}

/** What the processor-thread bench's worker is given. */
export interface ProcessorThreadBenchInput {
  ndjson: Uint8Array;
  now: number;
}

export async function processorBench(targetEvents = 1_000_000): Promise<ProcessorBenchResult> {
  const { lines, now } = processorLines(targetEvents);
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

  // Warm both paths up, then measure each twice and keep the better run (less noise from GC/JIT).
  const runParse = () => {
    const t0 = performance.now();
    let n = 0;
    for (const line of lines) if (JSON.parse(line)) n++;
    return n / ((performance.now() - t0) / 1000);
  };
  const runProcessor = (stage: 'decode' | 'aggregate' | 'full') => () => {
    const processor = new StreamProcessor();
    const t0 = performance.now();
    for (let i = 0; i < lines.length; i++) {
      const decoded = decodeEvent(lines[i]!, { now });
      if (stage === 'decode') continue;
      if (decoded.ok) processor.add(decoded.event);
      if (stage === 'full' && i % BATCH === BATCH - 1) processor.advance();
    }
    if (stage === 'full') processor.flush();
    return lines.length / ((performance.now() - t0) / 1000);
  };
  const best = (run: () => number) => {
    run(); // warm-up
    return Math.max(run(), run());
  };
  const parseRate = best(runParse);
  const decodeRate = best(runProcessor('decode'));
  const aggregateRate = best(runProcessor('aggregate'));
  const processorRate = best(runProcessor('full'));
  const rounds = [interleavedRatios(lines, now), interleavedRatios(lines, now)];
  const interleavedRatio = Math.max(...rounds.map((r) => r.wall));
  const interleavedCpuRatio = Math.max(...rounds.map((r) => r.cpu));
  const secondly = [interleavedRatios(lines, now, SECONDLY), interleavedRatios(lines, now, SECONDLY)];
  const thread = await interleavedInProcessorThread(lines, now);

  // Accuracy: one sketch over every successful check's total time against the exact order statistics.
  const values: number[] = [];
  const sketch = newSketch();
  for (const line of lines) {
    const e = JSON.parse(line);
    if (e.kind === 'app' && e.body.ok) {
      values.push(e.body.totalMs);
      sketch.accept(e.body.totalMs);
    }
  }
  values.sort((a, b) => a - b);
  const exact = (q: number) => values[quantileRank(q, values.length)]!;
  const error = (q: number) => Math.abs(quantile(sketch, q)! - exact(q)) / exact(q);

  return {
    events: lines.length,
    bytes,
    parseRate,
    decodeRate,
    aggregateRate,
    processorRate,
    ratio: processorRate / parseRate,
    interleavedRatio,
    interleavedCpuRatio,
    secondlyRatio: Math.max(...secondly.map((r) => r.wall)),
    secondlyCpuRatio: Math.max(...secondly.map((r) => r.cpu)),
    threadRatio: thread.wall,
    threadCpuRatio: thread.cpu,
    p95RelativeError: error(0.95),
    p99RelativeError: error(0.99),
  };
}
