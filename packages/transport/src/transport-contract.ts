// The behaviour every Transport must show, as one vitest suite run against each implementation
// (the in-process bus here, Kafka in the kafka tests). Not exported from the package entry: it
// imports vitest.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsumedRecord, Consumer, Transport } from './transport.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string) => encoder.encode(s);

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function describeTransportContract(
  name: string,
  create: () => Promise<{ transport: Transport; topic: (base: string) => string; group: (base: string) => string }>,
  timeoutMs = 10_000,
): void {
  describe(`${name}: transport contract`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      while (cleanup.length > 0) await cleanup.pop()!();
    });

    async function setup(partitions = 4) {
      const ctx = await create();
      const topic = ctx.topic('contract');
      await ctx.transport.ensureTopics([{ name: topic, partitions }]);
      cleanup.push(() => ctx.transport.close());
      return { ...ctx, topicName: topic };
    }

    it('delivers every record once, in order per key', async () => {
      const { transport, topicName, group } = await setup();
      const producer = transport.producer();
      const sent = Array.from({ length: 200 }, (_, i) => ({ key: `site-${i % 5}`, value: bytes(`${i % 5}:${i}`) }));
      await producer.send(topicName, sent);
      const received: ConsumedRecord[] = [];
      const consumer = transport.consumer({ groupId: group('order'), topics: [topicName] });
      cleanup.push(() => consumer.stop());
      await consumer.run(async (batch) => void received.push(...batch.records));
      await until(() => received.length >= 200, timeoutMs, '200 records');
      expect(received).toHaveLength(200);
      for (let k = 0; k < 5; k++) {
        const seq = received.filter((r) => r.key === `site-${k}`).map((r) => Number(decoder.decode(r.value).split(':')[1]));
        expect(seq).toEqual([...seq].sort((a, b) => a - b));
        expect(seq).toHaveLength(40);
      }
      await producer.close();
    }, timeoutMs * 2);

    it('redelivers a batch whose handler failed, and commits it once handled', async () => {
      const { transport, topicName, group } = await setup(1);
      const producer = transport.producer();
      await producer.send(topicName, [{ key: 'k', value: bytes('only') }]);
      let attempts = 0;
      const errors: unknown[] = [];
      const consumer = transport.consumer({
        groupId: group('retry'),
        topics: [topicName],
        onHandlerError: (error) => errors.push(error),
      });
      cleanup.push(() => consumer.stop());
      await consumer.run(async () => {
        attempts++;
        if (attempts === 1) throw new Error('store unavailable');
      });
      await until(() => attempts >= 2, timeoutMs, 'redelivery');
      expect(errors).toHaveLength(1);
      await consumer.stop();
      // A new member of the same group starts after the committed offset: nothing comes again.
      let again = 0;
      const second = transport.consumer({ groupId: group('retry'), topics: [topicName] });
      cleanup.push(() => second.stop());
      await second.run(async (batch) => void (again += batch.records.length));
      await producer.send(topicName, [{ key: 'k', value: bytes('next') }]);
      await until(() => again >= 1, timeoutMs, 'the next record');
      expect(again).toBe(1);
    }, timeoutMs * 3);

    it('shares partitions among the members of a group', async () => {
      const { transport, topicName, group } = await setup(4);
      const seen = new Map<string, Set<number>>();
      const members: Consumer[] = [];
      let total = 0;
      for (const member of ['a', 'b']) {
        seen.set(member, new Set());
        const consumer = transport.consumer({ groupId: group('share'), topics: [topicName] });
        members.push(consumer);
        cleanup.push(() => consumer.stop());
        await consumer.run(async (batch) => {
          seen.get(member)!.add(batch.partition);
          total += batch.records.length;
        });
      }
      const producer = transport.producer();
      // Keep producing until both members have had a batch: group joins take a while on Kafka.
      const deadline = Date.now() + timeoutMs;
      let produced = 0;
      while ((seen.get('a')!.size === 0 || seen.get('b')!.size === 0) && Date.now() < deadline) {
        await producer.send(topicName, Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: bytes('x') })));
        produced += 40;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await until(() => total >= produced, timeoutMs, 'all records');
      const a = seen.get('a')!;
      const b = seen.get('b')!;
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a].filter((p) => b.has(p))).toEqual([]);
      expect(total).toBe(produced);
    }, timeoutMs * 3);

    it('refuses a topic whose partition count differs', async () => {
      const { transport, topicName } = await setup(4);
      await expect(transport.ensureTopics([{ name: topicName, partitions: 2 }])).rejects.toThrow(/partitions/);
    });
  });
}
