// The whole pipeline in one process: simulated trust (or HTTP ingest) → in-process bus → processor →
// SQLite → server and dashboard. What `wardwatch start` runs. Two threads: the bus, the processor and
// the store's writer in a worker (processor-thread.ts); the server, status board, SLO evaluator,
// simulator and the store's reader here, so the API answers whatever the processor is doing.
// Event time follows the wall clock (accelerated in demo mode), or — for tests — moves only in steps
// the caller takes (`clock: 'stepped'`, `advance(ms)`), each one finished before the call returns.
import type { Logger } from 'pino';
import type { TelemetryEvent } from '@wardwatch/schema';
import { DEFAULT_PROCESSOR_CONFIG, type ProcessorConfig } from '@wardwatch/processor';
import { openStore } from '@wardwatch/store';
import { createApp, createMetrics, DeadLetterLog, directoryFromBoard, listen, SloEvaluator, StatusBoard, type SiteInfo } from '@wardwatch/server';
import { BURN_RATE_RULES, createNotifiers, DEFAULT_SLOS, describeNotifier, loadSloFile, type Notifier } from '@wardwatch/slo';
import { maintenanceWindows, topicLayout } from './wiring.ts';
import { storeUrlForThreads, type ClockAnchor } from './processor-thread.ts';
import { defaultProcessorThreads, ProcessorThreads } from './processor-threads.ts';
import { buildEstate, Simulator, SimulationRunner, type Estate, type ScenarioName } from '@wardwatch/simulator';
import { dashboardDistDir } from '@wardwatch/dashboard';
import type { AccessArgs } from './access-options.ts';
import { apiTokensFor, httpAccess } from './http-access.ts';
import { readSharedAlertState } from '@wardwatch/server';
import { openEstateRegister, openIngestTokens } from './ingest-auth.ts';
import { demoHistoryUnfinished, demoLogonChanges, type DemoHistoryRun } from './demo-history-writer.ts';
import { startDemoHistoryThread } from './demo-history-thread.ts';
import { demoBackfillMs } from './demo-backfill.ts';
import { startMonthlyReports } from './monthly-reports.ts';
import { openEvidenceSources, type EvidenceFiles } from './evidence-sources.ts';
import { WARDWATCH_VERSION } from './version.ts';
import { EMBEDDED_PARTITIONS } from './args.ts';
import type { MonthlyReportSender } from '@wardwatch/evidence';
import { assertRealTimeStore } from './simulated-clock.ts';

