// The workstation agent's footprint: the bundled single file (packages/agent/dist/wardwatch-agent.mjs)
// run as a service manager runs it, at the default cadence a trust would use — four application
// checks every 60 s, Wi-Fi and logons every 60 s, device health every 5 min, delivery every 15 s —
// against a local stand-in for the ingest gateway and a local HTTP target for the checks.
//
// Sampled once a second from /proc/<pid>/status (VmRSS) and /proc/<pid>/stat (utime + stime of the
// agent, and cutime + cstime of the OS tools it ran and waited for: journalctl, iw). Start-up (the
// first STARTUP_MS) is reported apart from the steady period. Spool growth is read from the spool's
// own segment files: every record's bytes on disk, by kind, projected to an hour at the configured
// intervals.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'packages/agent/dist/wardwatch-agent.mjs');
const BUILD = join(ROOT, 'packages/agent/build.mjs');

export interface AgentBenchOptions {
  /** How long the agent runs, ms (default 70 s: more than one full 60 s round of every check). */
  durationMs?: number;
  /** Start-up period excluded from the steady figures, ms (default 5 s). */
  startupMs?: number;
  /** Node flags for the agent process, e.g. ['--max-semi-space-size=1']. */
  nodeFlags?: string[];
  /** Rebuild the bundle first (default true: measure what the sources are now). */
  build?: boolean;
  /** Run this single executable (`node build.mjs --sea`) instead of node + the bundle; flags go in NODE_OPTIONS. */
  executable?: string;
}

export interface AgentBenchResult {
  nodeFlags: string[];
  executable?: string;
  durationS: number;
  samples: number;
  /** From spawn to the "agent started" log line. */
  startupMs: number;
  /** RSS when the agent reported it had started, and the highest RSS within the start-up period. */
  startupRssMb: number;
  startupPeakRssMb: number;
  /** CPU seconds spent in the start-up period (agent only). */
  startupCpuS: number;
  /** Steady period (after start-up). "MB" here is MiB: /proc reports kB that are KiB. */
  peakRssMb: number;
  medianRssMb: number;
  /** Median private (anonymous) and file-backed parts of the steady RSS. */
  medianAnonMb: number;
  medianFileMb: number;
  /** VmHWM at the end: the highest RSS the kernel saw over the whole life, start-up included. */
  hwmRssMb: number;
  /** Share of one core over the steady period, %: the agent itself, and with the tools it ran. */
  cpuPct: number;
  cpuPctWithChildren: number;
  /** Events the stand-in gateway accepted, and the HTTP body bytes they came in. */
  delivered: number;
  deliveredBytes: number;
  /** Records and bytes (frames, as on disk) the agent spooled during the run, by kind. */
  spooled: Record<string, { records: number; bytes: number }>;
  /** Spool bytes appended per hour at the configured intervals (from the measured record sizes). */
  spoolBytesPerHour: number;
  /** Records per hour at the configured intervals, by kind. */
  recordsPerHour: Record<string, number>;
  /** What the agent logged at warn or error (tools missing here and the like). */
  warnings: string[];
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcSample {
  rssKb: number;
  /** Private (anonymous) and file-backed resident memory: the node binary's pages are most of the latter. */
  anonKb: number;
  fileKb: number;
  hwmKb: number;
  ticks: number;
  childTicks: number;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const f = (n: number) => Number(fields[n - 3]);
    return {
      rssKb: kb(status, 'VmRSS'),
      anonKb: kb(status, 'RssAnon'),
      fileKb: kb(status, 'RssFile'),
      hwmKb: kb(status, 'VmHWM'),
      ticks: f(14) + f(15),
      childTicks: f(16) + f(17),
    };
  } catch {
    return undefined;
  }
}

