// The compact stored sketch: the same bins as the library's protobuf message (sketch-bytes.ts), but
// every count a varint instead of an 8-byte double, and a run of empty bins two bytes — counts in these
// sketches are whole numbers, mostly below 128, and a sketch of a few values has long gaps between
// them, so a bin in use takes a byte or two where every bin took eight.
//
// Layout (every number an unsigned LEB128 varint as protobuf writes them — 7 bits a byte, lowest
// first, the high bit set on all but the last — at most 8 bytes, so below 2^53):
//
//   0x00        format marker. A protobuf message cannot begin with it (its tag would be field 0,
//               which does not exist), and the protobuf encoding always begins with the mapping's
//               tag 0x0a, so the first byte tells the two formats apart.
//   mapping     one byte: which key mapping the keys are of. 0x01 = logarithmic, relative accuracy
//               0.01 (γ = 1.01 / 0.99, key(v) = ⌈log_γ v⌉, bin k's value 2γ^k / (1 + γ)), index
//               offset 0 — the only one written; a reader refuses any other.
//   positive    n, the bins from the lowest key in use to the highest (0: the store is empty; at most
//               2^17 — the keys of every double span ~71,000); when n > 0, the first bin's key as a
//               zig-zag varint (k ≥ 0 → 2k, k < 0 → −2k − 1, as protobuf's sint32), then the n
//               counts in key order, except that a 0 is followed by how many more empty bins follow it
//               (0 4 is five empty bins; 0 0 is one).
//   negative    the same, for the negative values (keys of −v).
//   zero count  the values too close to 0 for a key.
//
// Nothing follows. A sketch whose counts are not all whole numbers from 0 to 2^53 − 1 (a sketch built
// with weights, or one something was subtracted from below zero) is written as the protobuf instead,
// so nothing is ever lost; a sketch of another mapping likewise.

import type { StoreSpan } from './sketch-bytes.ts';
import { unzigzag, writeVarint, zigzag } from './varint.ts';

export const COMPACT_MARKER = 0x00;
/** The mapping byte for the logarithmic mapping of 1 % relative accuracy, index offset 0. */
export const MAPPING_LOG_1PCT = 0x01;
/** The relative accuracy MAPPING_LOG_1PCT stands for. */
export const MAPPING_LOG_1PCT_ACCURACY = 0.01;

const MAX_COUNT = Number.MAX_SAFE_INTEGER; // 2^53 − 1: 8 varint bytes hold it, a double holds it exactly
const MAX_VARINT_BYTES = 8;
/** The most bins a store spans: the 1 % mapping's keys of all doubles span ~71,000. */
const MAX_BINS = 1 << 17;

/** True when the bytes are the compact format (false: the protobuf one, or nothing). */
export const isCompact = (bytes: Uint8Array): boolean => bytes.length > 0 && bytes[0] === COMPACT_MARKER;

/** Sketch bytes up to this many are copied out of the scratch one by one. */
const SMALL_COPY = 64;

/** Written into once per sketch, then copied out at its size (sizing first would walk the counts twice). */
let scratch = new Uint8Array(1 << 14);

/** One store's bytes at `pos`; −1 when a count is not a whole number in 0 … 2^53 − 1. */
function writeStore(out: Uint8Array, pos: number, span: StoreSpan): number {
  const { bins, from, n } = span;
  pos = writeVarint(out, pos, n);
  if (n === 0) return pos;
  pos = writeVarint(out, pos, zigzag(span.key));
  const end = from + n;
  for (let i = from; i < end; i++) {
    const c = bins[i]!;
    if (c === 0) {
      // A run of empty bins: a 0 and how many more.
      let more = 0;
      while (i + 1 < end && bins[i + 1] === 0) i++, more++;
      out[pos++] = 0;
      pos = writeVarint(out, pos, more);
      continue;
    }
    // Most counts: a small whole number, one byte.
    if (c > 0 && c < 0x80 && (c | 0) === c) {
      out[pos++] = c;
      continue;
    }
    if (!(c > 0 && c <= MAX_COUNT && Number.isInteger(c))) return -1;
    pos = writeVarint(out, pos, c);
  }
  return pos;
}

/**
 * The compact bytes of the two stores and the zero count, or null when a count cannot be written as
 * one (the caller writes the protobuf message then).
 */