export interface EmbeddedOptions {
  port: number;
  host: string;
  /** sqlite:<path>, sqlite::memory: or postgres://… */
  storeUrl: string;
  log: Logger;
  /** Run the simulated trust; without it, data comes only through ingest (POST /api/ingest, /v1/logs). */
  demo: boolean;
  seed: number;
  /** Simulated milliseconds per wall millisecond (demo mode, wall clock; unused by the stepped clock). */
  speed: number;
  /**
   * How event time moves, demo or not. 'wall' (the default, and `wardwatch start`'s): with the wall
   * clock, `speed` times as fast in demo mode. 'stepped', for tests: only when `advance(ms)` is called
   * on the running pipeline, which resolves once that span is generated (demo), processed, stored,
   * settled and shown on the board, and the SLOs evaluated. A test then judges simulated time, not how
   * fast a loaded machine ran. There is no SLO timer (`sloIntervalMs` is unused), and the backfill is
   * the first step, taken before startEmbedded resolves.
   */
  clock?: 'wall' | 'stepped';
  /**
   * Stepped clock only: event time when the pipeline starts, after the backfill (default now). A test
   * that pins it, with the seed, gets the same trust on every run. A restart resumes where the last run
   * stopped if that is later.
   */
  startAt?: number;
  /** Fault injected at start (demo only); none when undefined. */
  scenario?: ScenarioName;
  sites?: number;
  /**
   * Simulated history generated at start so the charts are not empty (demo only); on a restart at
   * real time, at most this much of the time the demo was stopped is sent first.
   */
  backfillMs?: number;
  /**
   * Whole months before the current one of hourly site history written at start from the simulator's
   * model (demo only, first run only; see demo-history.ts): the evidence pack's trend and the SSO
   * roll-out its before-and-after finds. Default 0.
   */
  historyMonths?: number;
  processor?: Partial<ProcessorConfig>;
  /**
   * Worker threads the processor runs on, the telemetry partitions dealt between them
   * (processor-threads.ts), or 0: the processor on the main thread; default a core each but one, at
   * least one, and for a demo none up to 1,000 simulated devices, then no more than one per 100,000
   * (defaultProcessorThreads).
   */
  processorThreads?: number;
  /** Serve the dashboard (default true). */
  dashboard?: boolean;
  /** Wall time between SLO evaluations (default one minute; with the stepped clock, once per `advance`). */
  sloIntervalMs?: number;
  /** SLO definitions, burn-rate rules and notifiers (YAML, see docs/slo-guide.md); default the built-in SLOs. */
  sloFile?: string;
  /**
   * Where alert notifications go, besides the SLO file's `notifications:`; none by default (alerts
   * still show in /api/alerts).
   */
  notifiers?: readonly Notifier[];
  /** Ingest token file (see docs/operations.md): ingest (POST /api/ingest, /v1/logs) then needs a device token. Open without. */
  ingestTokensFile?: string;
  /** Sign-in, allowed host names and public URL (docs/security.md); none → open, loopback only. */
  access?: Partial<AccessArgs>;
  /** Estate register file and scope cap for ingest (see docs/operations.md); none: not checked. */
  estateFile?: string;
  scopeCapPerHour?: number;
  /**
   * Evidence settings and inventory for GET /api/reports and the monthly email, as `wardwatch report
   * --config --inventory` reads them (see evidence-sources.ts); none: the defaults, devices placed by
   * the live status board.
   */
  evidence?: EvidenceFiles;
}

export interface RunningPipeline {
  url: string;
  port: number;
  board: StatusBoard;
  simulator?: Simulator;
  runner?: SimulationRunner;
  /** The event-time clock the pipeline judges timestamps by (simulated in demo mode). */
  clock: () => number;
  /**
   * Stepped clock only (it rejects otherwise): moves event time on by `ms` (whole milliseconds, 0 or
   * more), a simulated minute at a time. Each minute's events are generated (demo) and processed,
   * and every partition is brought up to the new time as a quiet spell would (windows closed,
   * corrections merged, rollups, checkpoints and statuses written); then the board is updated and the
   * SLOs evaluated once, and only then does it resolve. `advance(0)` settles what HTTP ingest has
   * received. Calls run one after another.
   */
  advance(ms: number): Promise<void>;
  /** Re-reads the ingest token file now (SIGHUP); present only with one. False when it is invalid. */
  reloadIngestTokens?(): boolean;
  /** The SLO file's monthly evidence packs, scheduled on the wall clock (tests tick them). */
  reportSenders: readonly MonthlyReportSender[];
  /**
   * Demo with `historyMonths`: settles once the history is in the store and the SLOs have been
   * evaluated on it (at real time), or once writing it failed (logged). Without a history, settled.
   */
  historyWritten: Promise<void>;
  stop(): Promise<void>;
}

const PARTITIONS = EMBEDDED_PARTITIONS;
/**
 * Backfill events handed to the processor at once (a minute of 500,000 devices is 3.2 million). Small
 * enough that a batch's events, texts and records die young: at 50,000 they outlived the young
 * generation and were copied into the old one, and the default demo's start spent 1.7 s of its ~7.6 s
 * on the main thread collecting them (0.7–0.9 s at 5,000; no less below it). docs/benchmarks.md,
 * "The demo at rest in the daytime; a start's backfill in smaller batches, the history after it".
 */
