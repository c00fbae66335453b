import { describe, expect, it } from 'vitest';
import { InProcessBus } from './bus.ts';
import { PartitionLog } from './partition-log.ts';

const bytes = (n: number) => new Uint8Array(n);

describe('PartitionLog byte budget', () => {
  it('drops the oldest records past its byte budget, counts them, and keeps reading from what is left', () => {
    const log = new PartitionLog(200_000, 10_000);
    for (let i = 0; i < 4; i++) log.append({ key: 'k', value: bytes(2_999) }, 0); // 3,000 bytes each with the key
    expect(log.bytes).toBe(12_000 - 3_000 * 1); // the fourth went over: the oldest left (down to ≤ 9,000)
    expect(log.dropped).toBe(1);
    expect(log.startOffset).toBe(1);
    expect(log.read(0, 10).map((r) => r.offset)).toEqual(['1', '2', '3']);
  });

  it('lets one large record go at once, and always keeps the newest', () => {
    const log = new PartitionLog(200_000, 10_000);
    for (let i = 0; i < 3; i++) log.append({ key: 'k', value: bytes(999) }, 0);
    log.append({ key: 'k', value: bytes(5_000_000) }, 0);
    expect(log.read(0, 10).map((r) => r.offset)).toEqual(['3']);
    expect(log.dropped).toBe(3);
    log.append({ key: 'k', value: bytes(999) }, 0);
    expect(log.read(0, 10).map((r) => r.offset)).toEqual(['4']);
    expect(log.bytes).toBe(1_000);
    expect(log.dropped).toBe(4);
  });

  it.each([
    ['values', { key: 'k', value: bytes(100) }, 101],
    ['headers', { key: 'key', value: bytes(10), headers: { reason: 'malformed-json' } }, 3 + 10 + 6 + 14],
  ])('counts %s in what a record holds', (_name, record, size) => {
    const log = new PartitionLog(200_000);
    log.append(record, 0);
    log.append(record, 0);
    expect(log.bytes).toBe(2 * size);
  });

  it('keeps a long run of small records within budget without counting reads as drops', () => {
    const log = new PartitionLog(200_000, 50_000);
    for (let i = 0; i < 100_000; i++) {
      log.append({ key: 'k', value: bytes(99) }, 0);
      expect(log.bytes).toBeLessThanOrEqual(50_000);
    }
    expect(log.dropped).toBe(log.startOffset);
    const dropped = log.dropped;
    expect(dropped).toBeGreaterThan(99_000);
    log.trimBefore(log.endOffset); // every group has read it all: a trim, not a drop
    expect(log.bytes).toBe(0);
    expect(log.dropped).toBe(dropped);
  });

  it('has no byte bound unless given one', () => {
    const log = new PartitionLog(200_000);
    for (let i = 0; i < 20; i++) log.append({ key: 'k', value: bytes(1_000_000) }, 0);
    expect(log.dropped).toBe(0);
    expect(log.bytes).toBe(20_000_020);
  });
});

describe('InProcessBus byte budget per topic', () => {
  it('bounds the topics named, and only those', async () => {
    const bus = new InProcessBus({ retainBytes: { dlq: 1_000_000 } });
    await bus.ensureTopics([{ name: 'dlq', partitions: 1 }, { name: 'telemetry', partitions: 2 }]);
    const producer = bus.producer();
    const big = Array.from({ length: 61 }, (_, i) => ({ key: `k${i}`, value: bytes(100_000) }));
    await producer.send('dlq', big);
    await producer.send('telemetry', big);
    const dlq = bus.retention('dlq');
    expect(dlq.bytes).toBeLessThanOrEqual(1_000_000);
    expect(dlq.records + dlq.dropped).toBe(61);
    expect(dlq.dropped).toBeGreaterThan(50);
    expect(bus.retention('telemetry')).toMatchObject({ records: 61, dropped: 0 });
    await bus.close();
  });
});
