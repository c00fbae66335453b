// Fuzz benchmark: a stranger and a sloppy client against a running wardwatch while its simulated
// trust runs. Mutated events (fast-check) — skewed and absurd timestamps, absurd sequence numbers,
// deep nesting, huge strings, unknown and hostile site ids, wrong types, replayed duplicates, broken
// JSON, skewed or garbage `Wardwatch-Sent-At` headers — go through POST /api/ingest of `wardwatch
// start` (embedded) and, on Kafka, through a `wardwatch server`'s ingest and straight onto the
// telemetry topic. A control of the same seed runs beside it, untouched, at the same time. Measured:
// answers by status class (no 5xx allowed), /healthz latency throughout, the fuzzed processes' RSS,
// and whether the simulated trust's stored figures (every 1-minute rollup of its scopes) are identical
// to the control's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../tests/helpers/free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import kafkajs from 'kafkajs';
import { openStore, type RollupRecord } from '@wardwatch/store';
import { buildEstate, mulberry32, Simulator } from '@wardwatch/simulator';
import { topicName, type TelemetryEvent } from '@wardwatch/schema';

const root = new URL('../', import.meta.url).pathname;
const cli = join(root, 'packages/cli/src/main.ts');
const BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`];
const SEED = 11;
const SITES = 6;
const BATCH = 500;
const CONCURRENCY = 4;
/** The trust runs this long before the fuzz starts: its replays (events 2–3 minutes old) then exist. */
const WARM_UP_MS = 150_000;

export interface FuzzPhaseResult {
  label: string;
  /** Mutated events sent, by path. */
  sent: Record<string, number>;
  /** HTTP answers by status code. */
  answers: Record<string, number>;
  fiveXx: number;
  healthSamples: number;
  healthP50Ms: number;
  healthP99Ms: number;
  healthMaxMs: number;
  healthFailures: Record<string, number>;
  rssStartMb: number;
  rssMaxMb: number;
  rssEndMb: number;
  fuzzSeconds: number;
  /** Rollups of the simulated trust compared with the control's. */
  compared: { minutes: number; rows: number; different: number; missing: number; extra: number; example?: string; examples: string[]; byMetric: Record<string, number> };
  /** The fuzzed processor's counters (Kafka phase). */
  counters?: Record<string, number>;
}

// ---- the mutations ----

interface FuzzContext {
  /** The clock the mutations are relative to. */
  now: number;
  /** The trust's own recent events, replayed verbatim as duplicates. */
  recent: TelemetryEvent[];
}

/** Sites of a second trust that the register knows: valid fuzzed events go there. */
export const FUZZ_SITES = Array.from({ length: 20 }, (_, i) => `FZ${String(i).padStart(3, '0')}`);
const FUZZ_DEVICES = 10_000;

const NASTY_IDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '..', '/', 'a'.repeat(128)];

function baseEvent(kind: number, site: string, device: string, ts: number, seq: number): Record<string, unknown> {
  const envelope = { v: 1, id: `fz-${device}-${seq}`.slice(0, 64), seq, ts, trust: 'FUZZ', site, ward: `${site}-W1`, device };
  switch (kind % 4) {
    case 0:
      return { ...envelope, kind: 'app', body: { app: 'epr', ok: true, totalMs: 5000, dnsMs: 900 } };
    case 1:
      return { ...envelope, kind: 'logon', body: { totalMs: 200_000, ok: false } };
    case 2:
      return { ...envelope, kind: 'wifi', body: { connected: true, signalDbm: -90, bssid: '3c:a8:2a:ff:ff:ff' } };
    default:
      return { ...envelope, kind: 'health', body: { cpuPct: 100, memPct: 100, diskFreePct: 0, uptimeS: 60 } };
  }
}

/** Builds one NDJSON line at send time (timestamps follow the clock; duplicates replay what was just sent). */
type LineMaker = (ctx: FuzzContext) => string;

/** The mutations, one NDJSON line each; the arbitrary builds the raw line so that hostile shapes survive. */
function lineArbitrary(sites: string[]): fc.Arbitrary<LineMaker> {
  // Registered fuzz sites reach the processor (sharing partitions with the trust's sites); unknown
  // ones are refused at the gateway, and on the topic are invented by the processor.
  const unknownSite = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...FUZZ_SITES) },
    { weight: 1, arbitrary: fc.oneof(fc.stringMatching(/^[A-Z]{2}[0-9]{3}$/), fc.constantFrom(...NASTY_IDS.slice(0, 5))) },
  );
  const device = fc.nat(FUZZ_DEVICES - 1).map((n) => `fz${n}`);
  const trustSite = fc.constantFrom(...sites);
  const kind = fc.nat(3);
  const seq = fc.nat(1_000_000);
  const skew = fc.integer({ min: -10 * 60_000, max: 10 * 60_000 });
  const absurdTs = fc.oneof(
    fc.constantFrom(8.64e15 + 1, 1e300, -1, 0, Number.MAX_SAFE_INTEGER, 4_102_444_800_000, 946_684_799_999),
    fc.double({ noNaN: true }),
    fc.constantFrom('"2026-11-30T12:00:00Z"', 'null', '"NaN"', '1e999'),
  );
  const absurdSeq = fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 2 ** 53, -1, 1.5, 1e308);
  const fixed = (line: string): LineMaker => () => line;
  return fc.oneof(
    // Valid events from devices that do not exist, at sites that do not exist, clocks skewed.
    { weight: 25, arbitrary: fc.tuple(kind, unknownSite, device, skew, seq).map(([k, s, d, off, q]): LineMaker => (ctx) => JSON.stringify(baseEvent(k, s, d, ctx.now + off, q))) },
    // Valid shapes with a sequence number that could blind a device (unknown sites).
    { weight: 10, arbitrary: fc.tuple(kind, unknownSite, device, absurdSeq).map(([k, s, d, q]): LineMaker => (ctx) => JSON.stringify(baseEvent(k, s, d, ctx.now, q))) },
    // Absurd timestamps, claiming the trust's own sites (must be refused, never counted).
    { weight: 15, arbitrary: fc.tuple(kind, trustSite, device, absurdTs).map(([k, s, d, ts]) => fixed(JSON.stringify(baseEvent(k, s, d, 0, 1)).replace('"ts":0', `"ts":${ts}`))) },
    // Deep nesting, as a body and as a bare value.
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 100, max: 12_000 }), trustSite).map(([depth, s]) => fixed(JSON.stringify(baseEvent(0, s, 'fz1', 1_790_000_000_000, 1)).replace(/"body":\{.*\}\}$/, `"body":${'['.repeat(depth)}${']'.repeat(depth)}}`))) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((depth) => fixed('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))) },
    // Huge strings.
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 10_000, max: 200_000 }), trustSite).map(([size, s]) => fixed(JSON.stringify({ ...baseEvent(0, s, 'fz1', 1_790_000_000_000, 1), device: 'x'.repeat(size) }))) },
    // Wrong types and extra fields on otherwise real-looking events (some land valid: at fuzz sites).
    { weight: 10, arbitrary: fc.tuple(kind, unknownSite, fc.constantFrom('seq', 'ts', 'v', 'kind', 'body', 'site', 'device', 'id'), fc.jsonValue({ maxDepth: 3 })).map(([k, s, field, value]): LineMaker => (ctx) => JSON.stringify({ ...baseEvent(k, s, 'fz1', ctx.now, 1), [field]: value })) },
    { weight: 3, arbitrary: fc.tuple(kind, trustSite).map(([k, s]): LineMaker => (ctx) => JSON.stringify({ ...baseEvent(k, s, 'fz1', ctx.now, 1), __proto__x: 1 }).replace('"__proto__x"', '"__proto__"')) },
    // Broken JSON and arbitrary JSON values.
    { weight: 6, arbitrary: fc.string({ maxLength: 200 }).map((s) => fixed(s.replace(/\n/g, ' '))) },
    { weight: 6, arbitrary: fc.json({ maxDepth: 4 }).map(fixed) },
    { weight: 4, arbitrary: fc.tuple(kind, trustSite, fc.nat(60)).map(([k, s, cut]) => fixed(JSON.stringify(baseEvent(k, s, 'fz1', 1_790_000_000_000, 1)).slice(0, cut))) },
    // The trust's own recent events, replayed verbatim: duplicates, to be dropped.
    { weight: 12, arbitrary: fc.nat(1_000_000).map((i): LineMaker => (ctx) => (ctx.recent.length > 0 ? JSON.stringify(ctx.recent[i % ctx.recent.length]) : '')) },
  );
}

const SENT_AT = fc.oneof(
  { weight: 3, arbitrary: fc.constant<number | string | undefined>(undefined) },
  { weight: 4, arbitrary: fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }) },
  { weight: 1, arbitrary: fc.constantFrom<number | string>('yesterday', '1e400', '-5', '', 'NaN', String(8.64e15 + 1)) },
);

/**
 * Mutated batches, deterministic from the seed. fast-check draws a pool of mutations once (drawing
 * costs ~100 µs a value, too much to do per event beside the server under test); batches then pick
 * from the pool with a seeded PRNG and build their lines against the clock at send time.
 */
export class FuzzSource {
  private readonly pool: LineMaker[];
  private readonly headers: Array<number | string | undefined>;
  private readonly random: () => number;

  constructor(sites: string[], seed: number, poolSize = 20_000) {
    this.pool = fc.sample(lineArbitrary(sites), { numRuns: poolSize, seed });
    this.headers = fc.sample(SENT_AT, { numRuns: 1000, seed: seed ^ 0x5bd1e995 });
    this.random = mulberry32(seed);
  }

  batch(ctx: FuzzContext, size = BATCH): { lines: string[]; sentAt: string | undefined } {
    const lines: string[] = [];
    for (let i = 0; i < size; i++) {
      const line = this.pool[Math.floor(this.random() * this.pool.length)]!(ctx);
      lines.push(line === '' ? '{}' : line);
    }
    const skew = this.headers[Math.floor(this.random() * this.headers.length)];
    const sentAt = skew === undefined ? undefined : typeof skew === 'number' ? String(ctx.now + skew) : skew;
    return { lines, sentAt };
  }
}

// ---- the estate register both runs are given ----

/** The simulated trust's sites and devices, and the fuzz trust's, as the CSV register `--estate` reads. */
function writeRegister(dir: string): string {
  const estate = buildEstate({ seed: SEED, sites: SITES });
  const rows = ['trust,site,device'];
  for (const site of estate.sites) for (const ward of site.wards) for (const d of ward.devices) rows.push(`${estate.trust.id},${site.id},${d.id}`);
  for (let i = 0; i < FUZZ_DEVICES; i++) rows.push(`FUZZ,${FUZZ_SITES[i % FUZZ_SITES.length]},fz${i}`);
  const file = join(dir, 'estate.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

// ---- processes and probes ----

function wardwatch(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: root,
    env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`fuzz bench: timed out waiting for ${what}`);
    await sleep(200);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** Samples /healthz every 50 ms and the processes' RSS every 500 ms until stopped. */
function startProbes(healthUrl: string, pids: number[]) {
  const latencies: number[] = [];
  const rss: number[] = [];
  const failures: Record<string, number> = {};
  let running = true;
  const health = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const response = await fetch(healthUrl, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (!response.ok) failures[response.status] = (failures[response.status] ?? 0) + 1;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        failures[cause] = (failures[cause] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
      await sleep(50);
    }
  })();
  const memory = setInterval(() => rss.push(pids.reduce((sum, pid) => sum + rssMb(pid), 0)), 500);
  return {
    async stop() {
      running = false;
      clearInterval(memory);
      await health;
      latencies.sort((a, b) => a - b);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * (latencies.length - 1)))] ?? NaN;
      return { latencies, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] ?? NaN, failures, rss };
    },
  };
}

/**
 * The trust's events of a minute that ended two minutes ago, as the simulator made them (same seed,
 * same estate): long enough ago that the originals have certainly been sent, so a replay (whose batch
 * may carry a forged sent-at header that moves its time) is judged against them and not counted first.
 * Only events from after `since`, when the trust began sending: an "original" from before then was
 * never sent, so its replay would be a new event — counted, rightly, and unlike the control.
 */
function recentTrustEvents(simulator: Simulator, now: number, since: number): TelemetryEvent[] {
  const from = Math.max(now - 180_000, since);
  return from < now - 120_000 ? simulator.generate(from, now - 120_000) : [];
}

async function postBatch(url: string, batch: { lines: string[]; sentAt: string | undefined }, answers: Record<string, number>): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (batch.sentAt !== undefined) headers['wardwatch-sent-at'] = batch.sentAt;
  try {
    const response = await fetch(url, { method: 'POST', body: batch.lines.join('\n'), headers, signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
    answers[response.status] = (answers[response.status] ?? 0) + 1;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const key = `error: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
    answers[key] = (answers[key] ?? 0) + 1;
  }
}

