// The whole alert lifecycle through the embedded pipeline, on its stepped clock (simulated time moves
// a minute and one SLO evaluation at a time, when the test says): an application outage pages within
// 5 simulated minutes, and once the application recovers the page resolves — in GET /api/alerts and
// as a "resolved" notification at a webhook receiver.
//
// Which row holds the page after recovery, and for how long? The page fires while ANY page row
// fires, and a row fires only while BOTH of its windows burn at its rate:
//   row 1, 14.4× over 1 h & 5 min: the 5-minute window is clean 5 minutes after recovery, so this
//          row stops then, although its 1-hour window still burns far above 14.4×;
//   row 2, 6× over 6 h & 30 min: this pipeline is young (no backfill), so its 6-hour window holds
//          little but the outage and burns far above 6× for hours. The row stops when its 30-minute
//          window falls below 6× (3 % of checks failing). Windows hold whole minutes, the outage
//          starts and ends on minute boundaries here, and one minute of it is 1/30 = 3.3 % of the
//          window's checks (they are periodic): the window must hold none, 30 minutes after recovery.
// So the page's rules stop 30 simulated minutes after recovery, decided by the 30-minute SHORT window
// while both long windows still burn above their rates — the short windows are what make an alert
// resolve soon after the problem stops; waiting for the long windows would take hours. (On an
// installation with history the outage is diluted in the 6-hour window, row 2 never fires, and the
// page's rules stop ~5 minutes after recovery.) The alert is then held firing for KEEP_FIRING_FOR_MS
// (10 minutes: a burn hovering at a threshold is one alert, not a page at each crossing) and resolves
// after it: 40 minutes after recovery here. The ticket rows (1 d & 2 h, 3 d & 6 h) raise a separate
// ticket alert, which stays until its 2-hour and 6-hour short windows clear: not awaited here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_FIRING_FOR_MS } from '@wardwatch/schema';
import { WebhookNotifier, type AlertsResponse, type SloAlert, type WebhookPayload } from '@wardwatch/slo';
import type { RunningPipeline } from '@wardwatch/cli';
import { advanceUntil, MIN as MINUTE, startTestPipeline } from './helpers/pipeline.ts';
import { startJsonReceiver, type JsonReceiver } from './helpers/receiver.ts';
import { until } from './helpers/sse.ts';

const OUTAGE_MS = 10 * MINUTE;

let pipeline: RunningPipeline;
let receiver: JsonReceiver<WebhookPayload>;

beforeAll(async () => {
  receiver = await startJsonReceiver<WebhookPayload>();
  const webhook = new WebhookNotifier({ url: `${receiver.url}/hook` });
  pipeline = await startTestPipeline({ notifiers: [webhook] });
});

afterAll(async () => {
  await pipeline?.stop();
  await receiver?.close();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(pipeline.url + path)).json()) as T;
const isPacsPage = (a: SloAlert) => a.slo === 'app-availability' && a.scope === 'app:pacs' && a.severity === 'page';
const fmt = (ms: number) => `${(ms / MINUTE).toFixed(1)} simulated min`;

