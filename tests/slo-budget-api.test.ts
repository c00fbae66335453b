// GET /api/slos/:slo/budget against the embedded pipeline: two healthy simulated hours, then an
// application outage. The burn-down starts where the data starts, ends at the evaluation /api/slos
// shows, never goes up while the outage lasts, and bad ids and queries are refused with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

interface BudgetHistoryBody {
  slo: string;
  scope: string;
  objective: number;
  window: string;
  windowMs: number;
  at: number;
  stepMs: number;
  series: { t: number[]; budgetRemaining: number[]; burnRate1h: (number | null)[]; validEvents: number[] };
}

let pipeline: RunningPipeline;
let faultAt: number;
const BACKFILL_MS = 2 * 3_600_000;

beforeAll(async () => {
  pipeline = await startTestPipeline({ sloIntervalMs: 300, backfillMs: BACKFILL_MS });
  faultAt = pipeline.clock();
  pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: faultAt });
});

afterAll(async () => {
  await pipeline?.stop();
});

/**
 * One request; retried once when the connection is reset: a pipeline simulating at 600× keeps the
 * event loop busy long enough for the server to drop an idle keep-alive socket as it is reused.
 */
const budget = async (query: string): Promise<Response> => {
  try {
    return await fetch(`${pipeline.url}/api/slos/${query}`);
  } catch {
    return fetch(`${pipeline.url}/api/slos/${query}`);
  }
};

// Requests here wait behind the SLO evaluator, which reads a 600× demo's rollups on the server's thread
// every 300 ms: on a busy two-core machine one answer has taken over 20 s. A wide bound, not a timing.
describe('SLO budget history API', { timeout: 120_000 }, () => {
  it('draws the burn-down of an application outage: from where data starts, never rising while the outage lasts', async () => {
    // Wait until the rollups reach well into the outage (the processor may trail the simulated clock):
    // several points whose last hour is all failures.
    const body = await until(async () => {
      const response = await budget('app-availability/budget?scope=app:pacs');
      if (response.status !== 200) return undefined;
      const b = (await response.json()) as BudgetHistoryBody;
      return b.series.burnRate1h.filter((burn) => burn !== null && burn > 199).length >= 5 ? b : undefined;
    }, 60_000, 'a burn-down reaching an hour into the outage');

    const { t, budgetRemaining, burnRate1h, validEvents } = body.series;
    expect(body).toMatchObject({ slo: 'app-availability', scope: 'app:pacs', objective: 0.995, window: '28d', windowMs: 28 * 86_400_000 });
    // Columnar, aligned, at most the default 200 points, in time order, ending at the evaluation.
    for (const column of [budgetRemaining, burnRate1h, validEvents]) expect(column).toHaveLength(t.length);
    expect(t.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    expect(t[t.length - 1]! * 1000).toBe(body.at);
    expect(body.stepMs % 60_000).toBe(0);
    // A young installation: the series starts where the data starts (the backfill, which began a
    // little before faultAt − BACKFILL_MS: the simulated clock ran on while the pipeline started),
    // not 28 days ago.
    const dataStart = faultAt - BACKFILL_MS;
    expect(t[0]! * 1000).toBeGreaterThan(body.at - body.windowMs + 86_400_000);
    expect(t[0]! * 1000).toBeGreaterThanOrEqual(dataStart - 15 * 60_000);
    expect(t[0]! * 1000).toBeLessThanOrEqual(dataStart + body.stepMs + 2 * 60_000);
    expect(validEvents[0]).toBeGreaterThan(0);

    // Healthy before the outage: most of the budget left.
    const before = t.map((x, i) => [x * 1000, budgetRemaining[i]!] as const).filter(([x]) => x <= faultAt);
    expect(before.length).toBeGreaterThan(3);
    expect(before[before.length - 1]![1]).toBeGreaterThan(0.5);
    // During the outage: non-increasing, and overspent by the end.
    const during = t.map((x, i) => budgetRemaining[i]!).filter((_, i) => t[i]! * 1000 > faultAt);
    for (let i = 1; i < during.length; i++) expect(during[i]!).toBeLessThanOrEqual(during[i - 1]! + 1e-12);
    expect(during[during.length - 1]!).toBeLessThan(0);
    // Every check failing: the 1-hour burn rate reaches 1 ÷ (1 − 0.995) = 200 inside the outage.
    expect(Math.max(...burnRate1h.filter((b): b is number => b !== null))).toBeCloseTo(200, 6);
    // Valid events never go down over a 28-day window that holds all the data.
    for (let i = 1; i < validEvents.length; i++) expect(validEvents[i]!).toBeGreaterThanOrEqual(validEvents[i - 1]!);
  }, 90_000);

  it('keeps to the number of points asked for', async () => {
    const response = await budget('site-app-latency/budget?scope=site:' + (await firstSite()) + '&points=20');
    expect(response.status).toBe(200);
    const body = (await response.json()) as BudgetHistoryBody;
    expect(body.series.t.length).toBeGreaterThan(1);
    expect(body.series.t.length).toBeLessThanOrEqual(20);
  });

  it.each([
    ['an unknown SLO', 'no-such-slo/budget', 404, /^no SLO named "no-such-slo"; the SLOs are site-app-latency, /],
    ['an unknown scope', 'app-availability/budget?scope=app:nope', 404, /^SLO "app-availability" has no scope "app:nope"; its scopes are .*app:pacs/],
    ['no scope for an SLO with several', 'app-availability/budget', 400, /^SLO "app-availability" has \d+ target scopes: name one with \?scope= \(one of .*app:pacs/],
    ['points not a number', 'app-availability/budget?scope=app:pacs&points=lots', 400, /^points must be a whole number from 2 to 1000; got "lots"$/],
    ['one point', 'app-availability/budget?scope=app:pacs&points=1', 400, /^points must be a whole number from 2 to 1000/],
    ['too many points', 'app-availability/budget?scope=app:pacs&points=5000', 400, /^points must be a whole number from 2 to 1000/],
    ['a fraction of a point', 'app-availability/budget?scope=app:pacs&points=2.5', 400, /^points must be a whole number/],
  ])('refuses %s with a message', async (_name, query, status, message) => {
    const response = await budget(query);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });
});

async function firstSite(): Promise<string> {
  const sites = (await (await fetch(`${pipeline.url}/api/sites`)).json()) as Array<{ id: string }>;
  return sites[0]!.id;
}
