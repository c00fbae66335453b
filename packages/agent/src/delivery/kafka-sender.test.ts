// The Kafka sender over a scripted Producer (no broker): records keyed by site with the event as
// JSON, and TransportError classification. Not tested against a real broker.
import { TransportError, type OutgoingRecord, type Producer } from '@wardwatch/transport';
import { expect, it } from 'vitest';
import { KafkaSender } from './kafka-sender.ts';
import { netEvent } from './testdata/events.ts';

class FakeProducer implements Producer {
  sent: Array<{ topic: string; records: OutgoingRecord[] }> = [];
  fail: Error | undefined;
  closed = false;
  async send(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (this.fail) throw this.fail;
    this.sent.push({ topic, records });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

it('produces one record per event, keyed by site, and classifies failures', async () => {
  const producer = new FakeProducer();
  const sender = new KafkaSender({ producer, topic: 'wardwatch.telemetry.v1' });
  const events = [netEvent(0, 1_750_000_000_000), { ...netEvent(1, 1_750_000_000_000), site: 'site-b', buffered: true }];
  expect(await sender.send(events)).toEqual({ kind: 'delivered', accepted: 2, rejections: [] });
  expect(producer.sent[0]!.topic).toBe('wardwatch.telemetry.v1');
  expect(producer.sent[0]!.records.map((r) => r.key)).toEqual(['site-a', 'site-b']);
  expect(JSON.parse(new TextDecoder().decode(producer.sent[0]!.records[1]!.value))).toEqual(events[1]);

  producer.fail = new TransportError('connect ECONNREFUSED 127.0.0.1:19092', true);
  expect(await sender.send(events)).toMatchObject({ kind: 'retryable' });
  producer.fail = new TransportError('SASL authentication failed', false);
  expect(await sender.send(events)).toMatchObject({ kind: 'fatal', reason: 'auth' });
  producer.fail = new TransportError('The request included a message larger than the max message size the server will accept: Message too large', false);
  expect(await sender.send(events)).toMatchObject({ kind: 'too-large' });
  await sender.close();
  expect(producer.closed).toBe(false); // not owned unless closeProducer
});
