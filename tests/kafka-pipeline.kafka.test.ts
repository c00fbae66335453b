// wardwatch on a real Kafka broker: the round trip to the API, processors sharing partitions with
// exact totals through a hand-over, and the dead-letter topic.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestResult, SiteDetail, SiteSummary, TelemetryEvent } from '@wardwatch/schema';
import { hashIngestToken, newIngestToken, type DeadLetterPage } from '@wardwatch/server';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { PostgresRollupStore } from '@wardwatch/store';
import { encodeEvents, runProcessor, runServer, runSimulate, topicLayout, topicSpecs } from '@wardwatch/cli';
import { BROKERS, countedAppChecks, isolation, kafkaArgs, knownEvents, POSTGRES, silent, withStore } from './helpers/kafka-pipeline.ts';
import { until } from './helpers/sse.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!().catch(() => {});
});

async function dropSchema(schema: string) {
  const store = await PostgresRollupStore.open({ connectionString: POSTGRES, schema });
  await store.dropSchema();
  await store.close();
}

describe('wardwatch on Kafka', () => {
  it('round trip: simulator → Kafka → processor → status topic → server API shows the injected fault', async () => {
    const { prefix, storeUrl, schema } = isolation();
    stops.push(() => dropSchema(schema));
    const common = { topicPrefix: prefix, storeUrl };
    const processor = await runProcessor(kafkaArgs('processor', common), silent, {}, { watermarkLagMs: 10_000, allowedLatenessMs: 60_000 });
    stops.push(() => processor.stop());
    const server = await runServer(kafkaArgs('server', common), silent, {});
    stops.push(() => server.stop());
    // Forty simulated minutes, starting an hour ago, at 300× (eight wall seconds), WAN fault at one site.
    const simulate = await runSimulate(
      kafkaArgs('simulate', { ...common, speed: 300, minutes: 40, from: Date.now() - 3_600_000, scenario: 'site-wan-congested', sites: 4 }),
      silent,
      {},
    );
    stops.push(() => simulate.stop());
    const degraded = await until(async () => {
      const response = await fetch(`${server.url}/api/sites`);
      const sites = (await response.json()) as SiteSummary[];
      return sites.length === 4 ? sites.find((s) => s.status === 'degraded' || s.status === 'down') : undefined;
    }, 60_000, 'a degraded site in the server API');
    expect(degraded.reason).toMatch(/app p95|availability/);
    const sites = (await (await fetch(`${server.url}/api/sites`)).json()) as SiteSummary[];
    expect(sites.filter((s) => s.status === 'ok')).toHaveLength(3);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ mode: 'kafka', role: 'server' });
  }, 120_000);

  it('two servers on one store, as behind a load balancer: a silence made or lifted through one holds on the other within seconds', async () => {
    const { prefix, storeUrl, schema } = isolation();
    stops.push(() => dropSchema(schema));
    const one = await runServer(kafkaArgs('server', { topicPrefix: prefix, storeUrl, clientId: 'test-server-one' }), silent, {});
    stops.push(() => one.stop());
    const two = await runServer(kafkaArgs('server', { topicPrefix: prefix, storeUrl, clientId: 'test-server-two' }), silent, {});
    stops.push(() => two.stop());
    const silencesAt = async (server: { url?: string }) => ((await (await fetch(`${server.url}/api/alerts`)).json()) as { silences: Array<{ id: string }> }).silences.map((s) => s.id);
    const made = await fetch(`${one.url}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: { scope: 'site:RXX01' }, startsAt: Date.now(), endsAt: Date.now() + 3_600_000, comment: 'WAN link swap' }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    // Read from the store every 5 s: there well within 20.
    await until(async () => ((await silencesAt(two)).includes(id) ? true : undefined), 20_000, 'the silence on the second server');
    expect((await fetch(`${one.url}/api/silences/${id}`, { method: 'DELETE' })).status).toBe(204);
    await until(async () => ((await silencesAt(two)).length === 0 ? true : undefined), 20_000, 'the silence lifted on the second server');
  }, 60_000);

  it('the Kafka server takes agents’ events with a device token through Kafka to the processor, and refuses the rest', async () => {
    const { prefix, storeUrl, schema } = isolation();
    stops.push(() => dropSchema(schema));
    const token = newIngestToken();
    const tokens = join(mkdtempSync(join(tmpdir(), 'ww-kafka-tokens-')), 'tokens.yaml');
    writeFileSync(tokens, `tokens:\n  - { device: "RXX09-W01-T1", sha256: "${hashIngestToken(token)}" }\n`);
    const common = { topicPrefix: prefix, storeUrl };
    const processor = await runProcessor(kafkaArgs('processor', common), silent, {}, { windowMs: 10_000, watermarkLagMs: 1_000, allowedLatenessMs: 5_000 });
    stops.push(() => processor.stop());
    const server = await runServer(kafkaArgs('server', { ...common, ingestTokens: tokens }), silent, {});
    stops.push(() => server.stop());

    // Two minutes of an agent's application checks, and one event claiming another device.
    const start = Date.now() - 120_000;
    const event = (device: string, i: number): TelemetryEvent => ({
      v: 1, id: randomUUID(), seq: start + i, ts: start + i * 10_000, trust: 'RXX', site: 'RXX09', ward: 'W01', device,
      kind: 'app', body: { app: 'epr', ok: true, totalMs: 400 + i, source: 'synthetic' },
    });
    const events = [...Array.from({ length: 12 }, (_, i) => event('RXX09-W01-T1', i)), event('RXX09-W01-OTHER', 0)];
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(events) });

    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    const accepted = await post({ authorization: `Bearer ${token}` });
    expect(accepted.status).toBe(202);
    const result = (await accepted.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 12, rejected: 1, rejections: [{ index: 12, reason: 'device-mismatch' }] });

    const device = await until(async () => {
      const response = await fetch(`${server.url}/api/sites/RXX09`);
      if (!response.ok) return undefined;
      const found = ((await response.json()) as SiteDetail).devices.find((d) => d.id === 'RXX09-W01-T1');
      return found && found.figures.appChecks > 0 ? found : undefined;
    }, 60_000, 'the token-holding device in the API, through Kafka and the processor');
    expect(device.ward).toBe('W01');
    const detail = (await (await fetch(`${server.url}/api/sites/RXX09`)).json()) as SiteDetail;
    expect(detail.devices.map((d) => d.id)).not.toContain('RXX09-W01-OTHER');
  }, 120_000);

  it('two processors share the partitions; stopping one hands its partitions over: 0 lost, 0 counted twice', async () => {
    const { prefix, storeUrl, schema } = isolation();
    stops.push(() => dropSchema(schema));
    const topics = topicLayout(prefix);
    const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
    stops.push(() => transport.close());
    await transport.ensureTopics(topicSpecs(topics, 4));
    const producer = transport.producer();

    const from = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000; // whole minutes: windows align
    const { events, closing, appChecks } = knownEvents(from, 30);
    const half = Math.floor(events.length / 2);
    const config = { idleAdvanceMs: 600_000, checkpointIntervalMs: 200 };
    const a = await runProcessor(kafkaArgs('processor', { topicPrefix: prefix, storeUrl, clientId: 'proc-a' }), silent, {}, config);
    const b = await runProcessor(kafkaArgs('processor', { topicPrefix: prefix, storeUrl, clientId: 'proc-b' }), silent, {}, config);
    stops.push(() => b.stop());

    await producer.send(topics.telemetry, encodeEvents(events.slice(0, half)));
    // Both members take part (their own metrics say so), then one goes away mid-stream.
    const eventsIn = async (url: string) => Number(/wardwatch_events_in_total\{source="kafka"\} (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    await until(async () => ((await eventsIn(a.url!)) > 0 && (await eventsIn(b.url!)) > 0 ? true : undefined), 30_000, 'both processors counting');
    const countedByA = await eventsIn(a.url!);
    await a.stop();
    await producer.send(topics.telemetry, encodeEvents(events.slice(half)));
    await producer.send(topics.telemetry, encodeEvents(closing));

    const counted = await until(
      () => withStore(storeUrl, async (store) => {
        const n = await countedAppChecks(store, from, from + 30 * 60_000);
        return n >= appChecks ? n : undefined;
      }),
      90_000,
      `${appChecks} application checks in the store`,
    );
    // Settle, then check nothing more arrives (a double count would push it past the total).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const final = await withStore(storeUrl, (store) => countedAppChecks(store, from, from + 30 * 60_000));
    expect(counted).toBe(appChecks);
    expect(final).toBe(appChecks);
    expect(countedByA).toBeLessThan(events.length); // A had only part of the stream
    // B has caught up: its lag is zero on every partition it read.
    const lags = [...(await (await fetch(`${b.url}/metrics`)).text()).matchAll(/wardwatch_consumer_lag_records\{[^}]*\} (\d+)/g)].map((m) => Number(m[1]));
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((n) => n === 0)).toBe(true);
    await producer.close();
  }, 150_000);

  it('dead-letters malformed and schema-invalid records with their reason; the good ones around them count', async () => {
    const { prefix, storeUrl, schema } = isolation();
    stops.push(() => dropSchema(schema));
    const topics = topicLayout(prefix);
    const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
    stops.push(() => transport.close());
    await transport.ensureTopics(topicSpecs(topics, 4));
    const from = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000; // whole minutes: windows align
    const { events, closing, appChecks } = knownEvents(from, 10, 1);
    const encoder = new TextEncoder();
    const bad = [
      { key: 'RXX01', value: encoder.encode('{"v":1,"id":"torn') },
      { key: 'RXX01', value: encoder.encode(JSON.stringify({ ...events[0], seq: 'x' })) },
      { key: 'RXX01', value: encoder.encode(JSON.stringify({ ...events[0], kind: 'mood' })) },
    ];
    const good = encodeEvents(events);
    const producer = transport.producer();
    await producer.send(topics.telemetry, [...good.slice(0, 100), ...bad, ...good.slice(100), ...encodeEvents(closing)]);
    await producer.close();

    const processor = await runProcessor(kafkaArgs('processor', { topicPrefix: prefix, storeUrl }), silent, {}, { idleAdvanceMs: 600_000 });
    stops.push(() => processor.stop());

    const letters: Array<{ reason: string; message: string; original: string; partition: number; offset: string }> = [];
    const dlq = transport.consumer({ groupId: `${prefix}-dlq-reader`, topics: [topics.deadLetter] });
    stops.push(() => dlq.stop());
    await dlq.run(async (batch) => void letters.push(...batch.records.map((r) => JSON.parse(new TextDecoder().decode(r.value)))));
    await until(() => (letters.length >= 3 ? true : undefined), 60_000, 'three dead letters');
    expect(letters.map((l) => l.reason).sort()).toEqual(['malformed-json', 'schema', 'unknown-kind']);
    expect(letters.find((l) => l.reason === 'schema')!.message).toMatch(/^seq:/);
    expect(letters.find((l) => l.reason === 'malformed-json')!.original).toBe('{"v":1,"id":"torn');
    expect(letters.every((l) => l.partition >= 0 && Number(l.offset) >= 0)).toBe(true);

    // A server started now reads what the topic holds: the processor's letters, for GET /api/dead-letters.
    const server = await runServer(kafkaArgs('server', { topicPrefix: prefix, storeUrl }), silent, {});
    stops.push(() => server.stop());
    const page = await until(async () => {
      const read = (await (await fetch(`${server.url}/api/dead-letters`)).json()) as DeadLetterPage;
      return read.kept >= 3 ? read : undefined;
    }, 60_000, 'the three dead letters at the server');
    expect(page.counts).toEqual({ 'malformed-json': 1, schema: 1, 'unknown-kind': 1 });
    expect(page.letters.map((l) => l.original).sort()).toEqual(letters.map((l) => l.original).sort());
    expect(page.letters.every((l) => l.topic === topics.telemetry)).toBe(true);

    const counted = await until(
      () => withStore(storeUrl, async (store) => {
        const n = await countedAppChecks(store, from, from + 10 * 60_000);
        return n >= appChecks ? n : undefined;
      }),
      60_000,
      'the good records counted',
    );
    expect(counted).toBe(appChecks);
  }, 120_000);
});