const BACKFILL_BATCH = 5_000;
const SIMULATOR_GROUP = 'wardwatch-simulator';
/** What the in-memory dead-letter topic holds at most (each letter's original is cut to 16 kB). */
const DEAD_LETTER_RETAIN_BYTES = 32 * 2 ** 20;
/**
 * Checkpoints of the embedded pipeline: its bus is in memory and not replayed, so a checkpoint bounds
 * what a crash loses of the counts (a clean stop checkpoints every partition). Every 30 s rather than
 * the runtime's 5 s: at rest a checkpoint (the registry and the minute still filling, each partition)
 * was most of what the processor thread wrote, six times a minute more than the rollups themselves.
 */
const CHECKPOINT_INTERVAL_MS = 30_000;
/** The stepped clock settles the pipeline after every simulated minute, as a running one would tick. */
const STEP_MS = 60_000;

/** The simulated estate's devices. */
const devicesIn = (estate: Estate): number => estate.sites.reduce((n, site) => n + site.wards.reduce((m, ward) => m + ward.devices.length, 0), 0);

/** A clock that stands at `simulated` until told otherwise (the stepped clock, as the worker keeps it). */
const standingAt = (simulated: number): ClockAnchor => ({ simulated, wall: Date.now(), speed: 0 });

export async function startEmbedded(options: EmbeddedOptions): Promise<RunningPipeline> {
  const { log } = options;
  // Read before anything is started, so a bad file fails the start with the field at fault.
  const sloConfig = options.sloFile ? loadSloFile(options.sloFile) : { slos: DEFAULT_SLOS, burnRateRules: undefined, notifications: [] };
  const access = httpAccess(options.host, options.access ?? {}, log, () => store);
  const notifiers = [...(options.notifiers ?? []), ...createNotifiers(sloConfig.notifications)];
  if (sloConfig.notifications.length > 0) log.info({ notifiers: sloConfig.notifications.map(describeNotifier) }, 'alert notifications configured');
  const ingestTokens = openIngestTokens(options.ingestTokensFile, log);
  const estateRegister = openEstateRegister(options.estateFile, options.scopeCapPerHour, log);
  const evidence = openEvidenceSources(options.evidence ?? {}, log);
  const topics = topicLayout();
  const storeUrl = storeUrlForThreads(options.storeUrl, log);
  // This thread's connection reads (API, SLOs) and writes what only it knows (simulated clock,
  // annotations); the processor thread opens its own and writes the rollups, and so does the demo
  // history's thread.
  const store = await openStore(storeUrl.url);

  const estate = options.demo ? buildEstate({ seed: options.seed, sites: options.sites }) : undefined;
  const directory = new Map<string, SiteInfo>();
  for (const site of estate?.sites ?? []) directory.set(site.id, { name: site.name, trust: estate!.trust.id, type: site.type, area: site.area });

  let simulator: Simulator | undefined;
  let runner: SimulationRunner | undefined;
  let history: DemoHistoryRun | undefined;
  let historyWritten = false;
  // An accelerated simulation runs ahead of the wall clock; a restart resumes from where the last run
  // stopped, so new events never land behind windows the restored processor has already closed.
  const clockPosition = await store.checkpoint(SIMULATOR_GROUP, 'simulated-clock', 0);
  const simulatorPosition = options.demo ? clockPosition : undefined;
  const stepped = options.clock === 'stepped';
  const startWall = Date.now();
  // Real time (no demo, or a demo at speed 1) is the wall clock, always: a store an accelerated demo
  // left ahead of it is refused (simulated-clock.ts), never resumed, or real agents would all be late.
  const realTime = !stepped && (!options.demo || options.speed === 1);
  if (realTime) {
    try {
      assertRealTimeStore(clockPosition ? Number(clockPosition.offset) : undefined, startWall, options.storeUrl);
    } catch (error) {
      await store.close();
      storeUrl.dispose();
      throw error;
    }
  }
  const startAt = realTime ? startWall : Math.max(stepped ? (options.startAt ?? startWall) : startWall, Number(simulatorPosition?.offset ?? 0));
  /** Event time of a stepped clock without a simulated trust (a runner keeps its own). */
  let steppedNow = startAt;
  const clock = () => (runner ? runner.simulatedNow : stepped ? steppedNow : Date.now());

  // The estate register, when given, is the site directory (names, types, areas), followed as it changes.
  const board = new StatusBoard(estateRegister ?? directory);
  const metrics = createMetrics(board);
  let processor: ProcessorThreads;
  try {
    processor = await ProcessorThreads.start({
      // A demo's estate has a known size: no more threads than it needs.
      threads: options.processorThreads ?? defaultProcessorThreads(PARTITIONS, undefined, estate && devicesIn(estate)),
      storeUrl: storeUrl.url,
      topics,
      partitions: PARTITIONS,
      processor: options.processor,
      deadLetterRetainBytes: DEAD_LETTER_RETAIN_BYTES,
      checkpointIntervalMs: CHECKPOINT_INTERVAL_MS,
      log,
      metrics,
      board,
      steppedClock: stepped,
      // The simulator at the wall clock marks each round it delivers: live statuses follow the marks.
      sourceMarks: Boolean(estate) && !stepped,
      // The clock it judges event time by comes after the start (setClock) with a demo or a stepped clock.
      clockFollows: Boolean(estate) || stepped,
    });
  } catch (error) {
    await store.close();
    storeUrl.dispose();
    throw error;
  }
  const sendEvents = (events: TelemetryEvent[]) => processor.produce(events, 'simulator');
  /** A start that fails after this point leaves nothing running: the history's thread, the processor, the store. */
  const abandonStart = async (error: unknown): Promise<never> => {
    await history?.stop();
    await processor.stop();
    await store.close();
    storeUrl.dispose();
    throw error;
  };
  // The refusals' dead letters, for GET /api/dead-letters: the in-process topic is the processor thread's.
  const deadLetters = new DeadLetterLog();
  const ingest = processor.sink((letter) => deadLetters.add(letter));
  if (stepped) processor.setClock(standingAt(startAt));

  // History is generated only on a first run; a restart already has it in the store. What is sent
  // before going live: demo-backfill.ts (a restart at real time catches up with the time it was stopped).
  const stoppedAt = simulatorPosition ? (realTime ? Number(simulatorPosition.offset) : null) : undefined;
  const backfill = estate ? demoBackfillMs({ startAt, backfillMs: options.backfillMs ?? 0, historyMonths: options.historyMonths ?? 0, stoppedAt }) : 0;
  if (estate) {
    const writeHistory = !simulatorPosition && (options.historyMonths ?? 0) > 0;
    // The history's SSO roll-out goes on in live data (at the date the first run recorded).
    simulator = new Simulator({ estate, seed: options.seed, logonChanges: await demoLogonChanges(store, estate, startAt - backfill, writeHistory) });
    // On a thread of its own, newest day first: the server answers meanwhile (demo-history-thread.ts).
    // A restart finishes a history its first run was stopped before writing whole.
    const historyThread = { storeUrl: storeUrl.url, estate, seed: options.seed, processor: options.processor };
    const historyDue = writeHistory || ((options.historyMonths ?? 0) > 0 && (await demoHistoryUnfinished(store)));
    const startHistory = (held = false) => {
      if (!historyDue) return undefined;
      const thread = startDemoHistoryThread({ ...(writeHistory ? { ...historyThread, begin: { to: startAt - backfill, months: options.historyMonths! } } : historyThread), held });
      history = thread;
      thread.done.then(
        (written) => {
          historyWritten = true;
          log.info(written, 'demo history written');
        },
        (error) => log.warn({ err: error }, 'writing the demo history failed'),
      );
      return thread;
    };
    if (options.scenario) {
      const fault = simulator.injectFault(options.scenario, { at: startAt - Math.min(backfill, 20 * 60_000) });
      log.info({ scenario: fault.scenario, target: fault.target }, 'fault injected');
    }
    if (stepped) {
      startHistory();
      // The backfill is the stepped clock's first step, taken below once the SLO evaluator exists.
      runner = new SimulationRunner({ simulator, stepped: true, startAt: startAt - backfill, sink: sendEvents });
    } else {
      // The history's thread made ready beside the backfill (its templates and newest day drawn: a
      // second and a half of its own core), but writing only once the backfill is in: the two writing
      // at once slowed each other (a core each, but the backfill's main thread ran ~1.7 × slower, and
      // waited on the history's write transactions for the store's lock), and the server answered
      // after the history was written, ~14 s, where the backfill alone takes ~8. The live hour first;
      // the months fill in behind it, newest day first, and the SLOs are evaluated again once they are
      // in (below).
      const heldHistory = startHistory(true);
      if (backfill > 0) {
        try {
          // History first, so the charts have something to show at once; read off the simulator's stream
          // a batch at a time, as the runner does, so a large estate's minute is never held whole.
          const recent = simulator.stream(startAt - backfill, startAt);
          for (let batch = recent.take(BACKFILL_BATCH); batch.length > 0; batch = recent.take(BACKFILL_BATCH)) await sendEvents(batch);
          // Counted and stored before the SLO evaluator's first run (slos.start, below): that run read a
          // store the processor had not yet written the backfill into, so an alert the backfill burns (the
          // demo's fault) waited a minute for the next run while the grid already showed its site degraded.
          await processor.settle();
        } catch (error) {
          return await abandonStart(error);
        }
      }
      heldHistory?.release();
      // At real time the demo's clock is the wall clock: simulated time has run since startAt was
      // chosen (while the backfill was written), or every live figure would trail by however long that
      // took. (Accelerated, the demo starts from startAt, not minutes ahead of it.)
      runner = new SimulationRunner({ simulator, speed: options.speed, startAt, ...(options.speed === 1 ? { startWall } : {}), sink: sendEvents, delivered: (to) => processor.delivered(to) });
      runner.start();
      // The processor thread runs the same simulated clock from here on.
      processor.setClock({ simulated: runner.simulatedNow, wall: Date.now(), speed: options.speed });
    }
  }

  const { maintenance, holds } = maintenanceWindows(store, clock, board, log);
  const slos = new SloEvaluator({
    store,
    slos: sloConfig.slos,
    burnRateRules: sloConfig.burnRateRules,
    notifiers,
    clock,
    metrics,
    intervalMs: options.sloIntervalMs,
    settleMs:
      (options.processor?.watermarkLagMs ?? DEFAULT_PROCESSOR_CONFIG.watermarkLagMs) +
      (options.processor?.allowedLatenessMs ?? DEFAULT_PROCESSOR_CONFIG.allowedLatenessMs) +
      (options.processor?.windowMs ?? DEFAULT_PROCESSOR_CONFIG.windowMs),
    onError: (error, context) => log.warn({ err: error, context }, 'SLO evaluation step failed'),
    // Incidents for the evidence pack, and the alerts still firing when the last run stopped.
    alertHistory: store,
    firing: await store.openAlerts(),
    holds,
  });
  // Silences made before a restart still hold, and alerts assigned before it stay with their assignees.
  await readSharedAlertState(slos, store);

  let steps: Promise<void> = Promise.resolve();
  const advance = (ms: number): Promise<void> => {
    if (!stepped) return Promise.reject(new Error("advance(ms) needs the stepped clock (clock: 'stepped'); this pipeline's follows the wall clock"));
    if (!(Number.isInteger(ms) && ms >= 0)) return Promise.reject(new RangeError(`advance(ms) takes whole milliseconds, 0 or more; got ${ms}`));
    const run = steps.then(async () => {
      let left = ms;
      do {
        const step = Math.min(left, STEP_MS);
        // The worker's clock first: the step's events are never ahead of it.
        processor.setClock(standingAt(clock() + step));
        if (runner) await runner.advance(step);
        else steppedNow += step;
        await processor.settle();
        left -= step;
      } while (left > 0);
      await slos.evaluateAfterPending();
    });
    steps = run.catch(() => {});
    return run;
  };
  // The history's newest days as far back as the longest alert window, before the first evaluation
  // (below; the stepped clock's come after each of its steps).
  const longestAlertWindowMs = Math.max(...(sloConfig.burnRateRules ?? BURN_RATE_RULES).map((rule) => rule.longWindowMs));
  if (stepped) {
    try {
      if (history) await history.writtenBack(longestAlertWindowMs);
      await advance(backfill);
    } catch (error) {
      return await abandonStart(error);
    }
  } else {
    // A first start's history reaching back as far as the longest alert window first (the newest three
    // days of the default rules: written first, in well under a second). Evaluated on the backfill's
    // hour or two alone, every long window read that hour of the demo's fault as the whole window: two
    // tickets fired on a first page (burning 14.4× over 1d, where the history made it 0.86×), held,
    // and resolved ten minutes later — alerts made by the order things were written in.
    if (history) await history.writtenBack(longestAlertWindowMs);
    // The first evaluation before the server answers: the alerts the backfill burns are on the
    // dashboard from its first page.
    await slos.start();
  }
  // The history changes every SLO's 28-day window once it is in; the budget charts read the store
  // when asked, so until the next timer's evaluation (up to a minute) an SLO card gave the budget
  // without the history beside a chart of the budget with it, both "at" the same minute. Evaluated
  // again at once instead. (The stepped clock evaluates after each of its steps.)
  const historyEvaluated: Promise<void> = history
    ? history.done.then(
        () => (stepped ? undefined : slos.evaluateAfterPending()),
        () => undefined,
      )
    : Promise.resolve();
  // The SLO file's reports: the evidence pack emailed on the first working day of each month.
  // The API, the email and `wardwatch report` build one pack: the same settings, the same placement.
  const evidenceDirectory = evidence.inventory ?? (() => directoryFromBoard(board));
  const reports = startMonthlyReports({ reports: 'reports' in sloConfig ? sloConfig.reports : [], notifiers, store, log, config: evidence.config, thresholds: options.processor?.thresholds, directory: evidenceDirectory });

  const app = createApp({
    historySettled: () => !history || historyWritten,
    board,
    store,
    annotations: store,
    maintenance,
    evidenceConfig: evidence.config,
    evidenceDirectory,
    version: WARDWATCH_VERSION,
    metrics,
    slos,
    ingest,
    ingestTokens,
    estateRegister,
    scopeCapPerHour: options.scopeCapPerHour,
    clock,
    dashboardDir: options.dashboard === false ? undefined : dashboardDistDir,
    health: () => ({ mode: 'embedded', transport: 'in-process', store: options.storeUrl.split(':')[0], simulated: Boolean(runner), processor: processor.running ? 'running' : 'stopped', processorThreads: processor.count }),
    ...access,
    audit: store,
    ...apiTokensFor(access, store),
    silences: store,
    assignments: store,
    statusThresholds: options.processor?.thresholds,
    deadLetters,
  });
  const server = await listen(app, { port: options.port, host: options.host });

  let stopped = false;
  return {
    url: server.url,
    port: server.port,
    board,
    simulator,
    runner,
    clock,
    advance,
    ...(ingestTokens ? { reloadIngestTokens: () => ingestTokens.reload() } : {}),
    reportSenders: reports.senders,
    historyWritten: historyEvaluated,
    async stop() {
      if (stopped) return;
      stopped = true;
      await steps;
      await runner?.stop();
      await history?.stop();
      await reports.stop();
      await slos.stop();
      for (const notifier of notifiers) (notifier as { close?: () => void }).close?.();
      await server.close();
      if (runner) {
        await store.write([], { group: SIMULATOR_GROUP, topic: 'simulated-clock', partition: 0, offset: String(Math.round(runner.simulatedNow)), state: null });
      }
      await processor.stop(); // checkpoints open windows so a restart resumes them
      await store.close();
      storeUrl.dispose();
    },
  };
}
