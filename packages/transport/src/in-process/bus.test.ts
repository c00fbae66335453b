import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract.ts';
import { InProcessBus } from './bus.ts';

describeTransportContract('in-process bus', async () => ({
  transport: new InProcessBus(),
  topic: (base) => base,
  group: (base) => base,
}));

describe('InProcessBus.caughtUp', () => {
  const record = (key: string) => ({ key, value: new TextEncoder().encode(key) });

  it('resolves once the group has handled every record appended before the call, not before', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: 't', partitions: 3 }]);
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = bus.consumer({ groupId: 'g', topics: ['t'] });
    await consumer.run(async (batch) => {
      await gate; // the handler is busy until released
      for (const r of batch.records) handled.push(r.key!);
    });
    await bus.producer().send('t', ['a', 'b', 'c', 'd'].map(record));
    let caughtUp = false;
    const waiting = bus.caughtUp('g', 't').then(() => (caughtUp = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(caughtUp).toBe(false);
    release();
    await waiting;
    expect(handled.sort()).toEqual(['a', 'b', 'c', 'd']);
    await consumer.stop();
    await bus.close();
  });

  it('resolves at once for a group with nothing left to read, and rejects when the bus closes first', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    await bus.caughtUp('nobody', 't'); // empty topic
    await bus.producer().send('t', [record('x')]);
    const never = bus.caughtUp('nobody', 't');
    await bus.close();
    await expect(never).rejects.toThrow(/closed before the group caught up/);
  });
});
