// Can the simulator feed an NHS-scale estate at real time? For 10k, 100k, 500k and 2M devices (sites of
// 80 devices, as the scale sweep's): building the estate, one simulated minute generated as one array,
// and the same minute in 250 ms spans as the runner makes it at real time — events a second on one
// core, and the peak RSS. Each size runs in a process of its own so that its memory is its own.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

export interface SimulatorBenchRow {
  devices: number;
  sites: number;
  /** Set when the size did not fit (the child process failed): what it said. */
  failed?: string;
  buildEstateMs: number;
  newSimulatorMs: number;
  /** Events in the minute. */
  events: number;
  /** generate(minute) as one array. */
  arrayMs: number;
  /** The same minute in 250 ms spans (the runner at real time), each span's events then dropped. */
  realTimeMs: number;
  /** Events in those spans (fewer than in the minute: a logon whose minute began in an earlier span is not generated). */
  realTimeEvents: number;
  /** Peak resident set after the estate and simulator, after the minute in spans, and after the array. */
  peakRssMb: { built: number; realTime: number; array: number };
}

/** Times every size, each in a child process; prints a line per size as it completes. */
export async function simulatorBench(devices: readonly number[] = SIMULATOR_BENCH_DEVICES): Promise<SimulatorBenchRow[]> {
  const rows: SimulatorBenchRow[] = [];
  for (const n of devices) {
    const row = await inChild(Math.ceil(n / DEVICES_PER_SITE));
    rows.push(row);
    console.log(describeRow(row));
  }
  return rows;
}

export function describeRow(r: SimulatorBenchRow): string {
  const head = `simulator: ${r.devices.toLocaleString('en-GB')} devices (${r.sites.toLocaleString('en-GB')} sites)`;
  if (r.failed) return `${head}: did not fit — ${r.failed}`;
  const rate = (ms: number, events = r.events) => `${Math.round(events / (ms / 1000) / 1000).toLocaleString('en-GB')}k events/s`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    head,
    `  buildEstate ${s(r.buildEstateMs)}, new Simulator ${s(r.newSimulatorMs)} (peak RSS ${r.peakRssMb.built} MiB)`,
    `  one minute, ${r.events.toLocaleString('en-GB')} events: as one array ${s(r.arrayMs)}, ${rate(r.arrayMs)} (peak RSS ${r.peakRssMb.array} MiB)`,
    `  the same minute in ${TICK_MS} ms spans (real time): ${s(r.realTimeMs)}, ${rate(r.realTimeMs, r.realTimeEvents)}, ${((r.realTimeMs / MINUTE) * 100).toFixed(1)} % of a core (peak RSS ${r.peakRssMb.realTime} MiB)`,
  ].join('\n');
}

function inChild(sites: number): Promise<SimulatorBenchRow> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', SELF, '--measure-sites', String(sites)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(JSON.parse(out) as SimulatorBenchRow);
      const why = signal ? `killed by ${signal}` : (err.trim().split('\n').find((l) => /heap|memory|Error/i.test(l)) ?? `exit code ${code}`);
      resolve({ devices: sites * DEVICES_PER_SITE, sites, failed: why, buildEstateMs: 0, newSimulatorMs: 0, events: 0, arrayMs: 0, realTimeMs: 0, realTimeEvents: 0, peakRssMb: { built: 0, realTime: 0, array: 0 } });
    });
  });
}

/** Peak resident set of this process so far, MiB (Linux). */
function peakRssMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function measure(sites: number): SimulatorBenchRow {
  let started = performance.now();
  const estate = buildEstate({ seed: 1, sites });
  const buildEstateMs = performance.now() - started;
  started = performance.now();
  const simulator = new Simulator({ estate, seed: 1 });
  const newSimulatorMs = performance.now() - started;
  const built = peakRssMb();

  started = performance.now();
  let spanned = 0;
  for (let t = AT; t < AT + MINUTE; t += TICK_MS) spanned += simulator.generate(t, t + TICK_MS).length;
  const realTimeMs = performance.now() - started;
  const realTime = peakRssMb();

  started = performance.now();
  const events = simulator.generate(AT, AT + MINUTE).length;
  const arrayMs = performance.now() - started;
  const array = peakRssMb();
  return { devices: sites * DEVICES_PER_SITE, sites, buildEstateMs, newSimulatorMs, events, arrayMs, realTimeMs, realTimeEvents: spanned, peakRssMb: { built, realTime, array } };
}

if (process.argv[1] === SELF) {
  const at = process.argv.indexOf('--measure-sites');
  if (at > 0) process.stdout.write(JSON.stringify(measure(Number(process.argv[at + 1]))));
  else {
    // `node --import tsx bench/simulator.bench.ts [DEVICES…]`
    const devices = process.argv.slice(2).map(Number).filter((n) => n > 0);
    await simulatorBench(devices.length > 0 ? devices : SIMULATOR_BENCH_DEVICES);
  }
}
