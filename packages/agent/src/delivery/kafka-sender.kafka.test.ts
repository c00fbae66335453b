// The Kafka sender against the real broker: events land keyed by site as the JSON the gateway would
// produce, and a record over the broker's size limit comes back as "too large" (the forwarder splits).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import type { TelemetryEvent } from '@wardwatch/schema';
import type { ConsumedRecord } from '@wardwatch/transport';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { KafkaSender } from './kafka-sender.ts';
import { netEvent } from './testdata/events.ts';

const brokers = (process.env.WARDWATCH_TEST_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const transport = new KafkaTransport({ brokers, log: () => {} });
const topic = `test-agent-sender-${randomUUID().slice(0, 8)}.telemetry.v1`;
afterAll(() => transport.close());

it('delivers events keyed by site, and reports a record over the broker limit as too large', async () => {
  await transport.ensureTopics([{ name: topic, partitions: 2 }]);
  const producer = transport.producer();
  const sender = new KafkaSender({ producer, topic, closeProducer: true });
  const events = [netEvent(0, Date.now()), { ...netEvent(1, Date.now()), site: 'site-b', buffered: true }];
  expect(await sender.send(events)).toEqual({ kind: 'delivered', accepted: 2, rejections: [] });

  // The broker's default limit is 1 MiB a batch after compression: random padding does not compress.
  const huge = { ...netEvent(2, Date.now()), padding: randomBytes(2 * 1024 * 1024).toString('base64') } as unknown as TelemetryEvent;
  expect(await sender.send([huge])).toMatchObject({ kind: 'too-large', error: expect.stringMatching(/^produce to .* failed: /) });

  const records: ConsumedRecord[] = [];
  const consumer = transport.consumer({ groupId: `${topic}-reader`, topics: [topic], fromBeginning: true });
  await consumer.run(async (batch) => {
    records.push(...batch.records);
  });
  await expect.poll(() => records.length, { timeout: 30_000 }).toBe(2);
  await consumer.stop();
  await sender.close();
  const byKey = new Map(records.map((r) => [r.key, JSON.parse(new TextDecoder().decode(r.value))]));
  expect(byKey.get('site-a')).toEqual(events[0]);
  expect(byKey.get('site-b')).toEqual(events[1]);
  // Each record says when the device sent it, by the device's clock, for the processor to measure.
  for (const record of records) expect(Number(record.headers['wardwatch-sent-at'])).toBeGreaterThanOrEqual(events[0]!.ts);
}, 60_000);
