// What the embedded pipeline costs at real time: `npm start`'s command as it runs it — its Node flags,
// the built `wardwatch` (built first), `start --demo` — with the defaults (12 sites, ~1,000 devices; or
// `sites` sites of 80 devices each, for the scale sweep), statuses every second, on a fresh store
// without the months of history (that one-off write is measured by the demo-history bench). After a
// warm-up: its CPU from /proc as a share of one core,
// its RSS, the processor's checkpointed state per device (the snapshots in the store), how many status
// messages a minute it publishes (its /metrics), and how far the site grid trails real time (wall
// clock − each site's asOf on /api/sites, every 200 ms; the sweep polls less often, as a large
// estate's list is megabytes).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../tests/helpers/free-port.ts';
import { npmStartCommand } from '../tests/helpers/npm-start.ts';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { SiteSummary } from '@wardwatch/schema';
import { buildEstate } from '@wardwatch/simulator';

const root = new URL('../', import.meta.url).pathname;
const CLOCK_TICK_S = 0.01; // /proc/<pid>/stat counts CPU in clock ticks of 10 ms (USER_HZ 100)

export interface IdleBenchResult {
  devices: number;
  /** Months of demo history written at start (the demo's --history-months; 0: a fresh store). */
  historyMonths: number;
  /** 1-minute load average when the measurement started and when it ended. */
  loadAverage: { start: number; end: number };
  /** How often /api/sites was read, ms. */
  pollMs: number;
  /** /api/sites: its size and how long it took to answer (p50 / p99), as the bench read it. */
  sitesResponse: { bytes: number; p50Ms: number; p99Ms: number };
  /** Why the measurement ended before its time (the RSS ceiling), if it did. */
  stoppedEarly?: string;
  /** The processor's checkpointed state (every partition's head and parts), bytes per device. */
  stateBytesPerDevice: number;
  warmUpS: number;
  measuredS: number;
  cpuShareOfCore: number;
  /**
   * The same by thread: the main thread (server, board, attribution, simulator), the busiest other
   * thread over the span — the processor thread, or the busiest of them — and the rest together
   * (other processor threads, V8's garbage-collection helpers, libuv's pool, the module loader's thread).
   */
  threadShares: { main: number; processor: number; rest: number };
  rssMb: number;
  sites: number;
  statusMessagesPerMinute: number;
  /** Wall time − the sites' asOf, sampled every 200 ms: how far the grid trails real time. */
  gridLagP50Ms: number;
  gridLagP99Ms: number;
  /** The Node flags the demo ran with: `npm start`'s (package.json's start script), besides the heap room. */
  nodeFlags: string[];
  /** The processor's worker threads (/healthz): 0 when it runs on the main thread. */
  processorThreads: number;
}

export function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: utime is the 14th field of the line, stime the 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_S;
}

/** CPU seconds of each of the process's threads, by thread id. */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_S);
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long a measured process may take to stop cleanly before it is killed. A pipeline that fell
 * behind drains what it holds on SIGTERM (the 500,000-device embedded run was still draining 13
 * minutes after its measurement ended); its figures are taken before the stop, so waiting longer
 * measures nothing.
 */
const STOP_GRACE_MS = 120_000;

