// Protobuf's integer encodings, shared by both stored sketch formats (sketch-bytes.ts writes the
// library's protobuf, compact-bytes.ts the compact one): base-128 varints and sint32 zig-zag.

/** Bytes of `v` (a whole number, 0 … 2^53 − 1) as a varint. */
export function varintSize(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** Writes `v` as a varint at `pos`; returns the position after it. Division, not shifts: counts pass 2^32. */
export function writeVarint(out: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    out[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

/** sint32 zig-zag, as protobufjs writes it (an unsigned 32-bit varint); mapping keys lie far inside 32 bits. */
export const zigzag = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0;
export const unzigzag = (z: number): number => (z >>> 1) ^ -(z & 1);
