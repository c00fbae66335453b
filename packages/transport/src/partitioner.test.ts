import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './partitioner.ts';

describe("Kafka's default partitioner", () => {
  // Reference values from Kafka's own Utils.murmur2 test vectors.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %i', (key, expected) => {
    expect(murmur2(new TextEncoder().encode(key))).toBe(expected);
  });

  it('spreads keys over partitions and keeps a key on one partition', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, i) => partitionForKey(`RXX${i}`, 12)));
    expect(seen.size).toBe(12);
    expect(partitionForKey('RXX01', 12)).toBe(partitionForKey('RXX01', 12));
  });

  it("places a key as Kafka's formula does, asked once or again, and after more keys than it keeps", () => {
    const kafka = (key: string, n: number) => (murmur2(new TextEncoder().encode(key)) & 0x7fffffff) % n;
    const keys = ['21', 'foobar', 'lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', 'RXX01', 'Ünïcödé site'];
    for (const key of keys) for (const n of [1, 3, 12, 100]) expect(partitionForKey(key, n)).toBe(kafka(key, n));
    for (let i = 0; i < 70_000; i++) partitionForKey(`site-${i}`, 12);
    for (const key of keys) for (const n of [1, 3, 12, 100]) expect(partitionForKey(key, n)).toBe(kafka(key, n));
    expect(partitionForKey('site-69999', 7)).toBe(kafka('site-69999', 7));
  });
});
