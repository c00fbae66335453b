// A maintenance window recorded as an annotation holds the pages of what it covers, end to end: the
// embedded pipeline's SLO evaluator (made with the windows, as `wardwatch start` makes it) sends
// nothing to the webhook for an outage during a trust-wide window of the estate's one trust, the alert
// names the window, and once the window is deleted the next evaluation sends the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsResponse, SloAlert } from '@wardwatch/schema';
import { WebhookNotifier, type WebhookPayload } from '@wardwatch/slo';
import type { RunningPipeline } from '@wardwatch/cli';
import { advanceUntil, MIN, startTestPipeline } from './helpers/pipeline.ts';
import { startJsonReceiver, type JsonReceiver } from './helpers/receiver.ts';
import { until } from './helpers/sse.ts';

let pipeline: RunningPipeline;
let receiver: JsonReceiver<WebhookPayload>;

beforeAll(async () => {
  receiver = await startJsonReceiver<WebhookPayload>();
  pipeline = await startTestPipeline({ notifiers: [new WebhookNotifier({ url: `${receiver.url}/hook` })] });
});

afterAll(async () => {
  await pipeline?.stop();
  await receiver?.close();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(pipeline.url + path)).json()) as T;
const isPacsPage = (a: SloAlert) => a.slo === 'app-availability' && a.scope === 'app:pacs' && a.severity === 'page';

describe('a recorded maintenance window and the notifiers', () => {
  it('holds the page of an outage during the window, and sends it at the first evaluation after the window is deleted', async () => {
    const trust = (await get<Array<{ trust: string }>>('/api/sites'))[0]!.trust;
    const recorded = await fetch(`${pipeline.url}/api/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trust, scope: 'trust', kind: 'maintenance', title: 'PACS upgrade', start: pipeline.clock(), end: pipeline.clock() + 3 * 60 * MIN }),
    });
    expect(recorded.status).toBe(201);
    const { id } = (await recorded.json()) as { id: string };

    pipeline.simulator!.injectFault('app-down', { target: 'pacs', at: pipeline.clock() });
    const held = await advanceUntil(pipeline, async () => (await get<AlertsResponse>('/api/alerts')).firing.find(isPacsPage), { withinMs: 15 * MIN }, 'page for app:pacs');
    expect(held.silencedBy).toBe(id);
    expect(held.notifiedAt).toBeNull();
    // Two more evaluations under the window: still nothing sent.
    await pipeline.advance(2 * MIN);
    expect(receiver.bodies().filter((b) => b.alert.scope === 'app:pacs')).toEqual([]);
    expect((await get<AlertsResponse>('/api/alerts')).maintenance!.map((w) => w.id)).toEqual([id]);

    expect((await fetch(`${pipeline.url}/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get<AlertsResponse>('/api/alerts')).firing.find(isPacsPage)!.silencedBy).toBeNull();
    await pipeline.advance(MIN);
    const sent = await until(() => receiver.bodies().find((b) => b.status === 'firing' && b.alert.fingerprint === held.fingerprint), 10_000, 'the page at the webhook');
    expect(sent.alert.silencedBy).toBeNull();
  }, 120_000);
});
