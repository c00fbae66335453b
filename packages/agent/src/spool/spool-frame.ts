// A spooled record on disk, a frame:
//   u32 BE  payload length
//   u32 BE  CRC32 over (length bytes ‖ append time ‖ payload)
//   f64 BE  append time, epoch ms (when the record entered the spool; drives age retention and
//           lets the delivery loop tell how long a record waited)
//   payload UTF-8 bytes
// and the one walk through a segment file's frames that both reading a batch and recovering a torn
// tail on open use: each frame whole and checked, or where and why the walk stopped.
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/** The bytes before a frame's payload. */
export const HEADER_BYTES = 16;
/** How much of a segment a walk reads at a time (a frame longer than this is read whole). */
const READ_CHUNK = 256 * 1024;

function frameCrc(frame: Buffer): number {
  // Length bytes, then everything after the CRC (time + payload).
  return crc32(frame.subarray(HEADER_BYTES - 8), crc32(frame.subarray(0, 4)));
}

export function encodeFrame(data: string, appendedAt: number): Buffer {
  const payload = Buffer.from(data, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeDoubleBE(appendedAt, 8);
  payload.copy(frame, HEADER_BYTES);
  frame.writeUInt32BE(frameCrc(frame), 4);
  return frame;
}

/** A frame's payload, as the text appended. */
export const frameText = (frame: Buffer): string => frame.toString('utf8', HEADER_BYTES);
/** When a frame's record entered the spool, epoch ms. */
export const frameTime = (frame: Buffer): number => frame.readDoubleBE(8);

/** One step of a walk: a whole frame that checks and the offset just after it, or why the walk stopped and where. */
export type FrameStep = { kind: 'frame'; frame: Buffer; end: number } | { kind: 'bad'; reason: string; offset: number };

/**
 * The frames of a segment file from `offset` (a frame's start) up to `end` (the bytes to trust), in
 * order. Stops at the first that is not whole (a partial header or payload), claims more than
 * `maxRecordBytes`, or fails its CRC, with that as its last step. Reads a chunk at a time.
 */
export async function* frames(handle: FileHandle, offset: number, end: number, maxRecordBytes: number): AsyncGenerator<FrameStep> {
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = offset;
  while (offset < end) {
    let rel = offset - bufStart;
    if (rel + HEADER_BYTES > buf.length) {
      if (end - offset < HEADER_BYTES) {
        yield { kind: 'bad', reason: 'partial header', offset };
        return;
      }
      buf = await readAt(handle, offset, Math.min(READ_CHUNK, end - offset));
      bufStart = offset;
      rel = 0;
    }
    const length = buf.readUInt32BE(rel);
    const frameLength = HEADER_BYTES + length;
    if (length > maxRecordBytes) {
      yield { kind: 'bad', reason: `impossible length ${length}`, offset };
      return;
    }
    if (offset + frameLength > end) {
      yield { kind: 'bad', reason: 'partial payload', offset };
      return;
    }
    if (rel + frameLength > buf.length) {
      buf = await readAt(handle, offset, Math.max(frameLength, Math.min(READ_CHUNK, end - offset)));
      bufStart = offset;
      rel = 0;
    }
    const frame = buf.subarray(rel, rel + frameLength);
    if (frame.readUInt32BE(4) !== frameCrc(frame)) {
      yield { kind: 'bad', reason: 'CRC mismatch', offset };
      return;
    }
    offset += frameLength;
    yield { kind: 'frame', frame, end: offset };
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}