/** Waits for a started `wardwatch start` to answer /healthz: fails if it exits, or after ten minutes. */
export async function untilServing(base: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) === true) return;
    if (child.exitCode !== null) throw new Error(`${what}: wardwatch start exited with code ${child.exitCode}`);
    if (i > 3000) throw new Error(`${what}: the demo did not start within 10 minutes`);
    await sleep(200);
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const grace = setTimeout(() => {
    console.error(`  (pid ${child.pid} had not stopped ${STOP_GRACE_MS / 1000} s after SIGTERM — still draining a backlog: killed)`);
    child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
}

/**
 * The main thread's CPU against the busiest other thread's (the processor's) and the rest, over a span:
 * `threadCpuSeconds` read before and after.
 */
export function splitThreads(pid: number, before: Map<string, number>, after: Map<string, number>): { main: number; processor: number; rest: number } {
  const threads = [...after].map(([tid, seconds]) => ({ tid, seconds: seconds - (before.get(tid) ?? 0) }));
  const main = threads.find((t) => t.tid === String(pid))?.seconds ?? 0;
  const others = threads.filter((t) => t.tid !== String(pid)).sort((a, b) => b.seconds - a.seconds);
  return { main, processor: others[0]?.seconds ?? 0, rest: others.slice(1).reduce((n, t) => n + t.seconds, 0) };
}

/** Wall clock − each site's asOf, and what each read of /api/sites cost, gathered while measuring. */
export class GridLag {
  readonly lags: number[] = [];
  readonly requestMs: number[] = [];
  bytes = 0;
  sites = 0;

  constructor(private readonly base: string) {}

  async sample(): Promise<void> {
    const started = performance.now();
    const text = await (await fetch(`${this.base}/api/sites`)).text();
    this.requestMs.push(performance.now() - started);
    const list = JSON.parse(text) as SiteSummary[];
    this.bytes = text.length;
    this.sites = list.length;
    const now = Date.now();
    for (const site of list) if (site.asOf > 0) this.lags.push(now - site.asOf);
  }
}

/** The p-quantile of a list (sorted here). */
export function quantile(values: number[], p: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? NaN;
}

/** Status messages published so far, as a process's /metrics counts them. */
export async function statusMessagesPublished(base: string): Promise<number> {
  return Number(/^wardwatch_status_messages_total (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? NaN);
}

/** A processor group's checkpointed state in a SQLite store: every partition's head and parts, bytes. */
export function checkpointedStateBytes(dbFile: string, group: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (
      Number((db.prepare(`SELECT COALESCE(SUM(LENGTH(state)), 0) AS n FROM checkpoints WHERE grp = ?`).get(group) as { n: number }).n) +
      Number((db.prepare(`SELECT COALESCE(SUM(LENGTH(bytes)), 0) AS n FROM checkpoint_parts WHERE grp = ?`).get(group) as { n: number }).n)
    );
  } finally {
    db.close();
  }
}

/**
 * The RSS past which a run is stopped (MiB; `WARDWATCH_BENCH_MAX_RSS_MB`, default 15,000): a pipeline
 * that falls behind holds its backlog in memory, and the box is shared.
 */
export const MAX_RSS_MB = Number(process.env.WARDWATCH_BENCH_MAX_RSS_MB ?? 15_000);

/** Sleeps `ms`, checking every second that no process is past the RSS ceiling (throws if one is). */
export async function watchedSleep(ms: number, pids: number[], what: string): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    for (const pid of pids) {
      const mb = rssMb(pid);
      if (mb > MAX_RSS_MB) throw new Error(`${what}: RSS ${mb.toFixed(0)} MiB past the ${MAX_RSS_MB} MiB ceiling during the warm-up`);
    }
    await sleep(Math.min(1000, Math.max(0, until - performance.now())));
  }
}

/** Heap room for a large estate's process (the box has 24 GiB; Node's default old space is ~4 GiB). */
export const LARGE_HEAP_FLAG = '--max-old-space-size=16384';

export interface IdleBenchOptions {
  warmUpS?: number;
  measureS?: number;
  sites?: number;
  backfillHours?: number;
  pollMs?: number;
  processorThreads?: number;
  historyMonths?: number;
}

/** One demo of a side-by-side run: a checkout (its dependencies installed) and Node flags added to its `npm start`'s. */
export interface IdleDemo {
  root: string;
  extraFlags?: readonly string[];
}

export async function idleBench(options: IdleBenchOptions = {}): Promise<IdleBenchResult> {
  return (await idleSideBySide(options, [{ root }]))[0]!;
}

/**
 * The demos at once, each its checkout's `npm start` command (built first) with its own port and
 * store, measured over the same seconds: two runs an hour apart on one machine differ by more than most
 * changes (docs/benchmarks.md), demos side by side share the machine's hour.
 */
