// Kafka's default partitioner (murmur2 of the key, positive, modulo the partition count), so that the
// in-process bus and Kafka put a site on the same partition number.

export function murmur2(data: Uint8Array): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  const length = data.length;
  let h = seed ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

const encoder = new TextEncoder();

/**
 * Each key's positive hash, kept: every telemetry record is placed by its site (on the in-process
 * bus) and checked against its partition (by the processor), and an estate has a few sites to its
 * thousands of events a minute — encoding the key and hashing it again for each was 3–4 % of a
 * start's backfill. Bounded: a stream of ever-new keys empties it rather than growing it.
 */
const hashes = new Map<string, number>();
const HASHES_KEPT = 65_536;

export function partitionForKey(key: string, partitionCount: number): number {
  let hash = hashes.get(key);
  if (hash === undefined) {
    if (hashes.size >= HASHES_KEPT) hashes.clear();
    hash = murmur2(encoder.encode(key)) & 0x7fffffff;
    hashes.set(key, hash);
  }
  return hash % partitionCount;
}
