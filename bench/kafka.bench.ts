// The Kafka path, on the project's own broker: produce rate; a raw kafkajs consume-only loop against
// wardwatch's processor (decode, aggregate, rollups to SQLite, statuses to Kafka) over the same
// records in the same run; and freshness from event time to the server's API.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import pg from 'pg';
import Database from 'better-sqlite3';
import type { SiteSummary, TelemetryEvent } from '@wardwatch/schema';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { buildEstate, Simulator } from '@wardwatch/simulator';
import { encodeEvents, PROCESSOR_STATUS_INTERVAL_MS, runProcessor, runServer, topicLayout, topicSpecs, type KafkaArgs } from '@wardwatch/cli';
import { freePort } from '../tests/helpers/free-port.ts';

const script = new URL('../deploy/kafka/kafka.sh', import.meta.url).pathname;
const BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`];
const PARTITIONS = 12;
const FRESHNESS_RUNS = 5;
const silent = pino({ level: 'silent' });

export interface KafkaBenchResult {
  events: number;
  produceRate: number;
  rawConsumeRate: number;
  /** From the processor's first event counted to the checkpoint covering every record. */
  processorRate: number;
  /** CPU seconds the bench process spent (the in-process processor, nearly all of it) per million events. */
  processorCpuPerMillion: number;
  ratio: number;
  /**
   * One `wardwatch processor` process per core in one consumer group over the same records (the way
   * a trust scales out on Kafka): how many, their combined consume-to-store rate into one PostgreSQL,
   * and one such process alone on the same store for comparison.
   */
  perCore: { processes: number; one: Throughput; rate: Throughput; ratio: number } | undefined;
  freshnessP50Ms: number;
  freshnessP99Ms: number;
  freshnessSamples: number;
  /** Each of the freshness runs (30 s each, defaults). */
  freshnessRuns: Array<{ samples: number; p50Ms: number; p99Ms: number }>;
}

function args(command: KafkaArgs['command'], prefix: string, storeUrl: string): KafkaArgs {
  return {
    command, brokers: BROKERS, clientId: `bench-${command}`, topicPrefix: prefix, partitions: PARTITIONS, storeUrl,
    port: 0, host: '127.0.0.1', logLevel: 'silent', speed: 1, scenario: undefined, seed: 1, sites: 20, minutes: undefined, from: undefined,
  };
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`kafka bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;

