// A demo started at real time counts and stores its backfill, and evaluates its SLOs on it, before its
// server answers: the alerts its fault burns are firing on the first page a user opens, beside the
// grid that shows the faulted site degraded. (The SLO evaluator's first run used to read a store the
// processor had not yet written the backfill into, and the alert waited a minute for the next run.)
// A first start with a history evaluates them with the history's newest days in the store, as far back
// as the longest alert window: made on the backfill alone, every long window read the fault's hour as
// the whole window, and tickets fired on the first page ("burning 14.4× over 1d", where the history
// made it 0.86×), were held and resolved ten minutes later — alerts made by the order the demo wrote
// its data in. Without a history the same hour does fire them: it is all the data there is. The
// stepped clock (the tests' own) waits for the same days before its backfill's steps, each followed by
// an evaluation; before, its history raced the steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPipeline } from '@wardwatch/cli';
import type { SiteSummary } from '@wardwatch/schema';
import { MIN, startTestPipeline } from './helpers/pipeline.ts';

const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

interface Alerts {
  firing: Array<{ slo: string; scope: string; severity: string }>;
}
interface SloCard { slo: string; scope: string; budgetCoverage: number; windowMs: number; firing: Array<{ severity: string }> }

describe('a demo started at real time with a fault in its backfill', () => {
  let pipeline: RunningPipeline;
  beforeAll(async () => {
    // The fault starts 20 minutes before the start (the demo's own rule), inside the half-hour backfill.
    pipeline = await startTestPipeline({ clock: 'wall', speed: 1, backfillMs: 30 * MIN, scenario: 'site-wan-congested' });
  }, 60_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers with every site counted, the faulted one degraded and its latency page already firing', async () => {
    const faulted = pipeline.simulator!.faults[0]!.target;
    // Read at once: nothing here waits for a timer.
    const [sites, alerts] = await Promise.all([json<SiteSummary[]>(`${pipeline.url}/api/sites`), json<Alerts>(`${pipeline.url}/api/alerts`)]);
    // No site waiting for its first figures ("no telemetry received yet"), as while the backfill was counted.
    expect(sites.filter((s) => s.status === 'unknown').map((s) => s.id)).toEqual([]);
    const site = sites.find((s) => s.id === faulted)!;
    expect(site.status).toBe('degraded');
    expect(alerts.firing).toContainEqual(expect.objectContaining({ slo: 'site-app-latency', scope: `site:${faulted}`, severity: 'page' }));
    // The grid's own count of the site's alerts says the same.
    expect(site.alerts?.page).toBeGreaterThanOrEqual(1);
  });
});

describe.each([
  ['at real time', 'wall'],
  ['on the stepped clock', 'stepped'],
] as const)("a first start's alerts, with and without a history, %s", (_how, clock) => {
  /**
   * A first start with the fault in its hour of backfill: the alerts as the server first answers, and
   * the alerts the SLOs' rules fire once the whole history is in (re-evaluated then).
   */
  async function firstStart(historyMonths: number) {
    // No timer's evaluation: the first page's alerts are the start's (the stepped clock's: those of its backfill's steps).
    const pipeline = await startTestPipeline({ clock, speed: 1, seed: 1, backfillMs: 60 * MIN, historyMonths, scenario: 'site-wan-congested', sloIntervalMs: 3_600_000 });
    try {
      const [alerts, cards] = await Promise.all([json<Alerts>(`${pipeline.url}/api/alerts`), json<SloCard[]>(`${pipeline.url}/api/slos`)]);
      await pipeline.historyWritten;
      if (clock === 'stepped') await pipeline.advance(0);
      const after = await json<SloCard[]>(`${pipeline.url}/api/slos`);
      return {
        firing: alerts.firing.map((a) => `${a.severity} ${a.slo} ${a.scope}`).sort(),
        cards,
        firingWithHistory: after.flatMap((c) => [...new Set(c.firing.map((r) => r.severity))].map((severity) => `${severity} ${c.slo} ${c.scope}`)).sort(),
      };
    } finally {
      await pipeline.stop();
    }
  }

  it("judges them with the history's newest days: no alert that the whole history does not fire", async () => {
    const alone = await firstStart(0);
    const withHistory = await firstStart(1);
    // The hour alone: the fault's site pages, and its long windows, holding only that hour, raise tickets.
    const pages = alone.firing.filter((a) => a.startsWith('page'));
    expect(pages).not.toEqual([]);
    expect(alone.firing.filter((a) => a.startsWith('ticket'))).not.toEqual([]);
    // With the history: the same pages, and every alert on the first page one the rules fire once the
    // whole history is in — none that the history contradicts.
    expect(withHistory.firing.filter((a) => a.startsWith('page'))).toEqual(pages);
    expect(withHistory.firing.filter((a) => !withHistory.firingWithHistory.includes(a))).toEqual([]);
    // Every card's budget counts at least the three days the longest alert window reads.
    for (const card of withHistory.cards) expect(card.budgetCoverage * card.windowMs, `${card.slo} ${card.scope}`).toBeGreaterThanOrEqual(3 * 86_400_000);
  }, 180_000);
});