describe('SLO alert lifecycle (stepped simulated time)', () => {
  it('pages within 5 simulated minutes of an application outage; its rules stop 30 minutes after recovery (the 30 m short window), and it resolves the hold later', async () => {
    const fault = pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: pipeline.clock() });

    // 1. The page fires.
    const firing = await advanceUntil(pipeline, async () => (await get<AlertsResponse>('/api/alerts')).firing.find(isPacsPage), { withinMs: 15 * MINUTE }, 'page for app:pacs');
    const timeToPage = firing.startsAt - fault.since;
    expect(timeToPage, `paged after ${fmt(timeToPage)}`).toBeLessThanOrEqual(5 * MINUTE);
    // Precisely: as of the end of the outage's first minute, at the first evaluation for which it is final.
    expect(timeToPage).toBe(MINUTE);
    expect(firing.rules.map((r) => `${r.longWindow}/${r.shortWindow}`)).toContain('1h/5m');
    await until(() => (receiver.bodies().some((d) => d.status === 'firing' && d.alert.fingerprint === firing.fingerprint) ? true : undefined), 10_000, 'the page at the webhook');

    // 2. The outage lasts exactly 10 simulated minutes, then the application recovers.
    while (pipeline.clock() < fault.since + OUTAGE_MS) await pipeline.advance(Math.min(MINUTE, fault.since + OUTAGE_MS - pipeline.clock()));
    const recoveredAt = pipeline.clock();
    expect(recoveredAt).toBe(fault.since + OUTAGE_MS);
    pipeline.simulator!.clearFault(fault.id, recoveredAt);

    // 3. Watch the page until it resolves, keeping what the last evaluations showed.
    let lastFiring: SloAlert = firing;
    let oneHourRowStoppedAt: number | undefined;
    let burnAtResolution: Record<string, number> | undefined;
    const resolved = await advanceUntil(pipeline, async () => {
      const [alerts, slos] = await Promise.all([
        get<AlertsResponse>('/api/alerts'),
        get<Array<{ slo: string; scope: string; burnRates: Record<string, number> }>>('/api/slos'),
      ]);
      const page = alerts.firing.find(isPacsPage);
      if (page) {
        lastFiring = page;
        if (oneHourRowStoppedAt === undefined && !page.rules.some((r) => r.longWindow === '1h')) oneHourRowStoppedAt = page.updatedAt;
        return undefined;
      }
      const done = alerts.resolved.find((a) => a.fingerprint === firing.fingerprint);
      if (done) burnAtResolution = slos.find((s) => s.slo === 'app-availability' && s.scope === 'app:pacs')?.burnRates;
      return done;
    }, { withinMs: 60 * MINUTE }, 'resolution of the page for app:pacs');

    const timeToResolve = resolved.endsAt! - recoveredAt;
    console.info(
      `app-down pacs: paged ${fmt(timeToPage)} after the fault; 1h/5m row stopped ${oneHourRowStoppedAt === undefined ? '(not seen)' : fmt(oneHourRowStoppedAt - recoveredAt)} ` +
        `after recovery; page resolved ${fmt(timeToResolve)} after recovery; burn rates then: ${JSON.stringify(burnAtResolution)}`,
    );
    expect(resolved).toMatchObject({ status: 'resolved', fingerprint: firing.fingerprint, startsAt: firing.startsAt });
    // Row 1 stops first, at the evaluation whose 5-minute window holds no minute of the outage.
    expect(oneHourRowStoppedAt! - recoveredAt).toBe(5 * MINUTE);
    // What held the page last was row 2 alone, its 6-hour window still far above 6× …
    expect(lastFiring.rules.map((r) => `${r.longWindow}/${r.shortWindow}`)).toEqual(['6h/30m']);
    expect(lastFiring.rules[0]!.longBurnRate).toBeGreaterThan(6);
    // … so the rules stopped when the 30-minute short window fell below 6×, once it held no minute of
    // the outage; the alert was held from then for KEEP_FIRING_FOR_MS, and resolved.
    expect(lastFiring.clearingSince! - recoveredAt).toBe(30 * MINUTE);
    expect(timeToResolve).toBe(30 * MINUTE + KEEP_FIRING_FOR_MS);
    // When it resolved the long windows were still burning above their rows' rates.
    expect(burnAtResolution!['1h']).toBeGreaterThan(14.4);
    expect(burnAtResolution!['6h']).toBeGreaterThan(6);
    expect(burnAtResolution!['30m']).toBeLessThan(6);

    // 4. The receiver that was told of the page is told of its resolution.
    const notice = await until(() => receiver.bodies().find((d) => d.status === 'resolved' && d.alert.fingerprint === firing.fingerprint), 10_000, 'the resolution at the webhook');
    expect(notice.alert).toMatchObject({ status: 'resolved', endsAt: resolved.endsAt });
    expect(notice.title).toMatch(/resolved/i);
    // One firing notification for this page, one resolution (no flapping).
    expect(receiver.bodies().filter((d) => d.alert.fingerprint === firing.fingerprint).map((d) => d.status)).toEqual(['firing', 'resolved']);
  }, 60_000);
});