export async function kafkaBench(targetEvents = 300_000, options: { processes?: number; freshnessRuns?: number } = {}): Promise<KafkaBenchResult> {
  const wasRunning = (() => {
    try {
      execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!wasRunning) execFileSync('bash', [script, 'start'], { stdio: 'inherit' });
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-kafka-bench-'));
  const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
  try {
    // 1. The records: a 2,000-device trust, an hour ago.
    const prefix = `bench-${Date.now()}`;
    const topics = topicLayout(prefix);
    await transport.ensureTopics(topicSpecs(topics, PARTITIONS));
    const simulator = new Simulator({ estate: buildEstate({ seed: 1, sites: 20, wardsPerSite: 10, devicesPerWard: 10 }), seed: 1 });
    const from = Math.floor((Date.now() - 4 * 3_600_000) / 60_000) * 60_000;
    const events: TelemetryEvent[] = [];
    for (let t = from; events.length < targetEvents; t += 60_000) events.push(...simulator.generate(t, t + 60_000));
    events.length = targetEvents;
    const records = encodeEvents(events);
    const producer = transport.producer();
    let t0 = performance.now();
    for (let i = 0; i < records.length; i += 5000) await producer.send(topics.telemetry, records.slice(i, i + 5000));
    const produceRate = records.length / ((performance.now() - t0) / 1000);
    await producer.close();

    // 2. Raw kafkajs: consume and count, nothing else.
    const kafka = new kafkajs.Kafka({ brokers: BROKERS, clientId: 'bench-raw', logLevel: kafkajs.logLevel.NOTHING });
    const raw = kafka.consumer({ groupId: `${prefix}-raw` });
    await raw.connect();
    await raw.subscribe({ topics: [topics.telemetry], fromBeginning: true });
    let counted = 0;
    let firstAt = 0;
    let lastAt = 0;
    await raw.run({
      eachBatch: async ({ batch }) => {
        if (firstAt === 0) firstAt = performance.now();
        counted += batch.messages.length;
        lastAt = performance.now();
      },
    });
    await until(async () => counted >= records.length, 120_000, 'the raw consumer');
    const rawConsumeRate = records.length / ((lastAt - firstAt) / 1000);
    await raw.disconnect();

    // 3. wardwatch's processor over the same topic, from the start: from its first event counted to
    // the checkpoint that covers every record (its rollups and state in the store with the offsets).
    const dbFile = join(scratch, 'bench.db');
    const processor = await runProcessor(args('processor', prefix, `sqlite:${dbFile}`), silent, {}, { idleAdvanceMs: 600_000 });
    t0 = performance.now();
    let started = 0;
    let cpu0 = process.cpuUsage();
    await until(async () => {
      if (started === 0 && (await eventsCounted([processor.url!])) > 0) {
        started = performance.now();
        cpu0 = process.cpuUsage();
      }
      return started > 0 && sqliteCheckpointed(dbFile, topics.telemetry) >= records.length;
    }, 300_000, 'the processor');
    const processorRate = records.length / ((performance.now() - (started || t0)) / 1000);
    const cpu = process.cpuUsage(cpu0);
    const processorCpuPerMillion = (cpu.user + cpu.system) / 1e6 / (records.length / 1e6);
    await processor.stop();

    // 3b. One processor process per core, one consumer group, over the same topic from the start.
    // (The group is the prefix's: each run below takes the records again under a prefix of its own.)
    const processes = options.processes ?? cpus().length;
    let perCore: { processes: number; one: Throughput; rate: Throughput } | undefined;
    if (processes > 1) {
      const one = await processorsPerCore(await copyTopic(transport, records, `${prefix}-one`), 1, records.length);
      const rate = await processorsPerCore(await copyTopic(transport, records, `${prefix}-many`), processes, records.length);
      perCore = { processes, one, rate };
    }

    // 4. Freshness with the defaults (1-minute windows, 30 s watermark lag, statuses every second of
    // real time): live events (event time = now) until the server's figures cover them — five runs.
    const runs: number[][] = [];
    for (let run = 0; run < (options.freshnessRuns ?? FRESHNESS_RUNS); run++) {
      const livePrefix = `${prefix}-live${run}`;
      const liveTopics = topicLayout(livePrefix);
      const liveStore = `sqlite:${join(scratch, `live${run}.db`)}`;
      const liveProcessor = await runProcessor(args('processor', livePrefix, liveStore), silent, {}, { statusIntervalMs: PROCESSOR_STATUS_INTERVAL_MS });
      const server = await runServer(args('server', livePrefix, liveStore), silent, {});
      const liveProducer = transport.producer();
      const liveSim = new Simulator({ estate: buildEstate({ seed: 2, sites: 2, wardsPerSite: 2, devicesPerWard: 5 }), seed: 2, cadenceMs: { app: 2_000 } });
      const samples: number[] = [];
      const pending: number[] = [];
      let last = Date.now();
      // The first minute fills the horizon; then 30 s measured.
      const measureFrom = Date.now() + 20_000;
      const endAt = measureFrom + 30_000;
      // What a tail coincides with: each sample's time in the run and in its minute, and the slowest
      // produce and /api/sites request of the second before it was taken.
      const timed: Array<{ ms: number; atS: number; minuteS: number; sendMs: number; fetchMs: number }> = [];
      const steps: Array<{ at: number; sendMs: number; fetchMs: number }> = [];
      while (Date.now() < endAt) {
        const now = Date.now();
        const batch = liveSim.generate(last, now);
        last = now;
        let sendMs = 0;
        if (batch.length > 0) {
          const sent = performance.now();
          await liveProducer.send(liveTopics.telemetry, encodeEvents(batch));
          sendMs = performance.now() - sent;
          if (now >= measureFrom) pending.push(batch[batch.length - 1]!.ts);
        }
        const fetched = performance.now();
        const sites = (await (await fetch(`${server.url}/api/sites`)).json()) as SiteSummary[];
        steps.push({ at: Date.now(), sendMs, fetchMs: performance.now() - fetched });
        const asOf = Math.min(...sites.map((s) => s.asOf));
        // An event is visible once the status evaluation covering its event time has reached the API.
        while (pending.length > 0 && sites.length > 0 && asOf >= pending[0]!) {
          const ts = pending.shift()!;
          const at = Date.now();
          const before = steps.filter((s) => s.at >= at - Math.max(1000, at - ts));
          timed.push({ ms: at - ts, atS: (at - measureFrom) / 1000, minuteS: (ts % 60_000) / 1000, sendMs: Math.max(0, ...before.map((s) => s.sendMs)), fetchMs: Math.max(0, ...before.map((s) => s.fetchMs)) });
          samples.push(at - ts);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const worst = timed.sort((a, b) => b.ms - a.ms).slice(0, 3);
      console.log(
        `    freshness run ${run + 1}, slowest samples: ${worst.map((w) => `${(w.ms / 1000).toFixed(2)} s at ${w.atS.toFixed(1)} s into the run (event at :${w.minuteS.toFixed(1)} in its minute; slowest produce ${Math.round(w.sendMs)} ms, /api/sites ${Math.round(w.fetchMs)} ms since the event)`).join('; ')}`,
      );
      await liveProducer.close();
      await server.stop();
      await liveProcessor.stop();
      runs.push(samples.sort((a, b) => a - b));
    }
    const samples = runs.flat();
    samples.sort((a, b) => a - b);
    return {
      events: records.length,
      produceRate,
      rawConsumeRate,
      processorRate,
      processorCpuPerMillion,
      ratio: processorRate / rawConsumeRate,
      perCore: perCore && { ...perCore, ratio: perCore.rate.eventsPerSecond / rawConsumeRate },
      freshnessP50Ms: samples.length ? quantile(samples, 0.5) : NaN,
      freshnessP99Ms: samples.length ? quantile(samples, 0.99) : NaN,
      freshnessSamples: samples.length,
      freshnessRuns: runs.map((r) => ({ samples: r.length, p50Ms: r.length ? quantile(r, 0.5) : NaN, p99Ms: r.length ? quantile(r, 0.99) : NaN })),
    };
  } finally {
    await transport.close();
    rmSync(scratch, { recursive: true, force: true });
    if (!wasRunning) execFileSync('bash', [script, 'stop'], { stdio: 'ignore' });
  }
}

const cli = new URL('../packages/cli/bin/wardwatch.mjs', import.meta.url).pathname;
const POSTGRES = process.env.WARDWATCH_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Events the processors at these URLs have counted (their /metrics), summed; 0 for one not answering yet. */
async function eventsCounted(urls: string[]): Promise<number> {
  let sum = 0;
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text()).catch(() => '');
    sum += Number(/wardwatch_events_in_total\{source="kafka"\} (\d+)/.exec(text)?.[1] ?? 0);
  }
  return sum;
}

/** The offsets checkpointed in a SQLite store for a topic, summed over its partitions (0 before any). */
function sqliteCheckpointed(dbFile: string, topic: string): number {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return Number((db.prepare('SELECT COALESCE(SUM(CAST("offset" AS INTEGER)), 0) AS n FROM checkpoints WHERE topic = ?').get(topic) as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {
    return 0; // not made yet
  }
}

/** Events a second, and the processes' CPU seconds per million events over the same span. */
export interface Throughput {
  eventsPerSecond: number;
  cpuSecondsPerMillion: number;
}

/** User + system CPU seconds of a process, from /proc. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `processes` processors as separate processes (the built CLI, as deployed), one consumer group,
 * one PostgreSQL store (a schema of their own): the rate from the first event any of them counted to
 * the checkpoint that covers every record. Progress is read from the stored checkpoints, not the
 * processes' counters: a partition that moves in a rebalance is read again from its last
 * checkpoint, which a counter would count twice.
 */
async function processorsPerCore(prefix: string, processes: number, total: number): Promise<Throughput> {
  const schema = `bench_${prefix.replace(/\W/g, '_')}_${processes}`;
  const db = new pg.Client({ connectionString: POSTGRES });
  await db.connect();
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      const store = `${POSTGRES}?schema=${schema}`;
      const port = await freePort();
      urls.push(`http://127.0.0.1:${port}`);
      // With the young generation they are deployed with (deploy/compose.yaml, deploy/kubernetes).
      children.push(spawn(process.execPath, ['--max-semi-space-size=64', cli, 'processor', '--kafka-brokers', BROKERS.join(','), '--topic-prefix', prefix, '--partitions', String(PARTITIONS), '--store', store, '--port', String(port), '--log-level', 'warn', '--client-id', `bench-${processes}-${i}`], { stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    const stored = async () => {
      try {
        const { rows } = await db.query<{ n: string | null }>(`SELECT sum("offset"::bigint) AS n FROM ${schema}.checkpoints WHERE topic = $1`, [topicLayout(prefix).telemetry]);
        return Number(rows[0]?.n ?? 0);
      } catch {
        return 0; // the schema is not there yet
      }
    };
    let started = 0;
    let cpu0 = 0;
    const cpuNow = () => children.reduce((sum, child) => sum + processCpuSeconds(child.pid!), 0);
    await until(async () => {
      if (started === 0 && (await eventsCounted(urls)) > 0) {
        started = performance.now();
        cpu0 = cpuNow();
      }
      return started > 0 && (await stored()) >= total;
    }, 300_000, `${processes} processors`);
    return { eventsPerSecond: total / ((performance.now() - started) / 1000), cpuSecondsPerMillion: (cpuNow() - cpu0) / (total / 1e6) };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.end();
  }
}

/** The same records on a new prefix's telemetry topic (a consumer group per prefix starts afresh). */
async function copyTopic(transport: KafkaTransport, records: ReturnType<typeof encodeEvents>, prefix: string): Promise<string> {
  await transport.ensureTopics(topicSpecs(topicLayout(prefix), PARTITIONS));
  const producer = transport.producer();
  for (let i = 0; i < records.length; i += 5000) await producer.send(topicLayout(prefix).telemetry, records.slice(i, i + 5000));
  await producer.close();
  return prefix;
}
