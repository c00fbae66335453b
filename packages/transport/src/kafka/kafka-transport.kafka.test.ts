// The Kafka transport against a real broker (started by tests/setup/kafka.global.ts).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract.ts';
import { KafkaTransport } from './kafka-transport.ts';

const brokers = (process.env.WARDWATCH_TEST_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const quiet = { log: () => {} };
const unique = (base: string) => `test.${base}.${randomUUID().slice(0, 8)}`;

describe('Kafka test environment', () => {
  it('has a broker address from the global setup', () => {
    expect(brokers.length).toBeGreaterThan(0);
  });
});

describeTransportContract(
  'Kafka',
  async () => {
    // One suffix per test: names are fresh per test, and stable within it (members share a group).
    const id = randomUUID().slice(0, 8);
    return { transport: new KafkaTransport({ brokers, ...quiet }), topic: (b: string) => `test.${b}.${id}`, group: (b: string) => `test.${b}.${id}` };
  },
  30_000,
);

describe('Kafka transport', () => {
  it('sends without kafkajs\u2019s start-up warnings (the partitioner named, retries limited on purpose)', async () => {
    const lines: string[] = [];
    const transport = new KafkaTransport({ brokers, log: (level, message) => lines.push(`${level}: ${message}`) });
    const topic = unique('quiet');
    try {
      await transport.ensureTopics([{ name: topic, partitions: 4 }]);
      const producer = transport.producer();
      await producer.send(topic, [{ key: 'RXX01', value: new TextEncoder().encode('x') }]);
      expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    } finally {
      await transport.close();
    }
  });

  it('starts a partition at an offset stored outside Kafka', async () => {
    const transport = new KafkaTransport({ brokers, ...quiet });
    const topic = unique('seek');
    try {
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      const producer = transport.producer();
      await producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: new TextEncoder().encode(String(i)) })));
      const seen: string[] = [];
      const consumer = transport.consumer({ groupId: unique('seek-group'), topics: [topic], startOffset: async () => '7' });
      await consumer.run(async (batch) => void seen.push(...batch.records.map((r) => new TextDecoder().decode(r.value))));
      const deadline = Date.now() + 30_000;
      while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual(['7', '8', '9']);
      await consumer.stop();
      await producer.close();
    } finally {
      await transport.close();
    }
  }, 60_000);

  it('refuses a compacted topic that is not compacted', async () => {
    const transport = new KafkaTransport({ brokers, ...quiet });
    const topic = unique('policy');
    try {
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      await expect(transport.ensureTopics([{ name: topic, partitions: 1, compacted: true }])).rejects.toThrow(/cleanup.policy=delete, expected compact/);
    } finally {
      await transport.close();
    }
  }, 30_000);

  it('says which brokers it could not reach', async () => {
    const transport = new KafkaTransport({ brokers: ['127.0.0.1:1'], retries: 0, connectionTimeoutMs: 500, ...quiet });
    const error = await transport.ensureTopics([{ name: 'x', partitions: 1 }]).catch((e) => e);
    expect(error.name).toBe('TransportError');
    expect(error.message).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1/);
    expect(error.retriable).toBe(true);
  }, 30_000);
});
