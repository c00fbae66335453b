// The protobuf stored sketch's bytes, written directly: the library's protobuf message (DDSketch:
// mapping, positive and negative stores, zero count) exactly as protobufjs encodes it, field for field,
// but without building message objects or running its writer per sketch. Rows were written so before
// the compact format (compact-bytes.ts), and a sketch that format cannot hold still is.

import { varintSize, writeVarint, zigzag } from './varint.ts';

/** The bins of one store to encode: `n` counts from `bins[from]`, the first of key `key`. */
export interface StoreSpan {
  bins: ArrayLike<number>;
  from: number;
  n: number;
  key: number;
}

const EMPTY_SPAN: StoreSpan = { bins: [], from: 0, n: 0, key: 0 };
export const emptySpan = (): StoreSpan => EMPTY_SPAN;

/** Protobuf doubles are little-endian: on such a machine a Float64Array's bytes are the wire's. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
let doubles = new Float64Array(256);
let doubleBytes = new Uint8Array(doubles.buffer);

/** Bytes of a Store message's body: packed contiguous counts (when any) and the index offset. */
function storeSize(span: StoreSpan): number {
  const packed = 8 * span.n;
  return (span.n > 0 ? 1 + varintSize(packed) + packed : 0) + 1 + varintSize(zigzag(span.key));
}

function writeStore(out: Buffer, pos: number, tag: number, span: StoreSpan): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, storeSize(span));
  if (span.n > 0) {
    out[pos++] = 0x12; // field 2, length-delimited: contiguousBinCounts, packed doubles
    pos = writeVarint(out, pos, 8 * span.n);
    const { bins, from, n } = span;
    if (LITTLE_ENDIAN) {
      // Through a Float64Array and one copy: writeDoubleLE per bin was most of the encoding's time.
      if (doubles.length < n) {
        doubles = new Float64Array(Math.max(n, 2 * doubles.length));
        doubleBytes = new Uint8Array(doubles.buffer);
      }
      for (let i = 0; i < n; i++) doubles[i] = bins[from + i]!;
      out.set(doubleBytes.subarray(0, 8 * n), pos);
      pos += 8 * n;
    } else {
      for (let i = 0; i < n; i++) pos = out.writeDoubleLE(bins[from + i]!, pos);
    }
  }
  out[pos++] = 0x18; // field 3, varint: contiguousBinIndexOffset (sint32)
  return writeVarint(out, pos, zigzag(span.key));
}

/**
 * The message for `mapping` (its encoded field, written once by the caller with the library) and the
 * two stores and zero count. Byte for byte what protobufjs gives for the same message (tested).
 */
export function writeSketchBytes(mappingField: Uint8Array, positive: StoreSpan, negative: StoreSpan, zeroCount: number): Uint8Array {
  const pSize = storeSize(positive);
  const nSize = storeSize(negative);
  const size = mappingField.length + 1 + varintSize(pSize) + pSize + 1 + varintSize(nSize) + nSize + 9;
  // protobufjs in Node finishes into Buffer.allocUnsafe too: the same kind of bytes as before.
  const out = Buffer.allocUnsafe(size);
  out.set(mappingField, 0);
  let pos = writeStore(out, mappingField.length, 0x12, positive); // field 2: positiveValues
  pos = writeStore(out, pos, 0x1a, negative); // field 3: negativeValues
  out[pos++] = 0x21; // field 4, 64-bit: zeroCount
  out.writeDoubleLE(zeroCount, pos);
  return out;
}
