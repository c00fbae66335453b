// Device digests, format 2 (the first byte 2): what encodeDigest writes. Format 1 spent most of a
// device-day's ~68 bytes on figures that barely move from one day to the next (a device's counts, its
// minutes) and on the logon times' bins (~40 bytes: a byte for each step between keys, a byte for each
// count, though nearly every count is 1). Format 2 writes each figure as its change since the
// device's previous day in the digest, the day's offset and metrics present in one byte, and the bins
// as a bit stream: steps in Exp-Golomb code of the order that suits that day's bins, counts in Elias
// gamma (a count of 1 is one bit). About 38 bytes a device-day on the evidence bench's devices.
//
// The bytes: 2, varint(days); per day:
//   varint(present + 128 × gap)            present: a bit per DIGEST_METRICS index; gap: days skipped
//   per metric present, in DIGEST_METRICS order:
//     varint(zz(valid − its valid on the previous day it was present))
//     varint(2 × zz(slow − previous slow) + (valid ≠ good))       slow = good − fast
//     [varint(zz(valid − good)) when valid ≠ good]
//     binned metrics: varint(4 × bins + k); when bins > 0: varint(zz(first key − previous first key)),
//       then bits, most significant first, padded to a byte: gamma(count) of the first bin, then per
//       further bin EG_k(key − previous key − 1) and gamma(count)
//   varint(zz(active tenths − previous)), varint(zz(disrupted tenths − previous))
// "Previous" values start at 0 in each digest; zz is zig-zag; varints are LEB128.
import { DIGEST_BINNED, DIGEST_METRICS, DigestReader, binValueOf, dateNumberOf, dayStartIn, sketchKeyOf, sortedBins, unzigzag, writeVarint as varint, zigzag, type DeviceDay, type DigestVisitor } from './digest-bytes.ts';

export const FORMAT_2 = 2;
/** The day header keeps the metrics present in its low 7 bits: an eighth metric needs a format 3. */
const PRESENT_SPAN = 128;
if (DIGEST_METRICS.length > 7) throw new Error('device digest format 2 holds at most 7 metrics');

export function encodeFormat2(month: number, days: Iterable<DeviceDay>): Uint8Array {
  const out: number[] = [FORMAT_2];
  const sorted = [...days].sort((a, b) => a.day - b.day);
  varint(out, sorted.length);
  const first = dateNumberOf(month);
  const lastValid = new Array<number>(DIGEST_METRICS.length).fill(0);
  const lastSlow = new Array<number>(DIGEST_METRICS.length).fill(0);
  const lastKey = new Array<number>(DIGEST_METRICS.length).fill(0);
  let lastOffset = -1;
  let lastActive = 0;
  let lastDisrupted = 0;
  for (const d of sorted) {
    const offset = dateNumberOf(d.day) - first;
    if (offset <= lastOffset) throw new Error('device digest: two entries for one day');
    let present = 0;
    DIGEST_METRICS.forEach((m, i) => {
      if (d.metrics.has(m)) present |= 1 << i;
    });
    varint(out, present + PRESENT_SPAN * (offset - lastOffset - 1));
    lastOffset = offset;
    DIGEST_METRICS.forEach((m, i) => {
      const c = d.metrics.get(m);
      if (!c) return;
      const slow = c.good - c.fast;
      varint(out, zigzag(c.valid - lastValid[i]!));
      varint(out, 2 * zigzag(slow - lastSlow[i]!) + (c.valid !== c.good ? 1 : 0));
      if (c.valid !== c.good) varint(out, zigzag(c.valid - c.good));
      lastValid[i] = c.valid;
      lastSlow[i] = slow;
      if (!DIGEST_BINNED[i]) return;
      const bins = mergedKeys(sortedBins(c.bins));
      const k = bestOrder(bins);
      varint(out, 4 * bins.length + k);
      if (bins.length === 0) return;
      varint(out, zigzag(bins[0]![0] - lastKey[i]!));
      lastKey[i] = bins[0]![0];
      const bits = new BitWriter(out);
      bins.forEach(([key, n], b) => {
        if (b > 0) bits.expGolomb(key - bins[b - 1]![0] - 1, k);
        bits.expGolomb(n - 1, 0);
      });
      bits.flush();
    });
    const active = Math.round(d.active * 10);
    const disrupted = Math.round(d.disrupted * 10);
    varint(out, zigzag(active - lastActive));
    varint(out, zigzag(disrupted - lastDisrupted));
    lastActive = active;
    lastDisrupted = disrupted;
  }
  return Uint8Array.from(out);
}

/** Bins in key order with any repeated key added into one, and empty bins left out (nothing to keep). */
function mergedKeys(bins: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [key, n] of bins) {
    if (!Number.isInteger(key)) throw new Error(`device digest: a bin value of ${key} is not a sketch bin`);
    if (n === 0) continue;
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new Error(`device digest: a bin count of ${n} cannot be stored (whole counts only)`);
    const last = out[out.length - 1];
    if (last && last[0] === key) last[1] += n;
    else out.push([key, n]);
  }
  return out;
}

/** Bits of v ≥ 0 in Exp-Golomb code of order k. */
function egBits(v: number, k: number): number {
  const x = v + (1 << k);
  return 2 * (31 - Math.clz32(x)) + 1 - k;
}

/** The Exp-Golomb order (0–3) that writes a day's steps between keys in fewest bits (the lowest on a tie). */
function bestOrder(bins: readonly (readonly [number, number])[]): number {
  let best = 0;
  let bestBits = Infinity;
  for (let k = 0; k < 4; k++) {
    let bits = 0;
    for (let b = 1; b < bins.length; b++) bits += egBits(bins[b]![0] - bins[b - 1]![0] - 1, k);
    if (bits < bestBits) [best, bestBits] = [k, bits];
  }
  return best;
}

