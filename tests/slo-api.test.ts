// SLOs and alerts served by the embedded pipeline: an application outage burns its availability
// budget, pages, can be silenced through the API (the record is kept), and shows in /metrics. The
// pipeline's clock is stepped: simulated time moves only when the test advances it, a minute (and one
// SLO evaluation) at a time, so what is asserted about simulated time does not depend on the machine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNotifier, type AlertsResponse, type WebhookPayload } from '@wardwatch/slo';
import type { RunningPipeline } from '@wardwatch/cli';
import { advanceUntil, MIN, startTestPipeline } from './helpers/pipeline.ts';
import { startJsonReceiver, type JsonReceiver } from './helpers/receiver.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
// A webhook receiver on 127.0.0.1: what the configured notifier actually delivered.
let receiver: JsonReceiver<WebhookPayload>;
let faultAt: number;

beforeAll(async () => {
  receiver = await startJsonReceiver<WebhookPayload>();
  const webhook = new WebhookNotifier({ url: `${receiver.url}/hook` });
  pipeline = await startTestPipeline({ notifiers: [webhook] });
  faultAt = pipeline.clock();
  pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: faultAt });
});

afterAll(async () => {
  await pipeline?.stop();
  await receiver?.close();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(pipeline.url + path)).json()) as T;
// Writes are JSON or refused (415): see docs/security.md.
const JSON_BODY = { 'content-type': 'application/json' };