const kb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Reads the spool's segment files: [u32 length][u32 crc][f64 time][payload]. */
function spooledByKind(queueDir: string): Record<string, { records: number; bytes: number }> {
  const byKind: Record<string, { records: number; bytes: number }> = {};
  for (const name of readdirSync(queueDir).filter((n) => n.endsWith('.seg')).sort()) {
    const buffer = readFileSync(join(queueDir, name));
    for (let at = 0; at + 16 <= buffer.length; ) {
      const length = buffer.readUInt32BE(at);
      const payload = buffer.subarray(at + 16, at + 16 + length).toString('utf8');
      const kind = (JSON.parse(payload) as { kind: string }).kind;
      const entry = (byKind[kind] ??= { records: 0, bytes: 0 });
      entry.records++;
      entry.bytes += 16 + length;
      at += 16 + length;
    }
  }
  return byKind;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function agentBench(options: AgentBenchOptions = {}): Promise<AgentBenchResult> {
  if (process.platform !== 'linux') throw new Error('the agent footprint bench reads /proc: Linux only');
  const durationMs = options.durationMs ?? 70_000;
  const startupMs = options.startupMs ?? 5_000;
  const nodeFlags = options.nodeFlags ?? [];
  if (options.build !== false && !options.executable) execFileSync(process.execPath, [BUILD], { stdio: 'ignore' });

  // The stand-in ingest gateway: accepts everything, as the real one answers a valid batch.
  let delivered = 0;
  let deliveredBytes = 0;
  const gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let n = 0;
      try {
        n = (JSON.parse(body.toString('utf8')) as unknown[]).length;
      } catch {
        // counted as zero
      }
      delivered += n;
      deliveredBytes += body.length;
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: n, rejected: 0, rejections: [] }));
    });
  });
  // The clinical applications the checks look at: a small login page.
  const page = `<!doctype html><title>Sign in</title>${'<p>clinical system</p>'.repeat(50)}`;
  const target = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
  const [gatewayPort, targetPort] = [await listen(gateway), await listen(target)];
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-agent-bench-'));
  const configFile = join(dir, 'agent.yaml');
  const app = (name: string) => `  - app: ${name}\n    url: http://127.0.0.1:${targetPort}/${name}/login\n`;
  // Intervals are the defaults: nothing here sets one.
  writeFileSync(
    configFile,
    `identity: { trust: RXX, site: RXX01, ward: W01, device: RXX01-W01-BENCH }
delivery:
  http: { url: "http://127.0.0.1:${gatewayPort}/api/ingest", token: bench-device-token }
spool: { dir: ./spool }
checks:
${['epr', 'pacs', 'ordercomms', 'eprescribing'].map(app).join('')}marks: { port: 0 }
`,
  );
  const intervals = { app: 4 * (3_600_000 / 60_000), wifi: 3_600_000 / 60_000, health: 3_600_000 / 300_000 };

  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, WARDWATCH_AGENT_KEY: 'bench-pseudonymisation-key-0123456789' };
  delete env.NODE_OPTIONS; // the bench's own (tsx) must not reach the agent
  const child = options.executable
    ? spawn(options.executable, ['run', '--config', configFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, ...(nodeFlags.length ? { NODE_OPTIONS: nodeFlags.join(' ') } : {}) } })
    : spawn(process.execPath, [...nodeFlags, BUNDLE, 'run', '--config', configFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  let startedAt: number | undefined;
  let startupRssKb = NaN;
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (startedAt === undefined && log.includes('"agent started"')) {
      startedAt = performance.now() - t0;
      startupRssKb = readProc(child.pid!)?.rssKb ?? NaN;
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const samples: Array<{ t: number } & ProcSample> = [];
  try {
    while (performance.now() - t0 < durationMs) {
      if (child.exitCode !== null) throw new Error(`the agent exited early (${child.exitCode}):\n${log}`);
      const proc = readProc(child.pid!);
      if (proc) samples.push({ t: performance.now() - t0, ...proc });
      await new Promise((resolve) => setTimeout(resolve, 1_000 - ((performance.now() - t0) % 1_000)));
    }
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
    if (code === 'timeout') child.kill('SIGKILL');
    gateway.close();
    target.close();
  }
  if (startedAt === undefined) throw new Error(`the agent never reported "agent started":\n${log}`);

  const startup = samples.filter((s) => s.t < startupMs);
  const steady = samples.filter((s) => s.t >= startupMs);
  const first = steady[0]!;
  const last = steady[steady.length - 1]!;
  const seconds = (last.t - first.t) / 1000;
  const spooled = spooledByKind(join(dir, 'spool/queue'));
  const recordsPerHour: Record<string, number> = {};
  let spoolBytesPerHour = 0;
  for (const [kind, perHour] of Object.entries(intervals)) {
    const measured = spooled[kind];
    if (!measured) continue; // e.g. no Wi-Fi adapter here: nothing sent for it
    recordsPerHour[kind] = perHour;
    spoolBytesPerHour += (measured.bytes / measured.records) * perHour;
  }
  if (spooled.logon) recordsPerHour.logon = spooled.logon.records; // as many as people log on: not a cadence
  const warnings = log
    .split('\n')
    .filter((line) => /"level":"(warn|error)"/.test(line))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
  rmSync(dir, { recursive: true, force: true });
  const mb = (kb: number) => kb / 1024;
  return {
    nodeFlags,
    ...(options.executable ? { executable: options.executable } : {}),
    durationS: durationMs / 1000,
    samples: samples.length,
    startupMs: startedAt,
    startupRssMb: mb(startupRssKb),
    startupPeakRssMb: mb(Math.max(...startup.map((s) => s.rssKb))),
    startupCpuS: first.ticks / CLK_TCK,
    peakRssMb: mb(Math.max(...steady.map((s) => s.rssKb))),
    medianRssMb: mb(median(steady.map((s) => s.rssKb))),
    medianAnonMb: mb(median(steady.map((s) => s.anonKb))),
    medianFileMb: mb(median(steady.map((s) => s.fileKb))),
    hwmRssMb: mb(last.hwmKb),
    cpuPct: ((last.ticks - first.ticks) / CLK_TCK / seconds) * 100,
    cpuPctWithChildren: ((last.ticks + last.childTicks - first.ticks - first.childTicks) / CLK_TCK / seconds) * 100,
    delivered,
    deliveredBytes,
    spooled,
    spoolBytesPerHour,
    recordsPerHour,
    warnings: [...new Set(warnings)],
  };
}

/** The bundle's size on disk, for the report. */
export function bundleBytes(): number {
  return statSync(BUNDLE).size;
}

/** What the default run compares: Node as it comes, and the flags the systemd unit uses. */
export const AGENT_FLAG_VARIANTS: string[][] = [[], ['--max-semi-space-size=1'], ['--max-semi-space-size=1', '--lite-mode']];
