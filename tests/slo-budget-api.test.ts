// GET /api/slos/:slo/budget against the embedded pipeline: two healthy simulated hours, then an
// application outage, on the stepped clock (simulated time moves only when the test advances it). The
// burn-down starts where the data starts, ends at the evaluation /api/slos shows, never goes up while
// the outage lasts, and bad ids and queries are refused with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPipeline } from '@wardwatch/cli';
import { MIN, startTestPipeline, TEST_START } from './helpers/pipeline.ts';

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
  // The backfill is processed before the pipeline starts: the clock is at TEST_START, two hours of data behind it.
  pipeline = await startTestPipeline({ backfillMs: BACKFILL_MS });
  faultAt = pipeline.clock();
  pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: faultAt });
  // Seventy-five simulated minutes of outage, then one evaluation: the burn-down is read from it.
  await pipeline.advance(75 * MIN);
}, 300_000);

afterAll(async () => {
  await pipeline?.stop();
});

const budget = (query: string): Promise<Response> => fetch(`${pipeline.url}/api/slos/${query}`);

describe('SLO budget history API', () => {
  it('draws the burn-down of an application outage: from where data starts, never rising while the outage lasts', async () => {
    const response = await budget('app-availability/budget?scope=app:pacs');
    expect(response.status).toBe(200);
    const body = (await response.json()) as BudgetHistoryBody;
    // Evaluated as of the last final minute: 2 min 10 s (watermark lag, a window, the allowed lateness)
    // behind the clock, so 72 minutes into the outage.
    expect(body.at).toBe(faultAt + 72 * MIN);

    const { t, budgetRemaining, burnRate1h, validEvents } = body.series;
    expect(body).toMatchObject({ slo: 'app-availability', scope: 'app:pacs', objective: 0.995, window: '28d', windowMs: 28 * 86_400_000 });
    // Columnar, aligned, at most the default 200 points, in time order, ending at the evaluation.
    for (const column of [budgetRemaining, burnRate1h, validEvents]) expect(column).toHaveLength(t.length);
    expect(t.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    expect(t[t.length - 1]! * 1000).toBe(body.at);
    expect(body.stepMs % 60_000).toBe(0);
    // A young installation: the series starts where the data starts — the end of the backfill's first
    // minute, TEST_START − BACKFILL_MS + 1 min — not 28 days ago; the older points on the step's grid.
    const dataStart = faultAt - BACKFILL_MS;
    expect(faultAt).toBe(TEST_START);
    expect(t[0]! * 1000).toBeGreaterThanOrEqual(dataStart + MIN);
    expect(t[0]! * 1000).toBeLessThan(dataStart + MIN + body.stepMs);
    expect(validEvents[0]).toBeGreaterThan(0);

    // Healthy before the outage: most of the budget left.
    const before = t.map((x, i) => [x * 1000, budgetRemaining[i]!] as const).filter(([x]) => x <= faultAt);
    expect(before.length).toBeGreaterThan(3);
    expect(before[before.length - 1]![1]).toBeGreaterThan(0.5);
    // During the outage: non-increasing, and overspent by the end.
    const during = t.map((x, i) => budgetRemaining[i]!).filter((_, i) => t[i]! * 1000 > faultAt);
    for (let i = 1; i < during.length; i++) expect(during[i]!).toBeLessThanOrEqual(during[i - 1]! + 1e-12);
    expect(during[during.length - 1]!).toBeLessThan(0);
    // Every check failing: the 1-hour burn rate is 1 ÷ (1 − 0.995) = 200 at every point whose last hour
    // is all outage (from an hour after the fault on), and below it before.
    t.forEach((x, i) => {
      if (x * 1000 >= faultAt + 60 * MIN) expect(burnRate1h[i], `burn at ${x}`).toBeCloseTo(200, 6);
      else expect(burnRate1h[i] ?? 0, `burn at ${x}`).toBeLessThan(200 - 1e-6);
    });
    expect(t.filter((x) => x * 1000 >= faultAt + 60 * MIN).length).toBeGreaterThanOrEqual(5);
    // Valid events never go down over a 28-day window that holds all the data.
    for (let i = 1; i < validEvents.length; i++) expect(validEvents[i]!).toBeGreaterThanOrEqual(validEvents[i - 1]!);
  });

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
