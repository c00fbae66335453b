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

    it('shares partitions among the members of a group, losing nothing', async () => {
      const { transport, topicName, group } = await setup(4);
      const owned = new Map<string, Set<number>>();
      const received = new Set<string>();
      const members: Consumer[] = [];
      for (const member of ['a', 'b']) {
        owned.set(member, new Set());
        const consumer = transport.consumer({
          groupId: group('share'),
          topics: [topicName],
          onAssigned: (assignment) => assignment.forEach((a) => a.partitions.forEach((p) => owned.get(member)!.add(p))),
          onRevoked: (assignment) => assignment.forEach((a) => a.partitions.forEach((p) => owned.get(member)!.delete(p))),
        });
        members.push(consumer);
        cleanup.push(() => consumer.stop());
        await consumer.run(async (batch) => {
          for (const r of batch.records) received.add(decoder.decode(r.value));
        });
      }
      const producer = transport.producer();
      let produced = 0;
      const deadline = Date.now() + timeoutMs;
      // Keep producing while the group settles: joins take a while on Kafka.
      while ((owned.get('a')!.size === 0 || owned.get('b')!.size === 0) && Date.now() < deadline) {
        await producer.send(topicName, Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: bytes(String(produced + i)) })));
        produced += 40;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await producer.send(topicName, Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: bytes(String(produced + i)) })));
      produced += 40;
      await until(() => received.size >= produced, timeoutMs, 'every record');
      const a = owned.get('a')!;
      const b = owned.get('b')!;
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a].filter((p) => b.has(p)), JSON.stringify({ a: [...a], b: [...b] })).toEqual([]);
      expect([...a, ...b].sort()).toEqual([0, 1, 2, 3]);
      expect(received.size).toBe(produced);
    }, timeoutMs * 3);

    it('refuses a topic whose partition count differs', async () => {
      const { transport, topicName } = await setup(4);
      await expect(transport.ensureTopics([{ name: topicName, partitions: 2 }])).rejects.toThrow(/partitions/);
    });
  });
}
