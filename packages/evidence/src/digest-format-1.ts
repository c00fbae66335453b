// Device digests, format 1 (the first byte 1): as first shipped, kept so that digests written before
// format 2 still read. Nothing writes it any more except the tests that hold old rows readable; a
// compaction that merges into such a digest rewrites it in the current format.
//
// The bytes: a format byte, the number of days, then per day its offset in whole days from the
// month's start, a bit set of the metrics present, their counts as valid, valid − good and good − fast
// (mostly 0: a byte), bins as a first key and steps to the next, each with its count, and the minutes
// in tenths. LEB128 varints throughout, signed ones zig-zagged. About 68 bytes a device-day.
import { DIGEST_BINNED, DIGEST_METRICS, DigestReader, binValueOf, dateNumberOf, dayStartIn, sketchKeyOf, sortedBins, unzigzag, writeVarint as varint, zigzag, type DeviceDay, type DigestVisitor } from './digest-bytes.ts';

export const FORMAT_1 = 1;

export function encodeFormat1(month: number, days: Iterable<DeviceDay>): Uint8Array {
  const out: number[] = [FORMAT_1];
  const sorted = [...days].sort((a, b) => a.day - b.day);
  varint(out, sorted.length);
  const first = dateNumberOf(month);
  for (const d of sorted) {
    varint(out, dateNumberOf(d.day) - first);
    let present = 0;
    DIGEST_METRICS.forEach((m, i) => {
      if (d.metrics.has(m)) present |= 1 << i;
    });
    varint(out, present);
    DIGEST_METRICS.forEach((m, i) => {
      const c = d.metrics.get(m);
      if (!c) return;
      varint(out, c.valid);
      varint(out, zigzag(c.valid - c.good));
      varint(out, zigzag(c.good - c.fast));
      if (!DIGEST_BINNED[i]) return;
      const bins = sortedBins(c.bins);
      varint(out, bins.length);
      let last = 0;
      bins.forEach(([k, n], b) => {
        varint(out, b === 0 ? zigzag(k) : k - last);
        varint(out, n);
        last = k;
      });
    });
    varint(out, Math.round(d.active * 10));
    varint(out, Math.round(d.disrupted * 10));
  }
  return Uint8Array.from(out);
}

/** Walks a format-1 digest (its first byte already checked). */
export function walkFormat1(month: number, bytes: Uint8Array, visitor: DigestVisitor): void {
  const reader = new DigestReader(bytes);
  reader.at = 1;
  const n = reader.varint();
  for (let i = 0; i < n; i++) {
    const offset = reader.varint();
    const wanted = visitor.day(dayStartIn(month, offset));
    const present = reader.varint();
    for (let m = 0; m < DIGEST_METRICS.length; m++) {
      if (!(present & (1 << m))) continue;
      const valid = reader.varint();
      const good = valid - unzigzag(reader.varint());
      const fast = good - unzigzag(reader.varint());
      if (wanted) visitor.counts(m, valid, good, fast);
      if (!DIGEST_BINNED[m]) continue;
      const bins = reader.varint();
      let key = 0;
      for (let b = 0; b < bins; b++) {
        key = b === 0 ? unzigzag(reader.varint()) : key + reader.varint();
        const count = reader.varint();
        if (wanted) visitor.bin(m, binValueOf(key), count, sketchKeyOf(key));
      }
    }
    const active = reader.varint() / 10;
    const disrupted = reader.varint() / 10;
    if (wanted) visitor.minutes(active, disrupted);
  }
}
