// The demo's history at start (`npm start`, packages/cli/src/demo-history.ts): how long the templates,
// the drawing and the writing take for the default 12-site trust, how many rows and bytes, and when
// the newest day, month and two months (what the Evidence page and the SSO comparison read) are in;
// then what the SLO evaluator reads of that store: everything once, and the newest minute of each
// span at every evaluation after (SliLoader, at rest); and the hourly housekeeping's first two runs on
// it, as the processor runs them (on the server's thread for the default demo): how long each step
// takes and the longest the thread goes without a turn meanwhile.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoHistory, demoStory } from '@wardwatch/cli';
import { DEVICE_HOURS_KEPT_MS, foldDeviceHours, foldSiteDays } from '@wardwatch/evidence';
import { buildEstate } from '@wardwatch/simulator';
import { DEFAULT_SLOS, loadSliCounter, planRollupQueries } from '@wardwatch/slo';
import { DEFAULT_RETENTION_MS, SqliteRollupStore, type RollupStore } from '@wardwatch/store';
import { turnsDuring } from '../tests/helpers/event-loop-turns.ts';

export interface DemoHistoryBenchResult {
  sites: number;
  days: number;
  rows: number;
  sketchBytes: number;
  fileBytes: number;
  templateMs: number;
  drawMs: number;
  writeMs: number;
  /** Wall time from the start to the newest 1, 30 and 60 days written. */
  firstDayMs: number;
  /** Undefined: the history is shorter. */
  firstMonthMs: number | undefined;
  twoMonthsMs: number | undefined;
  totalMs: number;
  /** The default SLOs' first evaluation reading every window of its spans: rows, and the best CPU ms of five. */
  sloFullRows: number;
  sloFullMs: number;
  /** The longest the thread went without a turn during one such read. */
  sloFullLongestHoldMs: number;
  /** An evaluation at rest: the newest minute of each span (what SliLoader reads when nothing older changed); best CPU ms of 25. */
  sloTailMs: number;
  /** The hourly housekeeping an hour and two hours after the history's end. */
  housekeeping: HousekeepingRun[];
}

/** One hourly housekeeping run: each step's wall time, and the longest the event loop waited for a turn during it. */
export interface HousekeepingRun {
  steps: Array<{ step: 'fold device hours' | 'fold site days' | 'prune'; ms: number; longestMs: number }>;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export async function demoHistoryBench(options: { sites: number; months: number }): Promise<DemoHistoryBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-demo-history-'));
  const file = join(dir, 'demo.db');
  const store = new SqliteRollupStore(file);
  try {
    const estate = buildEstate({ seed: 42, sites: options.sites });
    const to = Date.now() - (Date.now() % HOUR);
    const d = new Date(to);
    const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - options.months, 1) - DAY;
    const story = demoStory(estate, to);
    const began = performance.now();
    const history = new DemoHistory({ estate, seed: 42, from, to, changes: story.changes, maintenance: story.maintenance });
    const templateMs = performance.now() - began;
    let drawMs = 0;
    let writeMs = 0;
    let rows = 0;
    let sketchBytes = 0;
    let days = 0;
    const marks: Record<number, number> = {};
    for (let dayEnd = to; dayEnd > from; dayEnd -= Math.min(DAY, dayEnd - from)) {
      const t0 = performance.now();
      const records = history.hours(Math.max(from, dayEnd - DAY), dayEnd);
      const t1 = performance.now();
      await store.write(records);
      writeMs += performance.now() - t1;
      drawMs += t1 - t0;
      rows += records.length;
      for (const r of records) sketchBytes += r.sketch.length;
      days++;
      if (days === 1 || days === 30 || days === 60) marks[days] = performance.now() - began;
    }
    const totalMs = performance.now() - began;
    const slo = await sloReads(store, to);
    const housekeeping = [await housekeepingRun(store, to + HOUR), await housekeepingRun(store, to + 2 * HOUR)];
    await store.close();
    const fileBytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    return { sites: options.sites, days, rows, sketchBytes, fileBytes, templateMs, drawMs, writeMs, firstDayMs: marks[1]!, firstMonthMs: marks[30], twoMonthsMs: marks[60], totalMs, ...slo, housekeeping };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SLO evaluator's reads of the store at `now`: all of its spans, and only their newest minute. */
async function sloReads(store: RollupStore, now: number): Promise<{ sloFullRows: number; sloFullMs: number; sloFullLongestHoldMs: number; sloTailMs: number }> {
  const queries = planRollupQueries(DEFAULT_SLOS, now).map((q) => ({ ...q, countsOnly: true }));
  let sloFullRows = 0;
  for (const q of queries) sloFullRows += (await store.query(q)).length;
  const tail = queries.map((q) => ({ ...q, from: q.to - 60_000 }));
  const sloFullMs = await bestCpuMs(5, () => loadSliCounter(store, DEFAULT_SLOS, now));
  const sloFullLongestHoldMs = (await turnsDuring(() => loadSliCounter(store, DEFAULT_SLOS, now))).longestMs;
  const sloTailMs = await bestCpuMs(25, async () => {
    for (const q of tail) await store.query(q);
  });
  return { sloFullRows, sloFullMs, sloFullLongestHoldMs, sloTailMs };
}

/** The processor's hourly housekeeping (processor-core.ts) at `now`, each step timed beside a turn counter. */
async function housekeepingRun(store: SqliteRollupStore, now: number): Promise<HousekeepingRun> {
  const steps: HousekeepingRun['steps'] = [];
  const timed = async (step: HousekeepingRun['steps'][number]['step'], work: () => Promise<unknown>) => {
    const { ms, longestMs } = await turnsDuring(work);
    steps.push({ step, ms, longestMs });
  };
  await timed('fold device hours', () => foldDeviceHours(store, now - DEVICE_HOURS_KEPT_MS));
  await timed('fold site days', () => foldSiteDays(store, now));
  await timed('prune', () => store.prune(now, DEFAULT_RETENTION_MS));
  return { steps };
}

async function bestCpuMs(rounds: number, work: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
