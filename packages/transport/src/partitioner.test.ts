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
});