export async function idleSideBySide(options: IdleBenchOptions, demos: readonly IdleDemo[]): Promise<IdleBenchResult[]> {
  const warmUpS = options.warmUpS ?? 120;
  const measuredS = options.measureS ?? 300;
  const pollMs = options.pollMs ?? 200;
  const sites = [
    ...(options.sites === undefined ? [] : ['--sites', String(options.sites)]),
    ...(options.backfillHours === undefined ? [] : ['--backfill-hours', String(options.backfillHours)]),
    ...(options.processorThreads === undefined ? [] : ['--processor-threads', String(options.processorThreads)]),
  ];
  const estate = buildEstate({ seed: 1, ...(options.sites === undefined ? {} : { sites: options.sites }) });
  const devices = estate.sites.reduce((n, s) => n + s.wards.reduce((m, w) => m + w.devices.length, 0), 0);
  const started: Array<{ child: ChildProcess; base: string; dbFile: string; scratch: string; nodeFlags: string[] }> = [];
  // The command runs the build (as `npm start` does): each checkout built from its sources first.
  for (const checkout of new Set(demos.map((demo) => demo.root))) execFileSync('npm', ['run', 'build', '--silent'], { cwd: checkout, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (const demo of demos) {
      // What `npm start` gives the demo, so that what is measured is what a user starts.
      const { nodeFlags: startFlags, script, args } = npmStartCommand(pathToFileURL(join(demo.root, 'package.json')));
      const nodeFlags = [...startFlags, ...(demo.extraFlags ?? [])];
      const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-idle-'));
      const port = await freePort();
      const dbFile = join(scratch, 'idle.db');
      const child = spawn(process.execPath, [LARGE_HEAP_FLAG, ...nodeFlags, join(demo.root, script), ...args, '--port', String(port), '--store', `sqlite:${dbFile}`, '--history-months', String(options.historyMonths ?? 0), ...sites, '--log-level', 'warn'], {
        cwd: demo.root,
        env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      started.push({ child, base: `http://127.0.0.1:${port}`, dbFile, scratch, nodeFlags });
    }
    for (const { base, child } of started) await untilServing(base, child, 'idle bench');
    await watchedSleep(warmUpS * 1000, started.map(({ child }) => child.pid!), 'idle bench');
    const loadStart = loadavg()[0]!;
    const before = await Promise.all(
      started.map(async ({ base, child }) => ({ published: await statusMessagesPublished(base), cpu: cpuSeconds(child.pid!), threads: threadCpuSeconds(child.pid!) })),
    );
    const t0 = performance.now();
    const grids = started.map(({ base }) => new GridLag(base));
    const rss: number[][] = started.map(() => []);
    let stoppedEarly: string | undefined;
    measuring: while (performance.now() - t0 < measuredS * 1000) {
      const round = performance.now();
      await Promise.all(grids.map((grid) => grid.sample()));
      for (const [i, { child }] of started.entries()) {
        rss[i]!.push(rssMb(child.pid!));
        if (rss[i]!.at(-1)! > MAX_RSS_MB) {
          stoppedEarly = `RSS ${rss[i]!.at(-1)!.toFixed(0)} MiB past the ${MAX_RSS_MB} MiB ceiling after ${((performance.now() - t0) / 1000).toFixed(0)} s`;
          break measuring;
        }
      }
      await sleep(Math.max(0, pollMs - (performance.now() - round)));
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const after = started.map(({ child }) => ({ cpu: cpuSeconds(child.pid!), threads: threadCpuSeconds(child.pid!) }));
    const loadEnd = loadavg()[0]!;
    return await Promise.all(
      started.map(async ({ base, child, dbFile, nodeFlags }, i) => {
        const { processorThreads } = (await (await fetch(`${base}/healthz`)).json()) as { processorThreads: number };
        const split = splitThreads(child.pid!, before[i]!.threads, after[i]!.threads);
        const statusEvents = (await statusMessagesPublished(base)) - before[i]!.published;
        const grid = grids[i]!;
        return {
          devices,
          historyMonths: options.historyMonths ?? 0,
          loadAverage: { start: loadStart, end: loadEnd },
          pollMs,
          sitesResponse: { bytes: grid.bytes, p50Ms: quantile(grid.requestMs, 0.5), p99Ms: quantile(grid.requestMs, 0.99) },
          ...(stoppedEarly ? { stoppedEarly } : {}),
          // A checkpoint's head and its parts (the windows that no longer change, written once each).
          stateBytesPerDevice: checkpointedStateBytes(dbFile, 'wardwatch-processor') / devices,
          warmUpS,
          measuredS: elapsedS,
          cpuShareOfCore: (after[i]!.cpu - before[i]!.cpu) / elapsedS,
          threadShares: { main: split.main / elapsedS, processor: split.processor / elapsedS, rest: split.rest / elapsedS },
          processorThreads,
          rssMb: quantile(rss[i]!, 0.5),
          sites: grid.sites,
          statusMessagesPerMinute: (statusEvents / elapsedS) * 60,
          gridLagP50Ms: quantile(grid.lags, 0.5),
          gridLagP99Ms: quantile(grid.lags, 0.99),
          nodeFlags,
        };
      }),
    );
  } finally {
    for (const { child, scratch } of started) {
      await stop(child);
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
