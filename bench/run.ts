// `npm run bench`: runs the benchmarks and prints their figures. `--only NAME` runs one.
// The agent bench takes `--agent-duration SECONDS` (default 70), `--agent-flags "FLAGS"` (one run
// with those Node flags instead of the usual comparison) and `--agent-exe PATH` (measure a single
// executable from `node packages/agent/build.mjs --sea` instead; flags then go in NODE_OPTIONS).
// `--only dashboard-compare --compare-dir DIR` sets another dashboard build's dist/ beside this one
// (`--compare-rounds N`, default 7). `--only sketch` takes `--sketch-ms MS` (CPU time per timing and round, default 300).
// `--only processor` and `--only processor-digest` take `--processor-events N` (default 1,000,000 and 400,000).
// `--only idle` takes `--idle-threads N` (the demo's --processor-threads; default its own) and `--idle-history-months N`
// (the demo's --history-months, default 0: a fresh store; with history, warm up past its write, `--idle-warm-up 180`).
// `--only idle-compare` runs demos side by side: `--idle-compare-dir DIR`, `--idle-compare-flags "FLAGS"`, `--idle-compare-self`.
// `--only first-start` takes `--first-start-seconds S` (default 30).
// `--only placement` takes `--placement-sites N` (default 12), `--placement-warm-up S` (120) and `--placement-seconds S` (240).
// `--only processor-threads` takes `--threads N` (default the cores), `--threads-sites N` (300) and `--threads-minutes N` (5).
// `--only ingest-routes` takes `--ingest-events N` (default 200,000).
// `--only processor-rest` takes `--rest-warm-minutes N` and `--rest-minutes N` (simulated; default 3 and 10).
import { execSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { agentBench, AGENT_FLAG_VARIANTS, bundleBytes } from './agent.bench.ts';
import { attributionBench } from './attribution.bench.ts';
import { correctionsBench } from './corrections.bench.ts';
import { dashboardBench, dashboardCompare, median } from './dashboard.bench.ts';
import { demoHistoryBench } from './demo-history.bench.ts';
import { evidenceBench } from './evidence.bench.ts';
import { fuzzEmbedded, fuzzKafka, type FuzzPhaseResult } from './fuzz.bench.ts';
import { idleBench, idleSideBySide, type IdleDemo } from './idle.bench.ts';
import { ingestRoutesBench } from './ingest-routes.bench.ts';
import { kafkaSweep } from './sweep-kafka.bench.ts';
import { simulatorBench } from './simulator.bench.ts';
import { sketchBench } from './sketch.bench.ts';
import { describeMachine, referenceParseRate } from './machine.ts';
import { kafkaBench } from './kafka.bench.ts';
import { processorBench } from './processor.bench.ts';
import { DIGEST_CASES, processorDigest } from './processor-digest.ts';
import { processorLines } from './processor.bench.ts';
import { processorRestBench } from './processor-rest.bench.ts';
import { processorThreadsBench } from './processor-threads.bench.ts';
import { placementBench } from './placement.bench.ts';
import { firstStartBench } from './first-start.bench.ts';
import { streamsBench } from './streams.bench.ts';
import { statusDecodeBench } from './status-decode.bench.ts';

function printEstate(r: Awaited<ReturnType<typeof idleBench>>): void {
  const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
  console.log(`embedded at real time: wardwatch start, ${r.sites} sites, ${r.devices.toLocaleString('en-GB')} devices, ${r.historyMonths > 0 ? `${r.historyMonths} month${r.historyMonths === 1 ? '' : 's'} of history` : 'no history'}; after ${r.warmUpS} s, over ${r.measuredS.toFixed(0)} s`);
  console.log(`  command:              npm start's: node ${r.nodeFlags.join(' ')} (its flags), the built wardwatch, start --demo`);
  console.log(`  load average:         ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)}`);
  const { main, processor, rest } = r.threadShares;
  // With the processor on the main thread, the busiest other thread is not it.
  const threads = r.processorThreads === 0 ? `main ${pct(main)}, the processor on it; other threads ${pct(processor + rest)}` : `main ${pct(main)}, processor thread ${pct(processor)}, rest ${pct(rest)}`;
  console.log(`  CPU:                  ${pct(r.cpuShareOfCore)} of one core (${threads})`);
  console.log(`  RSS (median):         ${r.rssMb.toFixed(0)} MiB`);
  console.log(`  processor state:      ${r.stateBytesPerDevice.toFixed(0)} bytes per device (checkpointed snapshots)`);
  console.log(`  status messages:      ${r.statusMessagesPerMinute.toFixed(0)} a minute`);
  console.log(`  site grid behind real time: p50 ${(r.gridLagP50Ms / 1000).toFixed(2)} s, p99 ${(r.gridLagP99Ms / 1000).toFixed(2)} s (/api/sites read every ${r.pollMs} ms: ${(r.sitesResponse.bytes / 1024).toFixed(0)} kB, answered in p50 ${r.sitesResponse.p50Ms.toFixed(0)} ms, p99 ${r.sitesResponse.p99Ms.toFixed(0)} ms)`);
  if (r.stoppedEarly) console.log(`  stopped early: ${r.stoppedEarly}`);
}

function printKafkaSweep(r: Awaited<ReturnType<typeof kafkaSweep>>): void {
  const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
  console.log(`on Kafka at real time: wardwatch processor, server and simulate --kafka, ${r.sites} sites, ${r.devices.toLocaleString('en-GB')} devices, SQLite; after ${r.warmUpS} s, over ${r.measuredS.toFixed(0)} s`);
  console.log(`  load average:         ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)}`);
  console.log(`  events sent:          ${Math.round(r.eventsPerSecond).toLocaleString('en-GB')} a second; not yet checkpointed at the end: ${r.consumerLagEnd.toLocaleString('en-GB')}`);
  console.log(`  processor CPU:        ${pct(r.processor.cpuShareOfCore)} of one core (main ${pct(r.processor.threadShares.main)}, busiest other thread ${pct(r.processor.threadShares.processor)}, rest ${pct(r.processor.threadShares.rest)}); RSS ${r.processor.rssMb.toFixed(0)} MiB`);
  console.log(`  server CPU:           ${pct(r.server.cpuShareOfCore)}; RSS ${r.server.rssMb.toFixed(0)} MiB`);
  console.log(`  simulator CPU:        ${pct(r.simulator.cpuShareOfCore)}; RSS ${r.simulator.rssMb.toFixed(0)} MiB${r.simulator.processes > 1 ? ` (${r.simulator.processes} processes, --shard K/${r.simulator.processes}, summed)` : ''}`);
  console.log(`  processor state:      ${r.stateBytesPerDevice.toFixed(0)} bytes per device (checkpointed snapshots)`);
  console.log(`  status messages:      ${r.statusMessagesPerMinute.toFixed(0)} a minute`);
  console.log(`  site grid behind real time: p50 ${(r.gridLagP50Ms / 1000).toFixed(2)} s, p99 ${(r.gridLagP99Ms / 1000).toFixed(2)} s (/api/sites read every ${r.pollMs} ms: ${(r.sitesResponse.bytes / 1024).toFixed(0)} kB, answered in p50 ${r.sitesResponse.p50Ms.toFixed(0)} ms, p99 ${r.sitesResponse.p99Ms.toFixed(0)} ms)`);
  if (r.stoppedEarly) console.log(`  stopped early: ${r.stoppedEarly}`);
}

const benches: Record<string, () => Promise<void>> = {
  async dashboard() {
    const loadBefore = loadavg();
    const commit = (() => {
      try {
        return execSync('git describe --always --dirty', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return 'unknown';
      }
    })();
    const r = await dashboardBench(Number(option('--dashboard-sites') ?? 1000));
    const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
    console.log(`dashboard: ${r.sites} sites in Chromium at 1920×1080, real server, median of 5; commit ${commit}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`  navigation → every tile on screen (presented): ${ms(r.navigationToTilesMs)}, drawn by ${r.tilesDrawnBy.join(', ')}`);
    console.log(`  the floor, navigation → a page of one div on screen (the same server, browser and measure; one before each run above): ${ms(r.floorMs)}`);
    if (r.tilesInViewChecked.length > 0) console.log(`  every tile in the viewport in the first presented frame, checked (Element Timing, each in its box): ${r.tilesInViewChecked.join(', ')} tiles in view; served tiles painted in that frame, in view or not: ${r.tilesPaintedFirst.join(', ')} of ${r.sites}`);
    console.log(`  navigation → the frame drawing them begun and the next one started (the measure before 2026-12-01 10:00 UTC; not yet rastered): ${ms(r.navigationToTilesFrameMs)}`);
    console.log(`  navigation → the app's own grid painted: ${ms(r.navigationToAppGridMs)}; first contentful paint ${ms(r.firstContentfulPaintMs)}`);
    console.log(`  the page's HTML: ${kb(r.pageBytes)}, ${kb(r.pageBrotliBytes)} brotli (quality 4, as sent)`);
    const phase = (key: keyof (typeof r.phases)[number]) => median(r.phases.map((p) => p[key])).toFixed(0);
    console.log(`    (medians from navigation: HTML in ${phase('documentMs')} ms, the grid's scripts asked for at ${phase('scriptsStartMs')} ms and in at ${phase('scriptsMs')} ms, /api/sites ${phase('sitesMs') === 'NaN' ? 'not fetched (the list came with the page)' : `in ${phase('sitesMs')} ms`}, DOMContentLoaded ${phase('scriptsRunMs')} ms, tiles in the DOM ${phase('tilesInDomMs')} ms)`);
    const cpu = (key: keyof (typeof r.mainThreadCpu)[number]) => median(r.mainThreadCpu.map((c) => c[key])).toFixed(1);
    console.log(`  main-thread CPU, navigation → the frame drawing every tile (5 more runs, traced; medians): ${cpu('total')} ms — parse ${cpu('parse')}, style ${cpu('style')}, layout ${cpu('layout')}, paint ${cpu('paint')}, script ${cpu('script')}, other ${cpu('other')} (totals: ${r.mainThreadCpu.map((c) => c.total.toFixed(0)).join(', ')}); raster, navigation → on screen: ${median(r.rasterCpuMs).toFixed(1)} ms`);
    console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`  render of ${r.sites} sites from data in hand: ${ms(r.renderMs)}`);
    console.log(`  one site changing: ${ms(r.updateMs)}`);
    console.log(`  stream, one open grid, a minute of the processor's output: ${kb(r.streamBytesPerMinute)} (${Object.entries(r.streamMessages).map(([e, n]) => `${n} ${e}`).join(', ')})`);
    console.log(`  scripts the grid loads: ${kb(r.appJsBytes)}, ${kb(r.appJsGzipBytes)} gzipped, ${kb(r.appJsBrotliBytes)} brotli; all pages' scripts: ${kb(r.allJsBytes)}, ${kb(r.allJsGzipBytes)} gzipped, ${kb(r.allJsBrotliBytes)} brotli`);
  },
  async 'dashboard-compare'() {
    const dir = option('--compare-dir');
    if (!dir) {
      // Part of a full run only when given a build to compare with.
      if (only === 'dashboard-compare') throw new Error('--compare-dir DIR: the dist/ of the dashboard build to compare with (see docs/benchmarks.md)');
      console.log('dashboard-compare: skipped (no --compare-dir)');
      return;
    }
    const rounds = Number(option('--compare-rounds') ?? 7);
    const r = await dashboardCompare(dir, rounds, Number(option('--dashboard-sites') ?? 1000));
    const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
    console.log(`dashboard, navigation → every tile on screen (as the dashboard bench's headline), ${rounds} rounds side by side`);
    console.log(`  ${dir}: ${ms(r.other)}`);
    console.log(`  this build: ${ms(r.current)}`);
  },
  async streams() {
    const r = await streamsBench(Number(option('--streams') ?? 1000));
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    const ms = (xs: number[]) => `p50 ${q(xs, 0.5).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} requests)`;
    console.log(`live streams at the cap: ${r.streams} open (held by another process), the next answered ${r.refusedStatus}`);
    console.log(`  idle: /healthz ${ms(r.idle.healthzMs)}; /api/sites ${ms(r.idle.sitesMs)}`);
    console.log(`  a change on all ${r.sites} sites pushed to every stream: delivered to all in ${r.push.deliveredAllMs} ms; /healthz meanwhile ${ms(r.push.healthzMs)}`);
  },
  async evidence() {
    const r = await evidenceBench({
      sites: Number(option('--evidence-sites') ?? 50),
      devices: Number(option('--evidence-devices') ?? 1000),
      months: Number(option('--evidence-months') ?? 13),
      foldDevices: Number(option('--evidence-fold-devices') ?? 200),
      hotDevices: Number(option('--evidence-hot-devices') ?? 500),
      compareHourly: option('--evidence-compare-hourly') !== 'no',
      progress: (line) => console.error(`  … ${line}`),
    });
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MiB`;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const n = (x: number) => Math.round(x).toLocaleString('en-GB');
    const per10k = (bytes: number, count: number) => (bytes / count) * 10_000;
    console.log(`evidence: a month's pack, ${r.sites} sites, ${n(r.devices)} devices, ${r.months} months of history (SQLite, ${r.pageSize / 1024} kB pages)`);
    console.log(`  rows: ${n(r.historyRows)} history (hourly site, site-application); the month: ${n(r.scopeRows)} hourly site, ward, access-point and application, ${n(r.digestRows)} device digests`);
    if (r.hourlyLoadMs !== null) console.log(`  from hourly rows only (before the day tier): load + build ${s(r.hourlyLoadMs)} + ${s(r.hourlyBuildMs!)} cold`);
    console.log(`  day tier: ${n(r.dayFoldDays)} days folded, ${n(r.dayFoldRows)} hourly rows read in ${s(r.dayFoldMs)} (${n(r.dayFoldRows / (r.dayFoldMs / 1000))} rows/s; a day ≈ ${s(r.dayFoldMs / r.dayFoldDays)}); ${n(r.dayRows)} day rows, ${mb(r.dayBytes)} (${n(r.dayBytes / r.dayRows)} bytes a row)`);
    console.log(`  load + build (day tier): ${s(r.loadMs)} + ${s(r.buildMs)} cold, ${s(r.warmLoadMs)} + ${s(r.warmBuildMs)} again (earlier months cached)`);
    console.log(`  the report month by its days (before its month fold): ${s(r.byDayLoadMs)} + ${s(r.byDayBuildMs)} cold, ${s(r.byDayWarmLoadMs)} + ${s(r.byDayWarmBuildMs)} again`);
    console.log(`  store a month: devices ${mb(r.digestBytes)} in digests (${n(r.digestBytes / r.devices)} bytes a device; ${mb(per10k(r.digestBytes, r.devices) * 12)} a year per 10,000 devices); other scopes ${mb(r.scopeBytes)} (${n(r.scopeBytes / r.scopeRows)} bytes a row); site history ${mb(r.historyBytes / Math.max(1, r.months - 1))}`);
    console.log(`  store, held not growing: two days of hourly device rows ${mb(per10k(r.hotBytes, r.hotDevices))} per 10,000 devices (${n(r.hotBytes / r.hotRows)} bytes a row, measured on ${n(r.hotDevices)})`);
    console.log(`  fold: ${n(r.foldRows)} hourly rows of ${n(r.foldDevices)} devices' month in ${s(r.foldMs)} (${n(r.foldRows / (r.foldMs / 1000))} rows/s; an hour of 10,000 devices ≈ ${s((10_000 * 5.4) / (r.foldRows / r.foldMs))}); a folded device-month ${n(r.foldedDigestBytesPerDevice)} bytes`);
    console.log(`  the month's scope sketches: ${mb(r.sketchBytes)}; as the protobuf (before the compact format) ${mb(r.protobufSketchBytes)} (${(r.protobufSketchBytes / r.sketchBytes).toFixed(1)}× more)`);
    console.log(`  file: ${mb(r.fileBytes)}`);
    // The store a year under the retentions (packages/store: hourly rows 62 days; day rows until 62
    // days after their month for wards and access points, 92 for sites and applications; month rows
    // and digests 400 days), from the tiers measured here; per 10,000 devices, sites and wards scaled
    // with the devices as the bench places them.
    const t = r.tierBytes;
    console.log(`  tiers on disk (dbstat, table and indexes): hourly rows ${mb(t.hourly)}, day rows ${mb(t.days)}, month rows ${mb(t.months)} (${n(r.monthRows)} rows, ${r.monthFolds} months folded), digests ${mb(t.digests)}`);
    console.log(`  the report month: day rows of sites and applications ${n(r.reportDays.siteRows)} (${mb(r.reportDays.siteBytes)}), of wards and access points ${n(r.reportDays.wardRows)} (${mb(r.reportDays.wardBytes)}); its month rows ${n(r.reportMonths.rows)} (${mb(r.reportMonths.bytes)})`);
    console.log(`  a device-month's digest: ${n(r.digestFormat2Bytes)} bytes (format 1: ${n(r.digestFormat1Bytes)})`);
    const k = 10_000 / r.devices;
    const added = { digests: 12 * t.digests, months: 12 * r.reportMonths.bytes };
    // Held: 62 days of hours; a month's days from its first day to 62 (92) days after its end, so up to
    // three (four) months' worth at once.
    const held = { hourly: (r.scopeBytes / r.reportHours) * 62 * 24, deviceHours: per10k(r.hotBytes, r.hotDevices) / k, wardDays: 3 * r.reportDays.wardBytes, siteDays: 4 * r.reportDays.siteBytes };
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    console.log(`  a year, per 10,000 devices: added ${mb(k * sum(added))} (digests ${mb(k * added.digests)}, month rows ${mb(k * added.months)}); held at any time up to ${mb(k * sum(held))} (hourly rows of 62 days ${mb(k * held.hourly)}, two days of device hours ${mb(k * held.deviceHours)}, ward and access-point days ${mb(k * held.wardDays)}, site and application days ${mb(k * held.siteDays)}); the store after a year up to ${mb(k * (sum(added) + sum(held)))}`);
  },
  async 'demo-history'() {
    const r = await demoHistoryBench({ sites: Number(option('--demo-sites') ?? 12), months: Number(option('--demo-months') ?? 3) });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    console.log(`demo history (npm start's first run): ${r.sites} sites, ${r.days} days of hourly site and site-application rollups into SQLite`);
    console.log(`  rows: ${r.rows.toLocaleString('en-GB')}; sketches ${mb(r.sketchBytes)}, file ${mb(r.fileBytes)}`);
    console.log(`  templates (10 simulated minutes through the processor) ${s(r.templateMs)}, drawing ${s(r.drawMs)}, writing ${s(r.writeMs)}`);
    // (A history shorter than 30 or 60 days has no such mark.)
    const after = (days: number, ms: number | undefined) => (ms === undefined ? '' : `${days} days after ${s(ms)}, `);
    console.log(`  written, newest first: a day after ${s(r.firstDayMs)}, ${after(30, r.firstMonthMs)}${after(60, r.twoMonthsMs)}all after ${s(r.totalMs)}`);
    console.log(`  the default SLOs' reads (CPU, best of several): every window of their spans ${r.sloFullMs.toFixed(1)} ms (${r.sloFullRows.toLocaleString('en-GB')} rows; longest without a turn ${r.sloFullLongestHoldMs.toFixed(0)} ms); at rest, the newest minute of each span, ${r.sloTailMs.toFixed(2)} ms`);
    r.housekeeping.forEach((run, i) => {
      const steps = run.steps.map((x) => `${x.step} ${x.ms.toFixed(0)} ms (longest without a turn ${x.longestMs.toFixed(0)} ms)`).join(', ');
      console.log(`  hourly housekeeping ${i + 1} h after the history's end: ${steps}`);
    });
  },
  async attribution() {
    const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
    for (const r of attributionBench()) {
      console.log(`attribution: ${r.label} (${r.runs} seeded runs, ${r.faults} faults, ${r.msPerRun.toFixed(0)} ms per run)`);
      console.log(`  precision ${pct(r.score.precision)}, recall ${pct(r.score.recall)} (${r.score.truePositives} right, ${r.score.falsePositives} wrong culprits, ${r.score.falseNegatives} missed)`);
      const scenarios = Object.entries(r.byScenario).sort(([a], [b]) => a.localeCompare(b));
      console.log(`  per scenario: ${scenarios.map(([name, [right, all]]) => `${name} ${right}/${all}`).join(', ')}`);
    }
  },
  async processor() {
    const r = await processorBench(Number(option('--processor-events') ?? 1_000_000));
    const k = (n: number) => `${Math.round(n / 1000)}k`;
    console.log(`processor (one core, ${r.events.toLocaleString('en-GB')} events, ${(r.bytes / 2 ** 20).toFixed(0)} MiB NDJSON)`);
    console.log(`  bare JSON.parse:                ${k(r.parseRate)} events/s`);
    console.log(`  parse + validate:               ${k(r.decodeRate)} events/s`);
    console.log(`  parse + validate + add:         ${k(r.aggregateRate)} events/s`);
    console.log(`  full (+ windows, rollups, statuses): ${k(r.processorRate)} events/s`);
    console.log(`  ratio (processor ÷ parse):      ${r.ratio.toFixed(2)}`);
    console.log(`  ratio, interleaved (each 5,000 lines parsed bare, then through the full path): ${r.interleavedRatio.toFixed(2)}`);
    console.log(`  ratio, interleaved, from CPU time:  ${r.interleavedCpuRatio.toFixed(2)}`);
    console.log(`  ratio, interleaved, statuses every second (as deployed): ${r.secondlyRatio.toFixed(2)} (from CPU time: ${r.secondlyCpuRatio.toFixed(2)})`);
    console.log(`  ratio, interleaved, in a worker with the processor thread's young generation: ${r.threadRatio.toFixed(2)} (from CPU time: ${r.threadCpuRatio.toFixed(2)})`);
    console.log(`  sketch p95 error vs exact:      ${(r.p95RelativeError * 100).toFixed(2)} %`);
    console.log(`  sketch p99 error vs exact:      ${(r.p99RelativeError * 100).toFixed(2)} %`);
  },
  // Not a timing: digests of the processor's output over the processor bench's first 400,000 events
  // in several configurations; a change that must not change the output keeps them.
  async 'processor-digest'() {
    const { lines, now } = processorLines(Number(option('--processor-events') ?? 400_000));
    console.log(`processor output digests (${lines.length.toLocaleString('en-GB')} events)`);
    for (const c of DIGEST_CASES) {
      const r = processorDigest(lines, c, now);
      console.log(`  ${c.name.padEnd(13)} ${r.digest} (${r.rollups} rollups, ${r.corrections} corrections, ${r.statuses} statuses)`);
    }
  },
  async 'processor-rest'() {
    const r = await processorRestBench({ warmMinutes: Number(option('--rest-warm-minutes') ?? 3), measureMinutes: Number(option('--rest-minutes') ?? 10) });
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB/s`;
    console.log(`the embedded processor at rest, in process: the default demo's estate in 250 ms rounds, 12 partitions, ${r.measureMinutes} simulated minutes (${r.events.toLocaleString('en-GB')} events)`);
    console.log(`  CPU a simulated minute: events ${r.eventsCpuMsPerMinute.toFixed(1)} ms, liveTo (evaluation) ${r.liveToCpuMsPerMinute.toFixed(1)} ms, checkpoints every 30 s ${r.checkpointCpuMsPerMinute.toFixed(1)} ms (${(r.checkpointBytesPerMinute / 1000).toFixed(0)} kB) — at real time ${(((r.eventsCpuMsPerMinute + r.liveToCpuMsPerMinute + r.checkpointCpuMsPerMinute) / 60_000) * 100).toFixed(3)} % of a core`);
    console.log(`  allocated (sampled): ${kb(r.allocatedBytesPerSecond)} of simulated time; most by`);
    for (const a of r.topAllocators) console.log(`    ${kb(a.bytesPerSecond).padStart(10)}  ${a.name}`);
    console.log(`  ${r.published.toLocaleString('en-GB')} statuses published; output hash ${r.digest}`);
  },
  async 'status-decode'() {
    const r = statusDecodeBench();
    console.log(`reading the status topic: ${r.statuses.toLocaleString('en-GB')} statuses a processor published for the default demo, CPU a status, best of 5 rounds`);
    console.log(`  JSON.parse alone:                        ${r.parseUs.toFixed(2)} µs`);
    console.log(`  decodeStatusRecord (compiled schema):    ${r.decodeUs.toFixed(2)} µs (${(r.decodeUs - r.parseUs).toFixed(2)} µs beyond the parse)`);
    console.log(`  JSON.parse + ScopeStatus.safeParse (zod): ${r.zodUs.toFixed(2)} µs (${(r.zodUs - r.parseUs).toFixed(2)} µs beyond the parse)`);
  },
  async 'ingest-routes'() {
    const r = await ingestRoutesBench(Number(option('--ingest-events') ?? 200_000));
    console.log(`ingest routes, in process: ${r.events.toLocaleString('en-GB')} events in batches of ${r.batch}, the encodings in turn batch by batch; CPU an event over two rounds after one of warm-up`);
    for (const row of r.rows) {
      console.log(`  ${row.name.padEnd(58)} ${row.path.padEnd(12)} ${row.bytesPerEvent.toFixed(0).padStart(5)} B an event  ${row.cpuUsPerEvent.toFixed(2).padStart(6)} µs an event  ×${row.relative.toFixed(2)}`);
    }
  },
  async sketch() {
    const rows = sketchBench(Number(option('--sketch-ms') ?? 300));
    const ns = (x: number) => (x < 1000 ? `${x.toFixed(0)} ns` : `${(x / 1000).toFixed(1)} µs`);
    console.log('stored sketches: mean bytes a sketch (as written now / as the protobuf), and CPU time a sketch (best of 5 rounds)');
    console.log('  sample | values | bytes | protobuf | × smaller | encodeValues | encodeSketch | protobuf writer | decode | decode protobuf | bins | bins protobuf');
    for (const r of rows) {
      console.log(`  ${r.name} | ${r.values.toFixed(0)} | ${r.bytes.toFixed(0)} | ${r.protobufBytes.toFixed(0)} | ${(r.protobufBytes / r.bytes).toFixed(1)} | ${ns(r.encodeValuesNs)} | ${ns(r.encodeSketchNs)} | ${ns(r.encodeProtobufNs)} | ${ns(r.decodeNs)} | ${ns(r.decodeProtobufNs)} | ${ns(r.binsNs)} | ${ns(r.binsProtobufNs)}`);
    }
  },
  async corrections() {
    const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
    for (const r of await correctionsBench()) {
      console.log(`corrections: ${r.store}, ${r.rows.toLocaleString('en-GB')} rows, the keys of 10 late events (${r.keys} keys, ${r.found} stored)`);
      console.log(`  range query per scope and resolution (before): ${ms(r.rangeMs)} ms per merge read`);
      console.log(`  primary-key lookup in one batch (now):         ${ms(r.lookupMs)} ms per merge read (${(r.rangeMs / r.lookupMs).toFixed(0)}× less)`);
    }
  },
  async fuzz() {
    const total = Number(option('--fuzz-events') ?? 1_000_000);
    const print = (r: FuzzPhaseResult) => {
      const ms = (n: number) => `${n.toFixed(1)} ms`;
      console.log(`fuzz: ${r.label}`);
      console.log(`  mutated events sent:  ${Object.entries(r.sent).map(([path, n]) => `${n.toLocaleString('en-GB')} via ${path}`).join(', ')} in ${r.fuzzSeconds.toFixed(0)} s`);
      console.log(`  answers:              ${Object.entries(r.answers).map(([code, n]) => `${code} × ${n}`).join(', ') || 'none'} — 5xx: ${r.fiveXx}`);
      console.log(`  /healthz:             p50 ${ms(r.healthP50Ms)}, p99 ${ms(r.healthP99Ms)}, max ${ms(r.healthMaxMs)} over ${r.healthSamples} samples; failed: ${Object.entries(r.healthFailures).map(([why, n]) => `${why} × ${n}`).join(', ') || 'none'}`);
      console.log(`  RSS (fuzzed process): ${r.rssStartMb.toFixed(0)} MiB at start, ${r.rssMaxMb.toFixed(0)} MiB peak, ${r.rssEndMb.toFixed(0)} MiB at end`);
      const c = r.compared;
      console.log(`  the trust's figures:  ${c.rows} one-minute rollups over ${c.minutes} min against the control: ${c.different} different, ${c.missing} missing, ${c.extra} extra`);
      if (Object.keys(c.byMetric).length > 0) console.log(`  differences by scope and metric: ${Object.entries(c.byMetric).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} × ${n}`).join(', ')}`);
      for (const example of c.examples) console.log(`    ${example}`);
      if (r.counters) console.log(`  the fuzzed processor: ${Object.entries(r.counters).map(([k, n]) => `${k} ${n.toLocaleString('en-GB')}`).join(', ')}`);
    };
    const phases = (option('--fuzz-phase') ?? 'embedded,kafka').split(',');
    if (phases.includes('embedded')) print(await fuzzEmbedded(total));
    if (phases.includes('kafka')) print(await fuzzKafka(total));
  },
  /** A first `npm start` (fresh store, default demo): `--first-start-seconds S` (30) of /api/sites reads from its first answer. */
  async 'first-start'() {
    const r = await firstStartBench({ measureS: Number(option('--first-start-seconds') ?? 30) });
    const history = r.historyInAfterS === undefined ? 'not within the run' : `${r.historyRows!.toLocaleString('en-GB')} rows in after ${r.historyInAfterS.toFixed(1)} s`;
    console.log(`a first npm start (fresh store, the default demo): answering after ${r.servingAfterS.toFixed(1)} s; its history ${history}; load average ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)}`);
    const slow = r.slowReads.length === 0 ? 'none' : r.slowReads.map((x) => `${x.atS.toFixed(1)} s (${x.ms.toFixed(0)} ms)`).join(', ');
    console.log(`  /api/sites every 100 ms for ${r.measuredS.toFixed(0)} s from the first answer: ${r.reads} reads, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)}, max ${r.maxMs.toFixed(0)}; over 60 ms at: ${slow}`);
  },
  /** The processor on the main thread and on a worker, two demos side by side: `--placement-sites N` (12). */
  async placement() {
    const r = await placementBench({
      sites: Number(option('--placement-sites') ?? 12),
      warmUpS: Number(option('--placement-warm-up') ?? 120),
      measureS: Number(option('--placement-seconds') ?? 240),
    });
    console.log(`the processor's placement, side by side: two demos at once (npm start's command, ${r.sites} sites, ${r.devices.toLocaleString('en-GB')} devices, no history); after ${r.warmUpS} s, over ${r.measuredS.toFixed(0)} s, /api/sites read every ${r.pollMs} ms from each`);
    console.log(`  load average:         ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)}`);
    for (const [name, f] of [['main thread', r.mainThread], ['a worker', r.worker]] as const) {
      const slow = f.slowReads.length === 0 ? 'none' : f.slowReads.map((s) => `${s.atS.toFixed(1)} s (${s.ms.toFixed(0)} ms)`).join(', ');
      console.log(`  ${`${name} (processorThreads ${f.processorThreads}):`.padEnd(36)}CPU ${(f.cpuShareOfCore * 100).toFixed(2)} % of one core, RSS ${f.rssMb.toFixed(0)} MiB; /api/sites ${f.reads} reads, p50 ${f.p50Ms.toFixed(1)} ms, p90 ${f.p90Ms.toFixed(1)}, p99 ${f.p99Ms.toFixed(1)}, max ${f.maxMs.toFixed(0)}; over 60 ms at: ${slow}`);
    }
  },
  /** One processor thread against `--threads N` (default the cores), `--threads-sites` (300) stepped `--threads-minutes` (5). */
  async 'processor-threads'() {
    const threads = option('--threads');
    const r = await processorThreadsBench({
      sites: Number(option('--threads-sites') ?? 300),
      minutes: Number(option('--threads-minutes') ?? 5),
      ...(threads ? { threads: Number(threads) } : {}),
    });
    console.log(`processor threads (embedded, stepped clock, ${r.sites} sites = ${(r.sites * 80).toLocaleString('en-GB')} devices, ${r.minutes} simulated minute${r.minutes === 1 ? '' : 's'} timed after 2; alternated)`);
    for (const run of r.runs) {
      console.log(`  ${run.threads} thread${run.threads === 1 ? ': ' : 's:'} ${run.events.toLocaleString('en-GB')} events in ${(run.wallMs / 1000).toFixed(1)} s = ${Math.round(run.events / (run.wallMs / 1000)).toLocaleString('en-GB')} events/s; the process's CPU ${(run.cpuMs / 1000).toFixed(1)} s`);
    }
    const rate = (n: number) => {
      const of = r.runs.filter((run) => run.threads === n);
      return of.reduce((sum, run) => sum + run.events, 0) / of.reduce((sum, run) => sum + run.wallMs, 0);
    };
    const most = Math.max(...r.runs.map((run) => run.threads));
    if (most > 1) console.log(`  ${most} threads ÷ 1 (events over wall time, all rounds): ${(rate(most) / rate(1)).toFixed(2)}`);
  },
  async idle() {
    const threads = option('--idle-threads');
    const historyMonths = Number(option('--idle-history-months') ?? 0);
    printEstate(await idleBench({ warmUpS: Number(option('--idle-warm-up') ?? 120), measureS: Number(option('--idle-seconds') ?? 300), pollMs: Number(option('--idle-poll-ms') ?? 200), historyMonths, ...(threads ? { processorThreads: Number(threads) } : {}) }));
  },
  /**
   * The default demo side by side with another build or other flags, measured over the same seconds
   * (the machine's speed moves by half within an hour; demos at once share it): this checkout's demo;
   * `--idle-compare-dir DIR`, another checkout's (its dependencies installed; built here first);
   * `--idle-compare-flags "FLAGS"`, this checkout's again with those Node flags added; `--idle-compare-self`,
   * this checkout's again as it is — how far two of the same demo differ is the run's resolution.
   * Takes the idle bench's `--idle-warm-up`, `--idle-seconds` and `--idle-poll-ms`.
   */
  async 'idle-compare'() {
    const dir = option('--idle-compare-dir');
    const flags = option('--idle-compare-flags');
    const self = process.argv.includes('--idle-compare-self');
    if (!dir && !flags && !self) {
      // Part of a full run only when given something to compare with.
      if (only === 'idle-compare') throw new Error('idle-compare: give --idle-compare-dir DIR, --idle-compare-flags "FLAGS" or --idle-compare-self (see docs/benchmarks.md)');
      console.log('idle-compare: skipped (nothing to compare with)');
      return;
    }
    const here = new URL('../', import.meta.url).pathname;
    const demos: Array<IdleDemo & { label: string }> = [{ root: here, label: 'this checkout' }];
    if (dir) demos.push({ root: resolve(dir), label: resolve(dir) });
    if (flags) demos.push({ root: here, extraFlags: flags.split(/\s+/).filter(Boolean), label: `this checkout with ${flags}` });
    if (self) demos.push({ root: here, label: 'this checkout again' });
    const results = await idleSideBySide({ warmUpS: Number(option('--idle-warm-up') ?? 120), measureS: Number(option('--idle-seconds') ?? 300), pollMs: Number(option('--idle-poll-ms') ?? 200) }, demos);
    const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
    const r0 = results[0]!;
    console.log(`the default demo side by side: ${demos.length} at once, after ${r0.warmUpS} s, over ${r0.measuredS.toFixed(0)} s; load average ${r0.loadAverage.start.toFixed(1)} → ${r0.loadAverage.end.toFixed(1)}`);
    for (const [i, r] of results.entries()) {
      console.log(`  ${pct(r.cpuShareOfCore).padStart(7)} of one core, RSS ${r.rssMb.toFixed(0)} MiB, ${r.statusMessagesPerMinute.toFixed(0)} status messages a minute, grid behind p50 ${(r.gridLagP50Ms / 1000).toFixed(2)} s / p99 ${(r.gridLagP99Ms / 1000).toFixed(2)} s — ${demos[i]!.label}`);
    }
    if (r0.stoppedEarly) console.log(`  stopped early: ${r0.stoppedEarly}`);
  },
  /** The simulator generating estates of 10k–2M devices (`--simulator-devices 10000,100000`); each size prints as it finishes. */
  async simulator() {
    const devices = option('--simulator-devices')?.split(',').map(Number);
    await simulatorBench(devices);
  },
  /**
   * The pipeline at real time over estates of growing size (80 devices a site): embedded, or with
   * `--sweep-kafka` as processor, server and simulator processes on the broker. `--sweep-poll-ms`
   * (default 1000) is how often /api/sites is read: a large estate's list is megabytes. On Kafka the
   * estate is sent by `--sweep-simulators N` simulator processes, each `--shard K/N` of the sites
   * (default: one per 200,000 devices, as one process cannot produce more at real time).
   */
  async sweep() {
    const sizes = (option('--sweep-devices') ?? '10000,100000').split(',').map(Number);
    const warmUpS = Number(option('--idle-warm-up') ?? 120);
    const measureS = Number(option('--sweep-seconds') ?? 600);
    const pollMs = Number(option('--sweep-poll-ms') ?? 1000);
    for (const devices of sizes) {
      const sites = Math.round(devices / 80);
      const simulators = option('--sweep-simulators');
      if (process.argv.includes('--sweep-kafka')) printKafkaSweep(await kafkaSweep({ sites, warmUpS, measureS, pollMs, ...(simulators ? { simulators: Number(simulators) } : {}) }));
      // No backfill: an hour of a large estate's history would take longer to write than the run.
      else printEstate(await idleBench({ sites, backfillHours: 0, warmUpS, measureS, pollMs }));
    }
  },
  async kafka() {
    const processes = option('--kafka-processes');
    const freshnessRuns = option('--kafka-freshness-runs');
    const r = await kafkaBench(Number(option('--kafka-events') ?? 300_000), { ...(processes ? { processes: Number(processes) } : {}), ...(freshnessRuns ? { freshnessRuns: Number(freshnessRuns) } : {}) });
    const k = (n: number) => `${Math.round(n / 1000)}k`;
    console.log(`kafka (single local broker, ${r.events.toLocaleString('en-GB')} events, 12 partitions)`);
    console.log(`  produce (acks=all, idempotent, gzip):   ${k(r.produceRate)} events/s`);
    console.log(`  raw kafkajs consume-only:              ${k(r.rawConsumeRate)} events/s`);
    console.log(`  wardwatch processor (consume→store):   ${k(r.processorRate)} events/s (first event counted → every record checkpointed; ${r.processorCpuPerMillion.toFixed(1)} CPU s a million events)`);
    console.log(`  ratio (processor ÷ raw consume):       ${r.ratio.toFixed(2)}`);
    if (r.perCore) {
      const t = (x: { eventsPerSecond: number; cpuSecondsPerMillion: number }) => `${k(x.eventsPerSecond)} events/s (${x.cpuSecondsPerMillion.toFixed(1)} CPU s a million events)`;
      console.log(`  processor processes into one PostgreSQL: 1 → ${t(r.perCore.one)}; ${r.perCore.processes} in one group → ${t(r.perCore.rate)} (ratio to raw consume ${r.perCore.ratio.toFixed(2)})`);
    }
    if (r.freshnessRuns.length > 0) console.log(`  freshness, event time → API (defaults, ${r.freshnessSamples} samples in ${r.freshnessRuns.length} runs): p50 ${(r.freshnessP50Ms / 1000).toFixed(2)} s, p99 ${(r.freshnessP99Ms / 1000).toFixed(2)} s`);
    for (const [i, run] of r.freshnessRuns.entries()) console.log(`    run ${i + 1}: ${run.samples} samples, p50 ${(run.p50Ms / 1000).toFixed(2)} s, p99 ${(run.p99Ms / 1000).toFixed(2)} s`);
  },
  async agent() {
    const durationArg = option('--agent-duration');
    const flagsArg = option('--agent-flags');
    const executable = option('--agent-exe');
    const durationMs = durationArg ? Number(durationArg) * 1000 : 70_000;
    if (!(durationMs >= 10_000)) throw new Error('--agent-duration must be at least 10 (seconds)');
    const variants = flagsArg !== undefined ? [flagsArg.split(/\s+/).filter(Boolean)] : AGENT_FLAG_VARIANTS;
    const mib = (n: number) => `${n.toFixed(1)} MiB`;
    for (const [i, nodeFlags] of variants.entries()) {
      const r = await agentBench({ durationMs, nodeFlags, build: i === 0, ...(executable ? { executable } : {}) });
      if (i === 0) {
        console.log(`agent (${executable ? `single executable ${executable}` : `bundled dist/wardwatch-agent.mjs, ${Math.round(bundleBytes() / 1024)} KiB`}; 4 HTTP checks every 60 s, Wi-Fi/logons 60 s, health 5 min, delivery 15 s; ${r.durationS} s, sampled every second)`);
      }
      console.log(`  ${executable ? 'NODE_OPTIONS=' : 'node '}${nodeFlags.length ? nodeFlags.join(' ') : '(no flags)'}:`);
      console.log(`    start-up (to "agent started"):  ${Math.round(r.startupMs)} ms, RSS ${mib(r.startupRssMb)}, peak in first 5 s ${mib(r.startupPeakRssMb)}, CPU ${r.startupCpuS.toFixed(2)} s`);
      console.log(`    steady RSS:                      median ${mib(r.medianRssMb)} (private ${mib(r.medianAnonMb)}, file-backed ${mib(r.medianFileMb)}), peak ${mib(r.peakRssMb)}; lifetime high-water ${mib(r.hwmRssMb)}`);
      console.log(`    steady CPU, share of one core:   ${r.cpuPct.toFixed(3)} % (with the tools it ran: ${r.cpuPctWithChildren.toFixed(3)} %)`);
      console.log(`    spooled:                         ${Object.entries(r.spooled).map(([k, v]) => `${k} ${v.records} × ${Math.round(v.bytes / v.records)} B`).join(', ')}; delivered ${r.delivered} events in ${r.deliveredBytes} B`);
      console.log(`    spool growth at this cadence:    ${(r.spoolBytesPerHour / 1024).toFixed(1)} KiB/h (${((r.spoolBytesPerHour * 24) / 2 ** 20).toFixed(2)} MiB/day offline)`);
      if (r.warnings.length) console.log(`    agent warnings:                  ${r.warnings.join('; ')}`);
    }
  },
};

/** Events the reference loop parses: about a second of work, and its own lines, not a bench's. */
const REFERENCE_EVENTS = 200_000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
if (only && !benches[only]) {
  console.error(`unknown bench "${only}"; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.log(`machine: ${describeMachine()}`);
console.log(`date: ${new Date().toISOString()}`);
// The machine's speed before the benches and after them: it moved by half within an hour.
// (Its lines made again each time: kept, 58 MB of strings would sit in the heap of every bench run here.)
const reference = () => `bare JSON.parse ${Math.round(referenceParseRate(processorLines(REFERENCE_EVENTS).lines) / 1000)}k events/s`;
console.log(`reference: ${reference()} (${REFERENCE_EVENTS.toLocaleString('en-GB')} of the processor bench's events, best of three: this machine's speed now; again at the end)`);
for (const [name, run] of Object.entries(benches)) {
  if (!only || only === name) await run();
}
console.log(`reference at the end: ${reference()}`);