class BitWriter {
  private byte = 0;
  private used = 0;
  constructor(private readonly out: number[]) {}

  private bit(b: number): void {
    this.byte = (this.byte << 1) | b;
    if (++this.used === 8) this.flushByte();
  }

  private flushByte(): void {
    this.out.push(this.byte);
    this.byte = 0;
    this.used = 0;
  }

  /** v ≥ 0 in Exp-Golomb code of order k: x = v + 2^k as (bits of x − k − 1) zeros, then x. */
  expGolomb(v: number, k: number): void {
    const x = v + (1 << k);
    const width = 32 - Math.clz32(x);
    for (let i = width - k - 1; i > 0; i--) this.bit(0);
    for (let i = width - 1; i >= 0; i--) this.bit((x >>> i) & 1);
  }

  /** Pads the last byte with zeros. */
  flush(): void {
    if (this.used === 0) return;
    this.byte <<= 8 - this.used;
    this.flushByte();
  }
}

// Each metric's figures on the previous day a walk read (reused: a pack walks 10,000 digests).
const lastValid = new Float64Array(DIGEST_METRICS.length);
const lastSlow = new Float64Array(DIGEST_METRICS.length);
const lastKey = new Float64Array(DIGEST_METRICS.length);

/** Walks a format-2 digest (its first byte already checked). */
export function walkFormat2(month: number, bytes: Uint8Array, visitor: DigestVisitor): void {
  const reader = new DigestReader(bytes);
  reader.at = 1;
  const bits = new BitReader(bytes);
  lastValid.fill(0);
  lastSlow.fill(0);
  lastKey.fill(0);
  let offset = -1;
  let active = 0;
  let disrupted = 0;
  const n = reader.varint();
  for (let i = 0; i < n; i++) {
    const header = reader.varint();
    const present = header % PRESENT_SPAN;
    offset += 1 + (header - present) / PRESENT_SPAN;
    const wanted = visitor.day(dayStartIn(month, offset));
    for (let m = 0; m < DIGEST_METRICS.length; m++) {
      if (!(present & (1 << m))) continue;
      const valid = (lastValid[m] = lastValid[m]! + unzigzag(reader.varint()));
      const slowed = reader.varint();
      const slow = (lastSlow[m] = lastSlow[m]! + unzigzag(Math.floor(slowed / 2)));
      const good = slowed % 2 === 1 ? valid - unzigzag(reader.varint()) : valid;
      if (wanted) visitor.counts(m, valid, good, good - slow);
      if (!DIGEST_BINNED[m]) continue;
      const head = reader.varint();
      const bins = Math.floor(head / 4);
      if (bins === 0) continue;
      const k = head % 4;
      let key = (lastKey[m] = lastKey[m]! + unzigzag(reader.varint()));
      // The codes read in place, the next up to 32 bits left-aligned in `acc`: a code's leading zeros
      // are one Math.clz32 and the code one shift (bit by bit, walking took 2.5 times format 1's time).
      const base = reader.at;
      let at = base;
      let acc = 0;
      let held = 0;
      let used = 0;
      for (let code = 1; code < 2 * bins; code++) {
        // Codes alternate: the first bin's count, then each further bin's step (odd) and count (even).
        const order = code % 2 === 1 ? 0 : k;
        while (held <= 24) {
          acc = (acc | ((at < bytes.length ? bytes[at]! : 0) << (24 - held))) >>> 0;
          held += 8;
          at++;
        }
        const zeros = Math.clz32(acc);
        const width = 2 * zeros + order + 1;
        let v: number;
        if (zeros < 32 && width <= held) {
          v = (acc >>> (32 - width)) - (1 << order);
          acc = width === 32 ? 0 : (acc << width) >>> 0;
          held -= width;
          used += width;
        } else {
          // A code longer than the bits held (a large step or count): read by the slow path.
          bits.start(base, used);
          v = bits.expGolomb(order);
          used = bits.used;
          at = base + (used >> 3);
          held = 0;
          acc = 0;
          if (used % 8 > 0) {
            // The rest of a byte the code ended in; the loop above loads whole bytes after it.
            acc = (bytes[at]! << (24 + (used % 8))) >>> 0;
            held = 8 - (used % 8);
            at++;
          }
        }
        if (code % 2 === 1) {
          if (wanted) visitor.bin(m, binValueOf(key), v + 1, sketchKeyOf(key));
        } else key += v + 1;
      }
      reader.at = base + Math.ceil(used / 8);
      if (reader.at > bytes.length) throw new Error('device digest: truncated');
    }
    active += unzigzag(reader.varint());
    disrupted += unzigzag(reader.varint());
    if (wanted) visitor.minutes(active / 10, disrupted / 10);
  }
}

/** The slow path for a code longer than 32 bits' window: bit by bit from a bit position. */
class BitReader {
  private base = 0;
  used = 0;
  constructor(private readonly bytes: Uint8Array) {}

  start(base: number, used: number): void {
    this.base = base;
    this.used = used;
  }

  expGolomb(order: number): number {
    let z = 0;
    while (this.bit() === 0) {
      if (++z > 31) throw new Error('device digest: a bin field too long');
    }
    let x = 1;
    for (let b = z + order; b > 0; b--) x = x * 2 + this.bit();
    return x - (1 << order);
  }

  private bit(): number {
    const at = this.base + (this.used >> 3);
    if (at >= this.bytes.length) throw new Error('device digest: truncated');
    const b = (this.bytes[at]! >> (7 - (this.used % 8))) & 1;
    this.used++;
    return b;
  }
}
