// The scale sweep on Kafka: the split deployment as `wardwatch processor`, `wardwatch server` and
// `wardwatch simulate --kafka` processes on the project's broker, over a fresh topic prefix and a SQLite
// store the processor writes and the server reads. The simulator sends a trust of `sites` sites of 80
// devices at real time (with the embedded demo's fault). After a warm-up: each process's CPU from
// /proc as a share of one core (the processor's by thread), their RSS, the processor's checkpointed
// state per device, the status messages it publishes a minute (its /metrics) and how far the server's
// site grid trails real time (wall clock − each site's asOf on /api/sites). The topics are deleted after.
// One simulator process cannot produce a large estate's events at real time (its producer costs ~26 µs
// an event), so the estate is sent by several `simulate --kafka --shard K/N` processes, each its share
// of the sites: one per SIMULATED_DEVICES_PER_PROCESS devices unless told (`simulators`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import kafkajs from 'kafkajs';
import { topicLayout } from '@wardwatch/cli';
import { freePort } from '../tests/helpers/free-port.ts';
import { checkpointedStateBytes, cpuSeconds, GridLag, LARGE_HEAP_FLAG, MAX_RSS_MB, quantile, rssMb, sleep, splitThreads, statusMessagesPublished, stop, threadCpuSeconds, watchedSleep } from './idle.bench.ts';