/** Sends `total` mutated events to the ingest at `url`, CONCURRENCY batches in flight. */
async function fuzzIngest(url: string, total: number, simulator: Simulator, trustSince: number, source: FuzzSource, answers: Record<string, number>): Promise<number> {
  let sent = 0;
  let recent: TelemetryEvent[] = [];
  let recentAt = 0;
  const worker = async () => {
    while (sent < total) {
      const now = Date.now();
      if (now - recentAt > 5_000) {
        recent = recentTrustEvents(simulator, now, trustSince);
        recentAt = now;
      }
      const batch = source.batch({ now, recent }, Math.min(BATCH, total - sent));
      sent += batch.lines.length;
      await postBatch(url, batch, answers);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return sent;
}

/** Sends `total` mutated records straight onto a telemetry topic, with skewed `wardwatch-sent-at` headers. */
async function fuzzTopic(topic: string, total: number, simulator: Simulator, trustSince: number, sites: string[], source: FuzzSource): Promise<number> {
  const kafka = new kafkajs.Kafka({ brokers: BROKERS, clientId: 'wardwatch-fuzz', logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let sent = 0;
  let recent: TelemetryEvent[] = [];
  try {
    for (let i = 0; sent < total; i++) {
      const now = Date.now();
      if (i % 10 === 0) recent = recentTrustEvents(simulator, now, trustSince);
      const batch = source.batch({ now, recent }, Math.min(2_000, total - sent));
      const messages = batch.lines.map((line, j) => ({
        // Keyed by the site the record names, as every producer keys them (so a replay queues behind
        // its original on the same partition); some garbage keys too.
        key: j % 7 === 0 ? null : (/"site":"([^"]{1,128})"/.exec(line)?.[1] ?? sites[j % sites.length] ?? 'x'),
        value: line,
        headers: batch.sentAt === undefined ? undefined : { 'wardwatch-sent-at': batch.sentAt },
      }));
      await producer.send({ topic, messages, compression: kafkajs.CompressionTypes.GZIP });
      sent += messages.length;
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}

// ---- comparing the trust's figures ----

async function trustRollups(storeUrl: string, scopes: string[], from: number, to: number): Promise<Map<string, RollupRecord>> {
  const store = await openStore(storeUrl);
  try {
    const rows = new Map<string, RollupRecord>();
    for (const scope of scopes) {
      for (const r of await store.query({ scope, resolution: '1m', from, to })) rows.set(`${r.scope}|${r.metric}|${r.start}`, r);
    }
    return rows;
  } finally {
    await store.close();
  }
}

/**
 * Waits until both stores hold the trust's last compared minute for every site: the processor has
 * caught up with the fuzz and closed that window (a loaded machine may take minutes).
 */
async function caughtUp(storeUrls: string[], lastMinute: number, timeoutMs = 15 * 60_000): Promise<void> {
  const sites = buildEstate({ seed: SEED, sites: SITES }).sites.map((s) => s.id);
  await until(async () => {
    for (const url of storeUrls) {
      const store = await openStore(url);
      try {
        for (const site of sites) {
          const rows = await store.query({ scope: `site:${site}`, metric: 'app.totalMs', resolution: '1m', from: lastMinute, to: lastMinute + 60_000, countsOnly: true });
          if (rows.length === 0) return false;
        }
      } finally {
        await store.close();
      }
    }
    return true;
  }, timeoutMs, 'both processors to close the last compared minute');
}

function trustScopePatterns(sites: string[]): string[] {
  // Every scope the simulated trust's events touch, by the prefixes the processor keys them with.
  const estate = buildEstate({ seed: SEED, sites: SITES });
  const patterns = new Set<string>();
  for (const site of estate.sites) {
    patterns.add(`site:${site.id}`);
    patterns.add(`ward:${site.id}/*`);
    patterns.add(`siteapp:${site.id}/*`);
    for (const ward of site.wards) {
      for (const ap of ward.accessPoints) patterns.add(`ap:${ap}`);
      for (const d of ward.devices) patterns.add(`device:${d.id}`);
    }
  }
  void sites;
  return [...patterns];
}

async function compareTrust(controlStore: string, targetStore: string, from: number, to: number): Promise<FuzzPhaseResult['compared']> {
  const scopes = trustScopePatterns([]);
  const control = await trustRollups(controlStore, scopes, from, to);
  const target = await trustRollups(targetStore, scopes, from, to);
  let different = 0;
  let missing = 0;
  const examples: string[] = [];
  // Differences by scope kind and metric (e.g. "site app.dnsMs"): where to look first.
  const byMetric: Record<string, number> = {};
  const note = (key: string, text: string) => {
    const [scope = '', metric = ''] = key.split('|');
    const label = `${scope.split(':')[0]} ${metric}`;
    byMetric[label] = (byMetric[label] ?? 0) + 1;
    if (examples.length < 12) examples.push(text);
  };
  for (const [key, c] of control) {
    const t = target.get(key);
    if (!t) {
      missing++;
      note(key, `missing ${key} (${new Date(c.start).toISOString()}, control ${c.count})`);
      continue;
    }
    const same = c.count === t.count && c.valid === t.valid && c.good === t.good && c.fast === t.fast && Buffer.from(c.sketch).equals(Buffer.from(t.sketch));
    if (!same) {
      different++;
      note(key, `${key} (${new Date(c.start).toISOString()}): control ${c.count}/${c.valid}/${c.good}/${c.fast}, fuzzed ${t.count}/${t.valid}/${t.good}/${t.fast}`);
    }
  }
  let extra = 0;
  for (const [key, t] of target) {
    if (control.has(key)) continue;
    extra++;
    note(key, `extra ${key} (${new Date(t.start).toISOString()}, fuzzed ${t.count})`);
  }
  return { minutes: Math.round((to - from) / 60_000), rows: control.size, different, missing, extra, ...(examples[0] ? { example: examples[0] } : {}), examples, byMetric };
}

const minuteCeil = (t: number) => Math.ceil(t / 60_000) * 60_000;
const minuteFloor = (t: number) => Math.floor(t / 60_000) * 60_000;

function summarise(label: string, sent: Record<string, number>, answers: Record<string, number>, probe: Awaited<ReturnType<ReturnType<typeof startProbes>['stop']>>, fuzzSeconds: number, compared: FuzzPhaseResult['compared']): FuzzPhaseResult {
  const fiveXx = Object.entries(answers).filter(([code]) => /^5\d\d$/.test(code)).reduce((n, [, c]) => n + c, 0);
  return {
    label,
    sent,
    answers,
    fiveXx,
    healthSamples: probe.latencies.length,
    healthP50Ms: probe.p50,
    healthP99Ms: probe.p99,
    healthMaxMs: probe.max,
    healthFailures: probe.failures,
    rssStartMb: probe.rss[0] ?? NaN,
    rssMaxMb: Math.max(...probe.rss),
    rssEndMb: probe.rss[probe.rss.length - 1] ?? NaN,
    fuzzSeconds,
    compared,
  };
}

/** Waits until a processor has read its telemetry topic to the end (lag 0 on every partition, twice). */
async function drained(metricsUrl: string, timeoutMs = 10 * 60_000): Promise<void> {
  let quiet = 0;
  await until(async () => {
    const text = await (await fetch(metricsUrl)).text();
    const lags = [...text.matchAll(/^wardwatch_consumer_lag_records\{[^}]*topic="[^"]*telemetry[^"]*"[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
    quiet = lags.length > 0 && lags.every((n) => n === 0) ? quiet + 1 : 0;
    return quiet >= 2;
  }, timeoutMs, 'the processor to read its topic to the end');
}

/** What the fuzzed processor did with what it read: its counters from /metrics. */
function processorCounters(text: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const m of text.matchAll(/^wardwatch_(events_(?:in|late|corrected|too_late|duplicate)_total|device_seq_resets_total|events_rejected_total)(\{[^}]*\})? (\d+)/gm)) {
    counters[`${m[1]}${m[2] ?? ''}`] = Number(m[3]);
  }
  return counters;
}

// ---- the two phases ----

/** Embedded: `wardwatch start` fuzzed through POST /api/ingest, a control `wardwatch start` beside it. */
export async function fuzzEmbedded(total: number): Promise<FuzzPhaseResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-fuzz-'));
  const simulator = new Simulator({ estate: buildEstate({ seed: SEED, sites: SITES }), seed: SEED });
  const sites = simulator.estate.sites.map((s) => s.id);
  const [controlPort, targetPort] = [await freePort(), await freePort()];
  const register = writeRegister(scratch);
  const common = ['start', '--seed', String(SEED), '--sites', String(SITES), '--speed', '1', '--backfill-hours', '0', '--history-months', '0', '--scenario', 'none', '--estate', register, '--log-level', 'warn'];
  const stores = { control: `sqlite:${join(scratch, 'control.db')}`, target: `sqlite:${join(scratch, 'target.db')}` };
  const control = wardwatch([...common, '--port', String(controlPort), '--store', stores.control]);
  const target = wardwatch([...common, '--port', String(targetPort), '--store', stores.target]);
  try {
    const base = (port: number) => `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base(controlPort)}/healthz`)).ok, 120_000, 'the control to start');
    await until(async () => (await fetch(`${base(targetPort)}/healthz`)).ok, 120_000, 'the fuzzed server to start');
    const startedAt = Date.now();
    // The trust's traffic first, long enough that replays of it (events two minutes old) exist.
    while (Date.now() < startedAt + WARM_UP_MS) await sleep(1000);
    const probes = startProbes(`${base(targetPort)}/healthz`, [target.pid!]);
    const answers: Record<string, number> = {};
    const t0 = performance.now();
    const sent = await fuzzIngest(`${base(targetPort)}/api/ingest`, total, simulator, startedAt, new FuzzSource(sites, 1), answers);
    const fuzzSeconds = (performance.now() - t0) / 1000;
    // At least five minutes of the trust's telemetry, then the watermark and lateness to close them.
    const compareTo = minuteFloor(Math.max(Date.now(), startedAt + WARM_UP_MS + 6 * 60_000));
    while (Date.now() < compareTo + 100_000) await sleep(1000);
    await caughtUp([stores.control, stores.target], compareTo - 60_000);
    const probe = await probes.stop();
    await Promise.all([stopChild(control), stopChild(target)]);
    const compared = await compareTrust(stores.control, stores.target, minuteCeil(startedAt) + 60_000, compareTo);
    return summarise('embedded (wardwatch start, POST /api/ingest)', { ingest: sent }, answers, probe, fuzzSeconds, compared);
  } finally {
    await Promise.all([stopChild(control), stopChild(target)]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Kafka: a fuzzed processor + server pair and a control pair, each fed by its own `simulate --kafka` from the same start. */
export async function fuzzKafka(total: number): Promise<FuzzPhaseResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-fuzz-kafka-'));
  const simulator = new Simulator({ estate: buildEstate({ seed: SEED, sites: SITES }), seed: SEED });
  const sites = simulator.estate.sites.map((s) => s.id);
  const run = `fuzz-${Date.now()}`;
  const children: ChildProcess[] = [];
  const env = { KAFKA_BROKERS: BROKERS.join(',') };
  const register = writeRegister(scratch);
  const pair = async (name: string) => {
    const prefix = `${run}-${name}`;
    const store = `sqlite:${join(scratch, `${name}.db`)}`;
    const [serverPort, metricsPort] = [await freePort(), await freePort()];
    const processor = wardwatch(['processor', '--topic-prefix', prefix, '--store', store, '--port', String(metricsPort), '--log-level', 'warn'], env);
    children.push(processor);
    await until(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok, 120_000, `the ${name} processor`);
    const server = wardwatch(['server', '--topic-prefix', prefix, '--store', store, '--port', String(serverPort), '--estate', register, '--log-level', 'warn'], env);
    children.push(server);
    await until(async () => (await fetch(`http://127.0.0.1:${serverPort}/healthz`)).ok, 120_000, `the ${name} server`);
    return { prefix, store, processor, server, url: `http://127.0.0.1:${serverPort}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  };
  try {
    const control = await pair('control');
    const target = await pair('target');
    const startAt = minuteCeil(Date.now()) + 5_000;
    const from = new Date(startAt).toISOString();
    for (const p of [control, target]) {
      children.push(wardwatch(['simulate', '--kafka', '--topic-prefix', p.prefix, '--seed', String(SEED), '--sites', String(SITES), '--speed', '1', '--scenario', 'none', '--from', from, '--log-level', 'warn'], env));
    }
    while (Date.now() < startAt + WARM_UP_MS) await sleep(500);
    const probes = startProbes(`${target.url}/healthz`, [target.server.pid!, target.processor.pid!]);
    const answers: Record<string, number> = {};
    const t0 = performance.now();
    const [viaIngest, viaTopic] = await Promise.all([
      fuzzIngest(`${target.url}/api/ingest`, Math.round(total / 4), simulator, startAt, new FuzzSource(sites, 2), answers),
      fuzzTopic(topicName('telemetry', target.prefix), total, simulator, startAt, sites, new FuzzSource(sites, 3)),
    ]);
    const fuzzSeconds = (performance.now() - t0) / 1000;
    const compareTo = minuteFloor(Math.max(Date.now(), startAt + WARM_UP_MS + 6 * 60_000));
    while (Date.now() < compareTo + 100_000) await sleep(1000);
    await caughtUp([control.store, target.store], compareTo - 60_000);
    // The last minute's row is not the whole story on Kafka: late records may still wait in the log.
    await Promise.all([drained(control.metricsUrl), drained(target.metricsUrl)]);
    const counters = processorCounters(await (await fetch(target.metricsUrl)).text());
    const probe = await probes.stop();
    await Promise.all(children.map(stopChild));
    const compared = await compareTrust(control.store, target.store, startAt - 5_000 + 60_000, compareTo);
    return { ...summarise('Kafka (wardwatch processor + server; ingest and raw records on the topic)', { ingest: viaIngest, topic: viaTopic }, answers, probe, fuzzSeconds, compared), counters };
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(scratch, { recursive: true, force: true });
  }
}
