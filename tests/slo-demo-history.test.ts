// The demo's history and the SLOs at real time: once the months of history are in the store, each
// SLO target's card (GET /api/slos) and its budget chart (GET /api/slos/:slo/budget) give one budget
// for one evaluation. The chart reads the store when asked; the card is the last evaluation's. Before,
// the card kept the evaluation made at the start, without the history, until the timer's next (up
// to a minute): "18.1 %" left on a card over a chart ending at "18.7 %", both "at" the same minute.
// The SLO timer is set to an hour here, so no evaluation but the start's and the history's comes;
// and with no backfill, live data starts at the start, after the evaluation's time (a settled minute
// three minutes back), so the chart reads no row the evaluation could not. Started in the first three
// minutes of an hour, the history's last hour ends after the evaluation's time: neither counts it
// whole (SliCounter.counts, budgetHistory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbedded, type RunningPipeline } from '@wardwatch/cli';

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-slo-history-'));
let pipeline: RunningPipeline;

beforeAll(async () => {
  pipeline = await startEmbedded({
    port: 0,
    host: '127.0.0.1',
    storeUrl: `sqlite:${join(scratch, 'demo.db')}`,
    log: pino({ level: 'silent' }),
    demo: true,
    seed: 1,
    speed: 1,
    sites: 3,
    historyMonths: 1,
    sloIntervalMs: 3_600_000,
    dashboard: false,
  });
}, 120_000);

afterAll(async () => {
  await pipeline?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Evaluation { slo: string; scope: string; errorBudgetRemaining: number; validEvents: number; at: number }
interface Budget { at: number; series: { t: number[]; budgetRemaining: Array<number | null>; validEvents: number[] } }

it('once the history is written, every SLO card gives the budget its chart ends at, history included', async () => {
  await pipeline.historyWritten;
  const cards = (await (await fetch(`${pipeline.url}/api/slos`)).json()) as Evaluation[];
  expect(cards.length).toBeGreaterThan(0);
  // Weeks of history: the logon SLOs count thousands of logons, not the live minutes' few.
  const logons = cards.filter((c) => c.slo === 'site-logon-latency');
  expect(logons.length).toBe(3);
  for (const card of logons) expect(card.validEvents, card.scope).toBeGreaterThan(1_000);
  const differ: string[] = [];
  for (const card of cards) {
    const res = await fetch(`${pipeline.url}/api/slos/${encodeURIComponent(card.slo)}/budget?scope=${encodeURIComponent(card.scope)}&points=20`);
    expect(res.status).toBe(200);
    const chart = (await res.json()) as Budget;
    const last = chart.series.budgetRemaining.length - 1;
    if (chart.at !== card.at || chart.series.budgetRemaining[last] !== card.errorBudgetRemaining || chart.series.validEvents[last] !== card.validEvents) {
      differ.push(`${card.slo} ${card.scope}: card ${card.errorBudgetRemaining} of ${card.validEvents} at ${card.at}, chart ${chart.series.budgetRemaining[last]} of ${chart.series.validEvents[last]} at ${chart.at}`);
    }
  }
  expect(differ).toEqual([]);
}, 120_000);
