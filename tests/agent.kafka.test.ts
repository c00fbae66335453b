// The agent delivering straight to Kafka, for workstations that can reach the brokers: its events land
// on the telemetry topic keyed by site, valid against the contract, against the real broker.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent, parseAgentConfig } from '@wardwatch/agent';
import { TelemetryEvent, topicName } from '@wardwatch/schema';
import type { ConsumedRecord } from '@wardwatch/transport';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { BROKERS } from './helpers/kafka-pipeline.ts';
import { until } from './helpers/sse.ts';

describe('agent → Kafka', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('sends its spooled measurements to the telemetry topic, keyed by site', async () => {
    const prefix = `test-agent-${randomUUID().slice(0, 8)}`;
    const topic = topicName('telemetry', prefix);
    const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
    cleanups.push(() => transport.close());
    await transport.ensureTopics([{ name: topic, partitions: 4 }]);

    const target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => target.close(resolve)));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;

    const config = parseAgentConfig(`
identity: { trust: RXX, site: RXX03, ward: W02, device: RXX03-W02-KAFKA }
delivery: { kafka: { brokers: [${BROKERS.map((b) => `"${b}"`).join(', ')}], topicPrefix: ${prefix} }, flushInterval: 1s }
spool: { dir: "${mkdtempSync(join(tmpdir(), 'ww-agent-kafka-'))}" }
checks: [{ app: epr, url: "${targetUrl}", interval: 1s }]
collect: { logon: { enabled: false }, wifi: { enabled: false }, health: { interval: 1s } }
marks: { port: 0 }
`);
    const agent = await Agent.start(config, { log: () => {} });
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : agent.stop()));

    const records: ConsumedRecord[] = [];
    const consumer = transport.consumer({ groupId: `${prefix}-reader`, topics: [topic], fromBeginning: true });
    cleanups.push(() => consumer.stop());
    await consumer.run(async (batch) => {
      records.push(...batch.records);
    });
    await until(() => (records.length >= 6 ? true : undefined), 60_000, 'six of the agent’s events on the topic');

    await agent.stop();
    stopped = true;
    const events = records.map((r) => TelemetryEvent.parse(JSON.parse(new TextDecoder().decode(r.value))));
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(['RXX03']));
    expect(new Set(events.map((e) => e.device))).toEqual(new Set(['RXX03-W02-KAFKA']));
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['app', 'health']));
    expect(events.filter((e) => e.kind === 'app').every((e) => e.kind === 'app' && e.body.ok && e.body.app === 'epr')).toBe(true);
    // One spool, one sender: ids are unique and seq only grows.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(agent.status().delivery.sent).toBeGreaterThanOrEqual(6);
  }, 90_000);
});
