// What the embedded pipeline costs at real time: `wardwatch start` with its defaults (12 sites, ~1,000
// devices; or `sites` sites of 80 devices each, for the scale sweep), statuses every second, on a fresh
// store without the months of history (that one-off write is measured by the demo-history bench). After
// a warm-up: its CPU from /proc as a share of one core, its RSS, the processor's checkpointed state per
// device (the snapshots in the store), how many status messages a minute it publishes (its /metrics),
// and how far the site grid trails real time (wall clock − each site's asOf on /api/sites, every 200 ms).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../tests/helpers/free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SiteSummary } from '@wardwatch/schema';
import { buildEstate } from '@wardwatch/simulator';

const root = new URL('../', import.meta.url).pathname;
const cli = join(root, 'packages/cli/src/main.ts');
const CLOCK_TICK_S = 0.01; // /proc/<pid>/stat counts CPU in clock ticks of 10 ms (USER_HZ 100)

export interface IdleBenchResult {
  devices: number;
  /** The processor's checkpointed state (every partition's head and parts), bytes per device. */
  stateBytesPerDevice: number;
  warmUpS: number;
  measuredS: number;
  cpuShareOfCore: number;
  /**
   * The same by thread: the main thread (server, board, attribution, simulator), the busiest other
   * thread over the span — the processor thread — and the rest together (V8's garbage-collection
   * helpers, libuv's pool, the module loader's thread).
   */
  threadShares: { main: number; processor: number; rest: number };
  rssMb: number;
  sites: number;
  statusMessagesPerMinute: number;
  /** Wall time − the sites' asOf, sampled every 200 ms: how far the grid trails real time. */
  gridLagP50Ms: number;
  gridLagP99Ms: number;
}

function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: utime is the 14th field of the line, stime the 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_S;
}

/** CPU seconds of each of the process's threads, by thread id. */
function threadCpuSeconds(pid: number): Map<string, number> {
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

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function idleBench(options: { warmUpS?: number; measureS?: number; sites?: number; backfillHours?: number } = {}): Promise<IdleBenchResult> {
  const warmUpS = options.warmUpS ?? 120;
  const measuredS = options.measureS ?? 300;
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-idle-'));
  const port = await freePort();
  const dbFile = join(scratch, 'idle.db');
  const sites = [...(options.sites === undefined ? [] : ['--sites', String(options.sites)]), ...(options.backfillHours === undefined ? [] : ['--backfill-hours', String(options.backfillHours)])];
  const estate = buildEstate({ seed: 1, ...(options.sites === undefined ? {} : { sites: options.sites }) });
  const devices = estate.sites.reduce((n, s) => n + s.wards.reduce((m, w) => m + w.devices.length, 0), 0);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--port', String(port), '--store', `sqlite:${dbFile}`, '--history-months', '0', ...sites, '--log-level', 'warn'], {
    cwd: root,
    env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) === true) break;
      if (i > 3000) throw new Error('idle bench: the demo did not start within 10 minutes');
      await sleep(200);
    }
    await sleep(warmUpS * 1000);
    // Status messages published, as the process counts them.
    const published = async () => Number(/^wardwatch_status_messages_total (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? NaN);
    const published0 = await published();
    const cpu0 = cpuSeconds(child.pid!);
    const threads0 = threadCpuSeconds(child.pid!);
    const t0 = performance.now();
    const lags: number[] = [];
    const rss: number[] = [];
    let sitesSeen = 0;
    while (performance.now() - t0 < measuredS * 1000) {
      const list = (await (await fetch(`${base}/api/sites`)).json()) as SiteSummary[];
      sitesSeen = list.length;
      const now = Date.now();
      for (const site of list) if (site.asOf > 0) lags.push(now - site.asOf);
      rss.push(rssMb(child.pid!));
      await sleep(200);
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(child.pid!) - cpu0;
    const threads = [...threadCpuSeconds(child.pid!)].map(([tid, seconds]) => ({ tid, seconds: seconds - (threads0.get(tid) ?? 0) }));
    const mainSeconds = threads.find((t) => t.tid === String(child.pid))?.seconds ?? 0;
    const others = threads.filter((t) => t.tid !== String(child.pid)).sort((a, b) => b.seconds - a.seconds);
    const processorSeconds = others[0]?.seconds ?? 0;
    const restSeconds = others.slice(1).reduce((n, t) => n + t.seconds, 0);
    const statusEvents = (await published()) - published0;
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    // A checkpoint's head and its parts (the windows that no longer change, written once each).
    const stateBytes =
      Number((db.prepare(`SELECT COALESCE(SUM(LENGTH(state)), 0) AS n FROM checkpoints WHERE grp = 'wardwatch-processor'`).get() as { n: number }).n) +
      Number((db.prepare(`SELECT COALESCE(SUM(LENGTH(bytes)), 0) AS n FROM checkpoint_parts WHERE grp = 'wardwatch-processor'`).get() as { n: number }).n);
    db.close();
    lags.sort((a, b) => a - b);
    const pct = (seconds: number) => `${((seconds / elapsedS) * 100).toFixed(2)} %`;
    console.log(`  CPU by thread: main ${pct(mainSeconds)}, processor thread ${pct(processorSeconds)}, the rest (GC helpers, libuv, loader) ${pct(restSeconds)}`);
    const q = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? NaN;
    return {
      devices,
      stateBytesPerDevice: stateBytes / devices,
      warmUpS,
      measuredS: elapsedS,
      cpuShareOfCore: cpu / elapsedS,
      threadShares: { main: mainSeconds / elapsedS, processor: processorSeconds / elapsedS, rest: restSeconds / elapsedS },
      rssMb: rss.sort((a, b) => a - b)[Math.floor(rss.length / 2)] ?? NaN,
      sites: sitesSeen,
      statusMessagesPerMinute: (statusEvents / elapsedS) * 60,
      gridLagP50Ms: q(0.5),
      gridLagP99Ms: q(0.99),
    };
  } finally {
    await stop(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}
