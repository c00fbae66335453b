// Can the simulator feed an NHS-scale estate at real time? For 10k, 100k, 500k and 2M devices (sites of
// 80 devices, as the scale sweep's): building the estate and the simulator, then one simulated minute
// three ways — visited event by event (generateEach), in 250 ms spans as the runner makes it at real
// time, and as one array (generate) — with events a second, CPU time and peak RSS. Each size runs in a
// process of its own so that its memory is its own.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildEstate, Simulator } from '@wardwatch/simulator';

const SELF = fileURLToPath(import.meta.url);
const DEVICES_PER_SITE = 80;
const MINUTE = 60_000;
/** An ordinary weekday minute, away from the shift changes' logon peaks. */
const AT = Date.UTC(2026, 10, 24, 9, 0);
/** The runner's tick at real time. */
const TICK_MS = 250;
export const SIMULATOR_BENCH_DEVICES = [10_000, 100_000, 500_000, 2_000_000];

/** One way of generating the minute: wall and CPU time (all of the process's threads, GC included). */
export interface SimulatorRun {
  events: number;
  wallMs: number;
  cpuMs: number;
  /** Peak resident set of the process once this run is done, MiB. */
  peakRssMb: number;
}

export interface SimulatorBenchRow {
  devices: number;
  sites: number;
  /** Set when the size did not fit (the child process failed): what it said. */
  failed?: string;
  /** 1-minute load average when the size started. */
  loadAverage: number;
  buildEstateMs: number;
  newSimulatorMs: number;
  /** Peak RSS with the estate and simulator built, MiB. */
  builtRssMb: number;
  /** generateEach over the minute, each event dropped once visited. */
  visited?: SimulatorRun;
  /** The same minute in 250 ms spans (generateEach per span), as the runner at real time. */
  realTime?: SimulatorRun;
  /** generate(minute): the minute held as one array. */
  array?: SimulatorRun;
}

/** Times every size, each in a child process; prints a few lines per size as it completes. */
export async function simulatorBench(devices: readonly number[] = SIMULATOR_BENCH_DEVICES): Promise<SimulatorBenchRow[]> {
  const rows: SimulatorBenchRow[] = [];
  for (const n of devices) {
    const row = await inChild(Math.ceil(n / DEVICES_PER_SITE));
    rows.push(row);
    console.log(describeSimulatorRow(row));
  }
  return rows;
}

export function describeSimulatorRow(r: SimulatorBenchRow): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-GB')}k`;
  const run = (label: string, x: SimulatorRun | undefined) =>
    x
      ? `  ${label}: ${s(x.wallMs)}, ${k(x.events / (x.wallMs / 1000))} events/s (CPU ${s(x.cpuMs)}, ${k(x.events / (x.cpuMs / 1000))} events per CPU-second), peak RSS ${x.peakRssMb} MiB`
      : `  ${label}: did not fit`;
  const lines = [
    `simulator: ${r.devices.toLocaleString('en-GB')} devices (${r.sites.toLocaleString('en-GB')} sites), load average ${r.loadAverage.toFixed(1)}`,
    `  buildEstate ${s(r.buildEstateMs)}, new Simulator ${s(r.newSimulatorMs)}, peak RSS ${r.builtRssMb} MiB`,
  ];
  if (r.visited) lines.push(`  one minute: ${r.visited.events.toLocaleString('en-GB')} events`, run('visited (generateEach)', r.visited));
  if (r.realTime) {
    lines.push(run(`in ${TICK_MS} ms spans (real time)`, r.realTime));
    lines.push(`    ${((r.realTime.cpuMs / MINUTE) * 100).toFixed(1)} % of a core to keep up with real time (${r.realTime.events.toLocaleString('en-GB')} events, the same as the minute at once)`);
  }
  lines.push(run('as one array (generate)', r.array));
  if (r.failed) lines.push(`  stopped: ${r.failed}`);
  return lines.join('\n');
}

function inChild(sites: number): Promise<SimulatorBenchRow> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', SELF, '--measure-sites', String(sites)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code, signal) => {
      // The child prints its row after each step, so a size that runs out of memory keeps what it measured.
      const last = out.trim().split('\n').filter(Boolean).pop();
      const row: SimulatorBenchRow = last ? JSON.parse(last) : { devices: sites * DEVICES_PER_SITE, sites, loadAverage: loadavg()[0]!, buildEstateMs: 0, newSimulatorMs: 0, builtRssMb: 0 };
      if (code !== 0) row.failed = signal ? `killed by ${signal}` : (err.trim().split('\n').find((l) => /heap|memory|Error/i.test(l)) ?? `exit code ${code}`);
      resolve(row);
    });
  });
}

/** Peak resident set of this process so far, MiB (Linux). */
function peakRssMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function timed(generate: () => number): SimulatorRun {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const events = generate();
  const used = process.cpuUsage(cpu);
  return { events, wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000, peakRssMb: peakRssMb() };
}

/** Measures one size, printing the row as a JSON line after each step. */
function measure(sites: number): void {
  const report = (row: SimulatorBenchRow) => process.stdout.write(`${JSON.stringify(row)}\n`);
  const loadAverage = loadavg()[0]!;
  let started = performance.now();
  const estate = buildEstate({ seed: 1, sites });
  const buildEstateMs = performance.now() - started;
  started = performance.now();
  const simulator = new Simulator({ estate, seed: 1 });
  const newSimulatorMs = performance.now() - started;
  const row: SimulatorBenchRow = { devices: sites * DEVICES_PER_SITE, sites, loadAverage, buildEstateMs, newSimulatorMs, builtRssMb: peakRssMb() };
  report(row);

  row.visited = timed(() => {
    let events = 0;
    simulator.generateEach(AT, AT + MINUTE, () => void events++);
    return events;
  });
  report(row);
  row.realTime = timed(() => {
    let events = 0;
    for (let t = AT; t < AT + MINUTE; t += TICK_MS) simulator.generateEach(t, t + TICK_MS, () => void events++);
    return events;
  });
  report(row);
  row.array = timed(() => simulator.generate(AT, AT + MINUTE).length);
  report(row);
}

if (process.argv[1] === SELF) {
  const at = process.argv.indexOf('--measure-sites');
  if (at > 0) measure(Number(process.argv[at + 1]));
  else {
    // `node --import tsx bench/simulator.bench.ts [DEVICES…]`
    const devices = process.argv.slice(2).map(Number).filter((n) => n > 0);
    await simulatorBench(devices.length > 0 ? devices : SIMULATOR_BENCH_DEVICES);
  }
}