describe('SLO API', () => {
  it('pages on an application outage within the page rule\'s 5-minute short window, and a silence keeps the record', async () => {
    const isPacsPage = (a: AlertsResponse['firing'][number]) => a.scope === 'app:pacs' && a.severity === 'page';
    // A simulated minute and an evaluation at a time, as a running pipeline evaluates.
    const alerts = await advanceUntil(pipeline, async () => {
      const body = await get<AlertsResponse>('/api/alerts');
      return body.firing.some(isPacsPage) ? body : undefined;
    }, { withinMs: 30 * MIN }, 'page for app:pacs');
    const page = alerts.firing.find(isPacsPage)!;
    // Every check fails from the fault on, so the first evaluation with a final minute of the outage
    // pages, as of that minute's end — well within the 1h/5m rule's short window. Rollups are final
    // 2 min 10 s behind the clock (watermark lag, a window, the allowed lateness): the minute from
    // the fault is evaluated at the first step past fault + 3 min 10 s.
    expect(page.startsAt).toBe(faultAt + MIN);
    expect(pipeline.clock()).toBe(faultAt + 4 * MIN);
    expect(page.rules.map((r) => `${r.longWindow}/${r.shortWindow}`)).toContain('1h/5m');
    // Healthy applications do not page.
    expect(alerts.firing.filter((a) => a.scope === 'app:epr')).toEqual([]);

    // The configured notifier delivered the page (a request on this machine, not simulated time).
    await until(async () => (receiver.bodies().some((d) => d.status === 'firing' && d.alert.fingerprint === page.fingerprint) ? true : undefined), 10_000, 'the page delivered to the webhook');

    // The burn rates behind the page: this young pipeline has seen nothing but the outage, so every
    // check in both windows failed — 1 ÷ (1 − 0.995) = 200× — and the budget is 199 budgets overspent.
    type Slo = { slo: string; scope: string; window: string; errorBudgetRemaining: number; severity: string | null; burnRates: Record<string, number>; firing: Array<{ severity: string; burnRate: number; longWindow: string; shortWindow: string }> };
    const pacs = (await get<Slo[]>('/api/slos')).find((s) => s.slo === 'app-availability' && s.scope === 'app:pacs')!;
    expect(pacs.severity).toBe('page');
    expect(pacs.window).toBe('28d');
    expect(pacs.firing.map((f) => `${f.severity} ${f.longWindow}/${f.shortWindow}`)).toContain('page 1h/5m');
    expect(pacs.burnRates['5m']).toBeCloseTo(200, 6);
    expect(pacs.burnRates['1h']).toBeCloseTo(200, 6);
    expect(pacs.errorBudgetRemaining).toBeCloseTo(-199, 6);

    const now = pipeline.clock();
    const created = await fetch(`${pipeline.url}/api/silences`, {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ kind: 'silence', matchers: { scope: 'app:pacs' }, startsAt: now, endsAt: now + 3_600_000, comment: 'known outage', createdBy: 'service desk' }),
    });
    expect(created.status).toBe(201);
    const { id: silenceId } = (await created.json()) as { id: string };
    // Silenced as of now: shown at once, without another evaluation.
    const silenced = (await get<AlertsResponse>('/api/alerts')).firing.find((a) => a.fingerprint === page.fingerprint)!;
    expect(silenced.silencedBy).toBe(silenceId);
    // The silence holds through the next evaluations: the page still fires, recorded, and silenced.
    await pipeline.advance(2 * MIN);
    expect((await get<AlertsResponse>('/api/alerts')).firing.find((a) => a.fingerprint === page.fingerprint)?.silencedBy).toBe(silenceId);
    expect((await fetch(`${pipeline.url}/api/silences/${silenceId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${pipeline.url}/api/silences/${silenceId}`, { method: 'DELETE' })).status).toBe(404);
  }, 60_000);

  it.each([
    ['not JSON', 'silence please', /JSON silence/],
    ['no end', JSON.stringify({ kind: 'silence', matchers: { scope: 'site:*' }, startsAt: 1 }), /^invalid silence: endsAt: must be epoch milliseconds$/],
    ['ends before it starts', JSON.stringify({ startsAt: 5_000, endsAt: 1_000 }), /^invalid silence: endsAt: must be after startsAt$/],
    ['an id of its own (the server names silences)', JSON.stringify({ id: 'x', matchers: { scope: 'site:RXX01' }, startsAt: 1, endsAt: 2 }), /^id: is set by the server/],
    ['an unknown severity', JSON.stringify({ matchers: { severity: 'urgent' }, startsAt: 1, endsAt: 2 }), /matchers\.severity: must be one of/],
    ['not an object', '[1]', /^invalid silence: the silence: /],
  ])('refuses a bad silence (%s) with a message', async (_name, body, message) => {
    const response = await fetch(`${pipeline.url}/api/silences`, { method: 'POST', headers: JSON_BODY, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it('names a silence posted without an id, so that it can be deleted', async () => {
    const now = pipeline.clock();
    // A minute of simulated time, which stands still until the test advances it.
    const response = await fetch(`${pipeline.url}/api/silences`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify({ kind: 'maintenance', matchers: { scope: 'site:*' }, startsAt: now, endsAt: now + MIN }) });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get<AlertsResponse>('/api/alerts')).silences.map((x) => x.id)).toContain(id);
    expect((await fetch(`${pipeline.url}/api/silences/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses to start with a bad SLO file, naming the field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wardwatch-slo-')), 'slos.yaml');
    writeFileSync(file, 'slos:\n  - name: broken\n    indicator: availability\n    objective: 1.5\n    window: 28d\n');
    await expect(startTestPipeline({ sloFile: file })).rejects.toThrow(/slos\[0\]\.objective/);
  });

  it('exports SLI counters (final windows only, never going back), budgets and burn rates to Prometheus', async () => {
    // The counters and /api/slos come from the same evaluation (none runs between steps): over a step
    // the counter rises by exactly the valid events the 28-day budget gained, the newly final minutes'.
    const read = async () => {
      const text = await (await fetch(`${pipeline.url}/metrics`)).text();
      const counter = (name: string) => Number(new RegExp(`^${name}\\{slo="app-availability",scope="app:pacs"\\} (\\d+)$`, 'm').exec(text)?.[1]);
      const slo = (await get<Array<{ slo: string; scope: string; validEvents: number }>>('/api/slos')).find((s) => s.slo === 'app-availability' && s.scope === 'app:pacs')!;
      return { text, events: counter('wardwatch_sli_events_total'), good: counter('wardwatch_sli_good_events_total'), budgetValid: slo.validEvents };
    };
    const first = await read();
    expect(first.events).toBeGreaterThan(0);
    await pipeline.advance(5 * MIN);
    const later = await read();
    expect(later.events - first.events).toBeGreaterThan(0);
    expect(later.events - first.events).toBe(later.budgetValid - first.budgetValid);
    // Every check of the outage fails: no good events, ever.
    expect(later.good).toBe(0);
    const gauge = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(later.text)?.[1]);
    expect(gauge('wardwatch_slo_burn_rate{slo="app-availability",scope="app:pacs",window="5m"}')).toBeCloseTo(200, 6);
    expect(gauge('wardwatch_slo_error_budget_remaining{slo="app-availability",scope="app:pacs"}')).toBeCloseTo(-199, 6);
  });
});
