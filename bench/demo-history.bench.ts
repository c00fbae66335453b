// The demo's history at start (`npm start`, packages/cli/src/demo-history.ts): how long the templates,
// the drawing and the writing take for the default 12-site trust, how many rows and bytes, and when
// the newest day, month and two months (what the Evidence page and the SSO comparison read) are in.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoHistory, demoStory } from '@wardwatch/cli';
import { buildEstate } from '@wardwatch/simulator';
import { SqliteRollupStore } from '@wardwatch/store';

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
  firstMonthMs: number;
  twoMonthsMs: number;
  totalMs: number;
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
    await store.close();
    const fileBytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    return { sites: options.sites, days, rows, sketchBytes, fileBytes, templateMs, drawMs, writeMs, firstDayMs: marks[1]!, firstMonthMs: marks[30]!, twoMonthsMs: marks[60]!, totalMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