const root = new URL('../', import.meta.url).pathname;
const cli = join(root, 'packages/cli/src/main.ts');
const BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`];
const PARTITIONS = 12;
const DEVICES_PER_SITE = 80;
/**
 * Devices one simulator process sends at real time with room to spare: 200,000 devices are ~21,000
 * events a second at the simulator's cadence, ~55 % of a core at 26 µs an event (the 100,000-device
 * sweep of 2026-12-01: 26 % of a core at 10,172 events a second).
 */
export const SIMULATED_DEVICES_PER_PROCESS = 200_000;

/** Simulator processes for an estate when not told: enough that none needs more than ~55 % of a core. */
export function simulatorsFor(devices: number): number {
  return Math.max(1, Math.ceil(devices / SIMULATED_DEVICES_PER_PROCESS));
}

/** One process's share over the measured span. */
export interface ProcessFigures {
  cpuShareOfCore: number;
  rssMb: number;
}

export interface KafkaSweepResult {
  devices: number;
  sites: number;
  warmUpS: number;
  measuredS: number;
  pollMs: number;
  loadAverage: { start: number; end: number };
  processor: ProcessFigures & { threadShares: { main: number; processor: number; rest: number } };
  server: ProcessFigures;
  /** The simulator processes together: CPU summed, RSS the sum of their medians. */
  simulator: ProcessFigures & { processes: number };
  stateBytesPerDevice: number;
  statusMessagesPerMinute: number;
  /** Events the simulator sent a second, from the telemetry topic's end offsets over the span. */
  eventsPerSecond: number;
  /** Events the processor had not yet read at the end (the group's lag summed over the partitions). */
  consumerLagEnd: number;
  gridLagP50Ms: number;
  gridLagP99Ms: number;
  sitesResponse: { bytes: number; p50Ms: number; p99Ms: number };
  /** Why the measurement ended before its time (the RSS ceiling), if it did. */
  stoppedEarly?: string;
}

function wardwatch(args: string[], label: string): ChildProcess {
  const child = spawn(process.execPath, [LARGE_HEAP_FLAG, '--import', 'tsx', cli, ...args, '--kafka-brokers', BROKERS.join(','), '--log-level', 'warn'], {
    cwd: root,
    env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && code !== null) console.error(`  kafka sweep: wardwatch ${label} exited with code ${code}`);
    if (signal && signal !== 'SIGTERM') console.error(`  kafka sweep: wardwatch ${label} killed by ${signal}`);
  });
  return child;
}

async function waitFor(url: string, child: ChildProcess, label: string): Promise<void> {
  for (let i = 0; ; i++) {
    if ((await fetch(url).then((r) => r.ok).catch(() => false)) === true) return;
    if (child.exitCode !== null) throw new Error(`kafka sweep: wardwatch ${label} exited with code ${child.exitCode}`);
    if (i > 1500) throw new Error(`kafka sweep: wardwatch ${label} did not answer ${url} within 5 minutes`);
    await sleep(200);
  }
}

/** The offsets a processor group has checkpointed in the store, summed over the topic's partitions. */
function checkpointedOffsets(dbFile: string, group: string, topic: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare('SELECT COALESCE(SUM(CAST("offset" AS INTEGER)), 0) AS n FROM checkpoints WHERE grp = ? AND topic = ?').get(group, topic) as { n: number }).n);
  } finally {
    db.close();
  }
}

export async function kafkaSweep(options: { sites: number; warmUpS: number; measureS: number; pollMs: number; simulators?: number }): Promise<KafkaSweepResult> {
  const { sites, warmUpS, measureS, pollMs } = options;
  const devices = sites * DEVICES_PER_SITE;
  const simulatorCount = Math.min(sites, options.simulators ?? simulatorsFor(devices));
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-sweep-kafka-'));
  const dbFile = join(scratch, 'sweep.db');
  const store = `sqlite:${dbFile}`;
  const prefix = `sweep-${devices}-${Date.now()}`;
  const group = `${prefix}-processor`;
  const topics = topicLayout(prefix);
  const telemetryTopic = topics.telemetry;
  const common = ['--topic-prefix', prefix, '--partitions', String(PARTITIONS)];
  const metricsPort = await freePort();
  const serverPort = await freePort();
  const kafka = new kafkajs.Kafka({ clientId: 'wardwatch-sweep', brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const children: ChildProcess[] = [];
  try {
    // The processor first: it makes the topics.
    const processor = wardwatch(['processor', ...common, '--store', store, '--port', String(metricsPort)], 'processor');
    children.push(processor);
    const metricsBase = `http://127.0.0.1:${metricsPort}`;
    await waitFor(`${metricsBase}/metrics`, processor, 'processor');
    const server = wardwatch(['server', ...common, '--store', store, '--port', String(serverPort)], 'server');
    children.push(server);
    const base = `http://127.0.0.1:${serverPort}`;
    await waitFor(`${base}/healthz`, server, 'server');
    // Each shard at the wall clock (no --from): together they send what one simulator would.
    const simulators = Array.from({ length: simulatorCount }, (_, i) => {
      const shard = simulatorCount > 1 ? ['--shard', `${i + 1}/${simulatorCount}`] : [];
      return wardwatch(['simulate', '--kafka', ...common, '--sites', String(sites), '--scenario', 'site-wan-congested', ...shard], `simulate ${shard[1] ?? ''}`.trim());
    });
    children.push(...simulators);
    const all = [processor, server, ...simulators];
    await watchedSleep(warmUpS * 1000, all.map((c) => c.pid!), 'kafka sweep');
    all.forEach((child, i) => {
      const label = i === 0 ? 'processor' : i === 1 ? 'server' : 'simulate';
      if (child.exitCode !== null) throw new Error(`kafka sweep: wardwatch ${label} exited with code ${child.exitCode} during the warm-up`);
    });

    const endOffsets = async () => (await admin.fetchTopicOffsets(telemetryTopic)).reduce((n, p) => n + Number(p.high), 0);
    const loadStart = loadavg()[0]!;
    const offsets0 = await endOffsets();
    const published0 = await statusMessagesPublished(metricsBase);
    const cpu0 = all.map((c) => cpuSeconds(c.pid!));
    const threads0 = threadCpuSeconds(processor.pid!);
    const t0 = performance.now();
    const grid = new GridLag(base);
    const rss: number[][] = all.map(() => []);
    let stoppedEarly: string | undefined;
    while (performance.now() - t0 < measureS * 1000) {
      const round = performance.now();
      await grid.sample();
      all.forEach((c, i) => rss[i]!.push(rssMb(c.pid!)));
      const largest = Math.max(...rss.map((r) => r.at(-1)!));
      if (largest > MAX_RSS_MB) {
        stoppedEarly = `a process's RSS ${largest.toFixed(0)} MiB past the ${MAX_RSS_MB} MiB ceiling after ${((performance.now() - t0) / 1000).toFixed(0)} s`;
        break;
      }
      await sleep(Math.max(0, pollMs - (performance.now() - round)));
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = all.map((c, i) => (cpuSeconds(c.pid!) - cpu0[i]!) / elapsedS);
    const split = splitThreads(processor.pid!, threads0, threadCpuSeconds(processor.pid!));
    const statusEvents = (await statusMessagesPublished(metricsBase)) - published0;
    const offsets1 = await endOffsets();
    const checkpointed = checkpointedOffsets(dbFile, group, telemetryTopic);
    const loadEnd = loadavg()[0]!;
    const figures = (i: number): ProcessFigures => ({ cpuShareOfCore: cpu[i]!, rssMb: quantile(rss[i]!, 0.5) });
    return {
      devices,
      sites,
      warmUpS,
      measuredS: elapsedS,
      pollMs,
      loadAverage: { start: loadStart, end: loadEnd },
      processor: { ...figures(0), threadShares: { main: split.main / elapsedS, processor: split.processor / elapsedS, rest: split.rest / elapsedS } },
      server: figures(1),
      simulator: {
        cpuShareOfCore: simulators.reduce((sum, _, i) => sum + figures(2 + i).cpuShareOfCore, 0),
        rssMb: simulators.reduce((sum, _, i) => sum + figures(2 + i).rssMb, 0),
        processes: simulators.length,
      },
      stateBytesPerDevice: checkpointedStateBytes(dbFile, group) / devices,
      statusMessagesPerMinute: (statusEvents / elapsedS) * 60,
      eventsPerSecond: (offsets1 - offsets0) / elapsedS,
      // Offsets are checkpointed every few seconds: a lag of a few seconds' events is normal.
      consumerLagEnd: offsets1 - checkpointed,
      gridLagP50Ms: quantile(grid.lags, 0.5),
      gridLagP99Ms: quantile(grid.lags, 0.99),
      sitesResponse: { bytes: grid.bytes, p50Ms: quantile(grid.requestMs, 0.5), p99Ms: quantile(grid.requestMs, 0.99) },
      ...(stoppedEarly ? { stoppedEarly } : {}),
    };
  } finally {
    for (const child of children.reverse()) await stop(child);
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
    await admin.deleteGroups([group]).catch(() => {});
    await admin.disconnect();
    rmSync(scratch, { recursive: true, force: true });
  }
}
