// The embedded pipeline's processor on one worker thread against several (`--processor-threads`):
// the same simulated trust, stepped a few simulated minutes at a time (generated, processed, stored,
// settled and on the board before the step returns), one thread and N alternated in one run. What a
// core more buys: events through the whole pipeline per second of wall time, and the process's CPU.
import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { startEmbedded } from '@wardwatch/cli';

export interface ProcessorThreadsRun {
  threads: number;
  events: number;
  wallMs: number;
  cpuMs: number;
}

export interface ProcessorThreadsBenchResult {
  sites: number;
  minutes: number;
  runs: ProcessorThreadsRun[];
}

const MIN = 60_000;
const START = Date.UTC(2026, 2, 10, 9, 0); // a weekday morning: staff logging on

/** `rounds` of one thread then `threads`, each a fresh pipeline: two warm-up minutes, then `minutes` timed. */
export async function processorThreadsBench({ sites = 300, minutes = 5, rounds = 2, threads = availableParallelism() } = {}): Promise<ProcessorThreadsBenchResult> {
  const runs: ProcessorThreadsRun[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const count of [1, threads]) {
      const pipeline = await startEmbedded({
        port: 0, host: '127.0.0.1', storeUrl: 'sqlite::memory:', log: pino({ level: 'silent' }), demo: true, seed: 7,
        clock: 'stepped', startAt: START, speed: 1, sites, backfillMs: 0, dashboard: false, processorThreads: count,
      });
      try {
        await pipeline.advance(2 * MIN);
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        await pipeline.advance(minutes * MIN);
        const wallMs = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        const events = pipeline.simulator!.generate(START + 2 * MIN, START + (2 + minutes) * MIN).length;
        runs.push({ threads: count, events, wallMs, cpuMs: (used.user + used.system) / 1000 });
      } finally {
        await pipeline.stop();
      }
    }
  }
  return { sites, minutes, runs };
}
