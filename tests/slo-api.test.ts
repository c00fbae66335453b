// SLOs and alerts served by the embedded pipeline: an application outage burns its availability
// budget, pages, can be silenced through the API (the record is kept), and shows in /metrics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNotifier, type AlertsResponse, type WebhookPayload } from '@wardwatch/slo';
import type { RunningPipeline } from '@wardwatch/cli';
import { startTestPipeline } from './helpers/pipeline.ts';
import { startJsonReceiver, type JsonReceiver } from './helpers/receiver.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
// A webhook receiver on 127.0.0.1: what the configured notifier actually delivered.
let receiver: JsonReceiver<WebhookPayload>;

beforeAll(async () => {
  receiver = await startJsonReceiver<WebhookPayload>();
  const webhook = new WebhookNotifier({ url: `${receiver.url}/hook` });
  pipeline = await startTestPipeline({ sloIntervalMs: 300, notifiers: [webhook] });
  pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: pipeline.clock() });
});

afterAll(async () => {
  await pipeline?.stop();
  await receiver?.close();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(pipeline.url + path)).json()) as T;
// Writes are JSON or refused (415): see docs/security.md.
const JSON_BODY = { 'content-type': 'application/json' };

describe('SLO API', () => {
  it('pages on an application outage within a few simulated minutes, and a silence keeps the record', async () => {
    const startedAt = pipeline.clock();
    const alerts = await until(async () => {
      const body = await get<AlertsResponse>('/api/alerts');
      return body.firing.some((a) => a.scope === 'app:pacs' && a.severity === 'page') ? body : undefined;
    }, 60_000, 'a page for app:pacs');
    const page = alerts.firing.find((a) => a.scope === 'app:pacs' && a.severity === 'page')!;
    // Within the page rule's 30-minute short window of simulated time: at 600× a few wall seconds of
    // load are minutes of simulated delay, so a tighter bound would judge the machine, not the rules.
    expect(page.startsAt - startedAt).toBeLessThanOrEqual(30 * 60_000);
    // Healthy applications do not page.
    expect(alerts.firing.filter((a) => a.scope === 'app:epr')).toEqual([]);

    // The configured notifier delivered the page.
    await until(async () => (receiver.bodies().some((d) => d.status === 'firing' && d.alert.fingerprint === page.fingerprint) ? true : undefined), 10_000, 'the page delivered to the webhook');

    // The burn rates behind the page exceed its rule in both of the rule's windows. (At 600× the
    // 5-minute window can trail the store by a checkpoint interval, so the rule that fired is read back.)
    type Slo = { slo: string; scope: string; window: string; errorBudgetRemaining: number; severity: string | null; burnRates: Record<string, number>; firing: Array<{ severity: string; burnRate: number; longWindow: string; shortWindow: string }> };
    const pacs = (await get<Slo[]>('/api/slos')).find((s) => s.scope === 'app:pacs' && s.severity === 'page')!;
    expect(pacs.window).toMatch(/^\d+[dh]$/);
    const rule = pacs.firing.find((f) => f.severity === 'page')!;
    expect(pacs.burnRates[rule.longWindow]).toBeGreaterThan(rule.burnRate);
    expect(pacs.burnRates[rule.shortWindow]).toBeGreaterThan(rule.burnRate);
    expect(pacs.errorBudgetRemaining).toBeLessThan(1);

    const now = pipeline.clock();
    const created = await fetch(`${pipeline.url}/api/silences`, {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ kind: 'silence', matchers: { scope: 'app:pacs' }, startsAt: now, endsAt: now + 3_600_000, comment: 'known outage', createdBy: 'service desk' }),
    });
    expect(created.status).toBe(201);
    const { id: silenceId } = (await created.json()) as { id: string };
    await until(async () => {
      const body = await get<AlertsResponse>('/api/alerts');
      const alert = body.firing.find((a) => a.fingerprint === page.fingerprint);
      return alert && (alert as unknown as { silencedBy?: string[] | string | null }).silencedBy ? true : undefined;
    }, 30_000, 'the page marked as silenced');
    expect((await fetch(`${pipeline.url}/api/silences/${silenceId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${pipeline.url}/api/silences/${silenceId}`, { method: 'DELETE' })).status).toBe(404);
  }, 90_000);

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
    // A week of simulated time: the pipeline runs at 600×, so a short silence would expire (and leave
    // the list) before it is read back on a busy machine. The test deletes it.
    const response = await fetch(`${pipeline.url}/api/silences`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify({ kind: 'maintenance', matchers: { scope: 'site:*' }, startsAt: now, endsAt: now + 7 * 86_400_000 }) });
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
    const counted = async () => {
      const text = await (await fetch(`${pipeline.url}/metrics`)).text();
      return { text, value: Number(/wardwatch_sli_events_total\{slo="[^"]+",scope="app:pacs"\} (\d+)/.exec(text)?.[1] ?? 0) };
    };
    const first = await until(async () => {
      const c = await counted();
      return c.value > 0 ? c : undefined;
    }, 30_000, 'SLI events counted for app:pacs');
    const later = await until(async () => {
      const c = await counted();
      return c.value > first.value ? c : undefined;
    }, 30_000, 'the counter to advance');
    const text = later.text;
    expect(text).toMatch(/wardwatch_sli_good_events_total\{slo="[^"]+",scope="app:pacs"\} \d+/);
    expect(text).toMatch(/wardwatch_slo_burn_rate\{slo="[^"]+",scope="app:pacs",window="5m"\} [\d.]+/);
  });
});