export function writeCompactBytes(positive: StoreSpan, negative: StoreSpan, zeroCount: number): Uint8Array | null {
  if (!(zeroCount >= 0 && zeroCount <= MAX_COUNT && Number.isInteger(zeroCount))) return null;
  // The most it can take: marker and mapping, two stores of (n, key, counts), the zero count.
  const most = 2 + 2 * (MAX_VARINT_BYTES + 5) + MAX_VARINT_BYTES * (positive.n + negative.n) + MAX_VARINT_BYTES;
  if (scratch.length < most) scratch = new Uint8Array(Math.max(most, 2 * scratch.length));
  const out = scratch;
  out[0] = COMPACT_MARKER;
  out[1] = MAPPING_LOG_1PCT;
  let pos = writeStore(out, 2, positive);
  if (pos < 0) return null;
  pos = writeStore(out, pos, negative);
  if (pos < 0) return null;
  pos = writeVarint(out, pos, zeroCount);
  // Buffer.allocUnsafe, as the protobuf writer and protobufjs give: small ones come from Node's pool.
  const bytes = Buffer.allocUnsafe(pos);
  // Most sketches are a few bytes: copied byte by byte, not through a view of the scratch made for
  // each (that view was a sixteenth of what a window's end allocates).
  if (pos <= SMALL_COPY) for (let i = 0; i < pos; i++) bytes[i] = out[i]!;
  else bytes.set(out.subarray(0, pos));
  return bytes;
}

/**
 * A compact sketch as read: each store's first key, bin count and counts (in `counts[0 … n)`; a plain
 * array, as protobufjs gives the other format's counts, so what reads either sees one kind of array).
 */
export interface CompactStore {
  key: number;
  n: number;
  counts: number[];
}
export interface CompactSketch {
  positive: CompactStore;
  negative: CompactStore;
  zeroCount: number;
}

// Reused by every read: the counts are copied out (into a store, or bins) before the next one.
const read: CompactSketch = {
  positive: { key: 0, n: 0, counts: [] },
  negative: { key: 0, n: 0, counts: [] },
  zeroCount: 0,
};

const corrupt = (bytes: Uint8Array, at: number, what: string) =>
  new Error(`stored sketch (compact format, ${bytes.length} bytes) is corrupt: ${what} at byte ${at}`);

let at = 0;

function readVarint(bytes: Uint8Array, what: string): number {
  const start = at;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (at >= bytes.length) throw corrupt(bytes, start, `it ends inside ${what}`);
    const b = bytes[at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (value > MAX_COUNT) throw corrupt(bytes, start, `${what} is over 2^53`);
      return value;
    }
    scale *= 128;
  }
  throw corrupt(bytes, start, `${what} runs past ${MAX_VARINT_BYTES} bytes`);
}

function readStore(bytes: Uint8Array, into: CompactStore, sign: string): void {
  const nAt = at;
  const n = readVarint(bytes, `the ${sign} store's bin count`);
  into.n = n;
  into.key = 0;
  if (n === 0) return;
  // Not allocated for: a store wider than any mapping's keys is not a sketch.
  if (n > MAX_BINS) throw corrupt(bytes, nAt, `the ${sign} store claims ${n} bins, more than the ${MAX_BINS} any sketch spans`);
  const keyAt = at;
  const z = readVarint(bytes, `the ${sign} store's first key`);
  if (z > 0xffffffff) throw corrupt(bytes, keyAt, `the ${sign} store's first key is outside 32 bits`);
  into.key = unzigzag(z);
  const counts = into.counts;
  while (counts.length < n) counts.push(0);
  for (let i = 0; i < n; i++) {
    const b = at < bytes.length ? bytes[at]! : 0x80;
    if (b === 0) {
      at++;
      const runAt = at;
      const more = readVarint(bytes, `the ${sign} store's run of empty bins`);
      if (more > n - 1 - i) throw corrupt(bytes, runAt, `a run of ${more + 1} empty bins passes the ${sign} store's ${n}`);
      counts.fill(0, i, i + 1 + more);
      i += more;
    } else if (b < 0x80) {
      counts[i] = b;
      at++;
    } else counts[i] = readVarint(bytes, `the ${sign} store's count ${i}`);
  }
}

/**
 * Reads compact bytes (isCompact must hold). The result is reused by the next call. Throws an Error
 * saying what is wrong when the bytes are not a whole compact sketch of the 1 % mapping.
 */
export function readCompactBytes(bytes: Uint8Array): CompactSketch {
  if (bytes.length < 2) throw corrupt(bytes, bytes.length, 'it ends before the mapping byte');
  if (bytes[1] !== MAPPING_LOG_1PCT) {
    throw new Error(`stored sketch (compact format) is of mapping 0x${bytes[1]!.toString(16).padStart(2, '0')}, not one this version reads (0x01: logarithmic, 1 % relative accuracy)`);
  }
  at = 2;
  readStore(bytes, read.positive, 'positive');
  readStore(bytes, read.negative, 'negative');
  read.zeroCount = readVarint(bytes, 'the zero count');
  if (at !== bytes.length) throw corrupt(bytes, at, `${bytes.length - at} bytes follow the zero count`);
  return read;
}
