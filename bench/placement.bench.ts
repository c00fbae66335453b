// Where the embedded processor runs, side by side: two demos at once — `npm start`'s command as it runs
// it (its Node flags, the built `wardwatch`, `start --demo`) over the same simulated estate, one with
// the processor on the main thread (`--processor-threads 0`), one on a worker thread (1) — so that
// both meet the machine as it is. After a warm-up, each one's CPU (from /proc, a share of one core)
// and RSS, and how long its `/api/sites` takes to answer, read every 100 ms: on the main thread the
// server's event loop also runs the processor's rounds, window ends and checkpoints, and its slowest
// answers show it. What DEVICES_ON_MAIN_THREAD (packages/cli/src/processor-threads.ts) is chosen by.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../tests/helpers/free-port.ts';
import { npmStartCommand } from '../tests/helpers/npm-start.ts';
import { cpuSeconds, LARGE_HEAP_FLAG, quantile, rssMb, stop, untilServing, watchedSleep } from './idle.bench.ts';

/** A read slower than this is listed with when it came (its cause is periodic: window ends, checkpoints). */
const SLOW_READ_MS = 60;

export interface PlacementFigures {
  /** The processor's worker threads as /healthz gives them: 0 on the main thread. */
  processorThreads: number;
  cpuShareOfCore: number;
  rssMb: number;
  reads: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Seconds after the warm-up at which a read took longer than SLOW_READ_MS, with how long (ms). */
  slowReads: Array<{ atS: number; ms: number }>;
}

export interface PlacementResult {
  sites: number;
  devices: number;
  warmUpS: number;
  measuredS: number;
  pollMs: number;
  loadAverage: { start: number; end: number };
  mainThread: PlacementFigures;
  worker: PlacementFigures;
}

export async function placementBench(options: { sites?: number; warmUpS?: number; measureS?: number; pollMs?: number } = {}): Promise<PlacementResult> {
  const sites = options.sites ?? 12;
  const warmUpS = options.warmUpS ?? 120;
  const measureS = options.measureS ?? 240;
  const pollMs = options.pollMs ?? 100;
  const root = new URL('../', import.meta.url).pathname;
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-placement-'));
  const { nodeFlags, script, args } = npmStartCommand();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const demos = await Promise.all(
    [0, 1].map(async (threads) => {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [LARGE_HEAP_FLAG, ...nodeFlags, join(root, script), ...args, '--port', String(port), '--store', `sqlite:${join(scratch, `${threads}.db`)}`, '--history-months', '0', '--sites', String(sites), '--processor-threads', String(threads), '--log-level', 'warn'],
        { cwd: root, env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json' }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      return { threads, base: `http://127.0.0.1:${port}`, child, reads: [] as number[], slowReads: [] as Array<{ atS: number; ms: number }> };
    }),
  );
  try {
    for (const demo of demos) await untilServing(demo.base, demo.child, 'placement bench');
    await watchedSleep(warmUpS * 1000, demos.map((d) => d.child.pid!), 'placement bench');
    const loadStart = loadavg()[0]!;
    const cpu0 = demos.map((d) => cpuSeconds(d.child.pid!));
    const t0 = performance.now();
    await Promise.all(
      demos.map(async (demo) => {
        while (performance.now() - t0 < measureS * 1000) {
          const started = performance.now();
          await (await fetch(`${demo.base}/api/sites`)).text();
          const ms = performance.now() - started;
          demo.reads.push(ms);
          if (ms > SLOW_READ_MS) demo.slowReads.push({ atS: (started - t0) / 1000, ms });
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      }),
    );
    const measuredS = (performance.now() - t0) / 1000;
    const figures = await Promise.all(
      demos.map(async (demo, i): Promise<PlacementFigures> => {
        const { processorThreads } = (await (await fetch(`${demo.base}/healthz`)).json()) as { processorThreads: number };
        return {
          processorThreads,
          cpuShareOfCore: (cpuSeconds(demo.child.pid!) - cpu0[i]!) / measuredS,
          rssMb: rssMb(demo.child.pid!),
          reads: demo.reads.length,
          p50Ms: quantile(demo.reads, 0.5),
          p90Ms: quantile(demo.reads, 0.9),
          p99Ms: quantile(demo.reads, 0.99),
          maxMs: Math.max(...demo.reads),
          slowReads: demo.slowReads,
        };
      }),
    );
    const devices = sites * 80;
    return { sites, devices, warmUpS, measuredS, pollMs, loadAverage: { start: loadStart, end: loadavg()[0]! }, mainThread: figures[0]!, worker: figures[1]! };
  } finally {
    await Promise.all(demos.map((d) => stop(d.child)));
    rmSync(scratch, { recursive: true, force: true });
  }
}
