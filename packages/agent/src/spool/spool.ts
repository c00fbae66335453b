// The agent's on-disk spool: a durable, bounded, append-only queue in one directory. Every
// measurement is written here first and only leaves once the delivery loop has acknowledged it.
//
// Layout of the directory:
//   000000000001.seg …   segment files of framed records, oldest first (ids only grow)
//   state.json           the ack cursor and the persisted counters, replaced atomically
//   spool.lock           the pid of the one process that may write here
//
// A record on disk is a frame: length, CRC, append time, payload (spool-frame.ts).
//
// Guarantees:
//   - append() resolves only after the records are written and fdatasync'ed; concurrent appends
//     are group-committed (one write + one fsync for everything queued meanwhile), in call order.
//   - A crash (kill -9, power loss) can leave at most a torn tail in the last segment: a partial
//     header, a partial payload or a frame whose CRC does not match. open() truncates the segment at
//     the first bad frame, fsyncs, and counts it in tornRecordsRecovered. No torn record is ever
//     returned, and records are never duplicated by the spool.
//   - The ack cursor is persisted atomically (temp file, fsync, rename, fsync directory): after a
//     crash the spool restarts either at the old or the new cursor, never in between.
//   - Retention: when the segments hold more than maxBytes, or the newest record of the oldest
//     segment is older than maxAge, whole oldest segments are dropped (oldest data goes first).
//     Unacknowledged records lost that way are added to droppedRecords, which is persisted with the
//     cursor before the files are removed. Segments are sealed at segmentBytes, and also once their
//     first record is maxAge/8 old, so age retention is never more than maxAge/8 late. A batch that
//     was peeked and is being sent when its segment is dropped is counted as dropped even if its
//     delivery then succeeds (its late ack is a no-op): the counter can overstate by that batch.
//   - stats() reflects an acknowledgement only once it is durable.
//   - One writer at a time: spool.lock holds the owner's pid; a lock naming a live process is
//     refused (SpoolLockedError), a lock of a dead process is taken over (spool-lock.ts).
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from './durable-file.ts';
import { encodeFrame, frames, frameText, frameTime, HEADER_BYTES } from './spool-frame.ts';
import { acquireLock, releaseLock } from './spool-lock.ts';

/** Position in the spool: the first byte after a record. Opaque to callers; compare with cursorCompare. */
export interface SpoolCursor {
  /** Segment id. */
  readonly segment: number;
  /** Byte offset in the segment, always at a frame boundary. */
  readonly offset: number;
  /** Number of records in the segment before `offset`. */
  readonly index: number;
}

export interface SpoolRecord {
  data: string;
  /** When the record was appended, epoch ms (the spool's clock). */
  appendedAt: number;
  /** Cursor just after this record: acknowledging it acknowledges this record and everything before. */
  next: SpoolCursor;
}

export interface SpoolBatch {
  records: SpoolRecord[];
  /** Cursor after the last record; undefined when the batch is empty. */
  cursor: SpoolCursor | undefined;
  /** Sum of the payload bytes in the batch. */
  bytes: number;
}

export interface SpoolStats {
  /** Records appended and not yet acknowledged (nor dropped). */
  pendingRecords: number;
  /** On-disk bytes (frames) of those records. */
  pendingBytes: number;
  /** Unacknowledged records lost to retention (size or age), over the spool's whole life. */
  droppedRecords: number;
  /** Torn or corrupt tails truncated on open, over the spool's whole life (one per truncation). */
  tornRecordsRecovered: number;
  /** Segment files on disk. */
  segments: number;
  /** Bytes of all segment files (acknowledged parts included). */
  diskBytes: number;
  /** Append time of the first record of the oldest segment holding pending records (segment granularity). */
  oldestPendingAt?: number;
}

export interface SpoolOptions {
  /** Upper bound for the segment files together (default 64 MiB: days of measurements at default cadence). */
  maxBytes?: number;
  /** Records older than this (by append time) are dropped, whole segments at a time (default 7 days). */
  maxAgeMs?: number;
  /** A segment is sealed and a new one started once it reaches this size (default 4 MiB, at most maxBytes/4). */
  segmentBytes?: number;
  /** Largest record accepted (default 8 MiB); also the sanity bound when reading frames. */
  maxRecordBytes?: number;
  /** Clock for append times and age retention (default Date.now). */
  clock?: () => number;
  /** Called when retention drops records or a torn tail is truncated. */
  onLoss?: (event: { kind: 'dropped' | 'torn'; records: number; bytes: number; segment: number; reason: string }) => void;
}

export class SpoolCorruptError extends Error {
  override readonly name = 'SpoolCorruptError';
}

export const DEFAULT_SPOOL_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

const STATE_FILE = 'state.json';
const SEGMENT_SUFFIX = '.seg';

interface Segment {
  id: number;
  path: string;
  /** Durable bytes: everything before this offset is fsynced and made of whole, checked frames. */
  size: number;
  /** Records in [0, size). */
  count: number;
  firstAt: number;
  lastAt: number;
}

interface PersistedState {
  version: 1;
  cursor: SpoolCursor;
  droppedRecords: number;
  droppedBytes: number;
  tornRecordsRecovered: number;
}

interface QueuedAppend {
  frames: Buffer;
  count: number;
  firstAt: number;
  lastAt: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function cursorCompare(a: SpoolCursor, b: SpoolCursor): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}

function segmentName(id: number): string {
  return `${String(id).padStart(12, '0')}${SEGMENT_SUFFIX}`;
}

export class Spool {
  private readonly segments: Segment[] = [];
  private cursor: SpoolCursor;
  private droppedRecords = 0;
  private droppedBytes = 0;
  private tornRecordsRecovered = 0;
  private nextId: number;
  /** Append handle of the last segment while it is still being written; undefined when sealed. */
  private active: { segment: Segment; handle: FileHandle } | undefined;
  private queue: QueuedAppend[] = [];
  private flushing = false;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly segmentBytes: number;
  private readonly maxRecordBytes: number;
  private readonly clock: () => number;

  private constructor(
    readonly dir: string,
    private readonly options: SpoolOptions,
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SPOOL_MAX_AGE_MS;
    this.segmentBytes = Math.max(1024, Math.min(options.segmentBytes ?? DEFAULT_SEGMENT_BYTES, Math.floor(this.maxBytes / 4)));
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.clock = options.clock ?? Date.now;
    this.cursor = { segment: 1, offset: 0, index: 0 };
    this.nextId = 1;
  }

  /** Opens (creating if needed) the spool in `dir`: takes the lock, recovers torn tails, applies retention. */
  static async open(dir: string, options: SpoolOptions = {}): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    acquireLock(dir);
    const spool = new Spool(dir, options);
    try {
      await spool.recover();
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
    return spool;
  }

  /**
   * Appends records; resolves once they are durable (written and fsynced). Appends made while a
   * write is in progress are committed together with one fsync, in the order they were called.
   */
  append(records: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the spool is closed'));
    if (records.length === 0) return Promise.resolve();
    const now = this.clock();
    const frames: Buffer[] = [];
    for (const record of records) {
      const frame = encodeFrame(record, now);
      if (frame.length - HEADER_BYTES > this.maxRecordBytes) {
        return Promise.reject(new RangeError(`a record of ${frame.length - HEADER_BYTES} bytes exceeds the spool's limit of ${this.maxRecordBytes}`));
      }
      frames.push(frame);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ frames: Buffer.concat(frames), count: records.length, firstAt: now, lastAt: now, resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Up to maxRecords records (and about maxBytes of payload; at least one record whatever its size)
   * from the ack cursor, or from `from` when it is further on. Nothing is removed: ack() does that.
   */
  peek(maxRecords: number, maxBytes: number, from?: SpoolCursor): Promise<SpoolBatch> {
    return this.exclusive(() => this.read(maxRecords, maxBytes, from));
  }

  /** Acknowledges every record up to `cursor` (from peek): they will not be returned again, even after a restart. */
  ack(cursor: SpoolCursor): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) throw new Error('the spool is closed');
      if (cursorCompare(cursor, this.cursor) <= 0) return; // already acknowledged, or dropped meanwhile
      const segment = this.segments.find((s) => s.id === cursor.segment);
      if (!segment || cursor.offset > segment.size || cursor.index > segment.count) {
        throw new RangeError(`ack of a cursor the spool never handed out: ${JSON.stringify(cursor)}`);
      }
      // Durable first, then visible: stats() never reports an acknowledgement a crash could undo.
      const next = { segment: cursor.segment, offset: cursor.offset, index: cursor.index };
      await this.persist(next);
      this.cursor = next;
      await this.collect(false);
    });
  }

  /** Applies size and age retention now (it also runs after every append and on open); returns the records dropped. */
  enforceRetention(): Promise<number> {
    return this.exclusive(() => this.retain());
  }

  stats(): SpoolStats {
    let pendingRecords = 0;
    let pendingBytes = 0;
    let diskBytes = 0;
    let oldestPendingAt: number | undefined;
    for (const segment of this.segments) {
      diskBytes += segment.size;
      if (segment.id < this.cursor.segment) continue;
      const atCursor = segment.id === this.cursor.segment;
      const records = segment.count - (atCursor ? this.cursor.index : 0);
      pendingRecords += records;
      pendingBytes += segment.size - (atCursor ? this.cursor.offset : 0);
      if (records > 0 && oldestPendingAt === undefined) oldestPendingAt = segment.firstAt;
    }
    return {
      pendingRecords,
      pendingBytes,
      droppedRecords: this.droppedRecords,
      tornRecordsRecovered: this.tornRecordsRecovered,
      segments: this.segments.length,
      diskBytes,
      ...(oldestPendingAt !== undefined ? { oldestPendingAt } : {}),
    };
  }

  /** Waits for queued appends, closes the files and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.drainAppends();
    await this.exclusive(async () => {
      this.closed = true;
      await this.active?.handle.close();
      this.active = undefined;
    });
    releaseLock(this.dir);
  }

  // ---------------------------------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async drainAppends(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) await this.exclusive(async () => {});
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    void this.exclusive(() => this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const taken = this.queue;
        this.queue = [];
        try {
          if (this.closed) throw new Error('the spool is closed');
          await this.writeDurably(taken);
          for (const item of taken) item.resolve();
        } catch (error) {
          for (const item of taken) item.reject(error as Error);
          continue;
        }
        try {
          await this.retain();
        } catch {
          // Retention is retried after the next append; the records themselves are safe.
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeDurably(items: QueuedAppend[]): Promise<void> {
    // Seal by size, and by age so that age retention (whole segments) stays within maxAge/8 of exact.
    const current = this.active?.segment;
    if (current && (current.size >= this.segmentBytes || (current.count > 0 && items[0]!.firstAt - current.firstAt > this.maxAgeMs / 8))) {
      await this.seal();
    }
    if (!this.active) await this.startSegment();
    const { segment, handle } = this.active!;
    const buffer = items.length === 1 ? items[0]!.frames : Buffer.concat(items.map((i) => i.frames));
    try {
      let written = 0;
      while (written < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, written, buffer.length - written, segment.size + written);
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      // Leave no half-written frames behind the durable end; start afresh in a new segment.
      await handle.truncate(segment.size).catch(() => {});
      await handle.close().catch(() => {});
      this.active = undefined;
      throw error;
    }
    if (segment.count === 0) segment.firstAt = items[0]!.firstAt;
    segment.size += buffer.length;
    for (const item of items) segment.count += item.count;
    segment.lastAt = items[items.length - 1]!.lastAt;
  }

  private async startSegment(): Promise<void> {
    const id = this.nextId++;
    const path = join(this.dir, segmentName(id));
    const handle = await open(path, 'wx');
    await fsyncDir(this.dir); // the new name must survive a crash too
    const segment: Segment = { id, path, size: 0, count: 0, firstAt: 0, lastAt: 0 };
    this.segments.push(segment);
    this.active = { segment, handle };
    if (this.pendingIsEmptyBefore(id)) {
      // Nothing unacknowledged before this segment: keep the cursor at its start.
      this.cursor = { segment: id, offset: 0, index: 0 };
    }
  }

  private pendingIsEmptyBefore(id: number): boolean {
    return !this.segments.some((s) => s.id < id && s.id >= this.cursor.segment && (s.id !== this.cursor.segment || this.cursor.index < s.count));
  }

  private async seal(): Promise<void> {
    if (!this.active) return;
    await this.active.handle.close();
    this.active = undefined;
    await this.collect(false);
  }

  /**
   * Moves a cursor that sits at the end of a sealed segment to the start of the next one, persists the
   * cursor when asked (or when it moved), then deletes the segments wholly before it.
   */
  private async collect(persist: boolean): Promise<void> {
    let moved = false;
    for (;;) {
      const at = this.segments.find((s) => s.id === this.cursor.segment);
      const sealed = at && this.active?.segment !== at;
      if (!at || !sealed || this.cursor.offset < at.size) break;
      const next = this.segments.find((s) => s.id > at.id);
      this.cursor = next ? { segment: next.id, offset: 0, index: 0 } : { segment: this.nextId, offset: 0, index: 0 };
      moved = true;
      if (!next) break;
    }
    if (persist || moved) await this.persist();
    const obsolete = this.segments.filter((s) => s.id < this.cursor.segment);
    for (const segment of obsolete) {
      await rm(segment.path, { force: true });
      this.segments.splice(this.segments.indexOf(segment), 1);
    }
  }

  private async persist(cursor: SpoolCursor = this.cursor): Promise<void> {
    const state: PersistedState = {
      version: 1,
      cursor,
      droppedRecords: this.droppedRecords,
      droppedBytes: this.droppedBytes,
      tornRecordsRecovered: this.tornRecordsRecovered,
    };
    await writeFileAtomic(this.dir, STATE_FILE, `${JSON.stringify(state)}\n`);
  }

  /** Drops whole oldest segments while over maxBytes or while the oldest is past maxAge. */
  private async retain(): Promise<number> {
    let dropped = 0;
    const now = this.clock();
    for (;;) {
      const oldest = this.segments[0];
      if (!oldest) break;
      const total = this.segments.reduce((sum, s) => sum + s.size, 0);
      const overSize = total > this.maxBytes;
      const tooOld = oldest.count > 0 && now - oldest.lastAt > this.maxAgeMs;
      if (!overSize && !tooOld) break;
      if (oldest.count === 0 && this.active?.segment === oldest) break;
      const atCursor = oldest.id === this.cursor.segment;
      const beforeCursor = oldest.id < this.cursor.segment;
      const records = beforeCursor ? 0 : oldest.count - (atCursor ? this.cursor.index : 0);
      const bytes = beforeCursor ? 0 : oldest.size - (atCursor ? this.cursor.offset : 0);
      if (this.active?.segment === oldest) {
        await this.active.handle.close();
        this.active = undefined;
      }
      this.droppedRecords += records;
      this.droppedBytes += bytes;
      dropped += records;
      const next = this.segments[1];
      if (cursorCompare(this.cursor, { segment: next?.id ?? this.nextId, offset: 0, index: 0 }) < 0) {
        this.cursor = { segment: next?.id ?? this.nextId, offset: 0, index: 0 };
      }
      // The counter and cursor are durable before the data goes.
      await this.persist();
      await rm(oldest.path, { force: true });
      this.segments.shift();
      if (records > 0) {
        this.options.onLoss?.({ kind: 'dropped', records, bytes, segment: oldest.id, reason: overSize ? `over maxBytes (${this.maxBytes})` : `older than maxAge (${this.maxAgeMs} ms)` });
      }
    }
    return dropped;
  }

  private async read(maxRecords: number, maxBytes: number, from?: SpoolCursor): Promise<SpoolBatch> {
    if (this.closed) throw new Error('the spool is closed');
    const start = from && cursorCompare(from, this.cursor) > 0 ? from : this.cursor;
    const records: SpoolRecord[] = [];
    let bytes = 0;
    let last: SpoolCursor | undefined;
    for (const segment of this.segments) {
      if (records.length >= maxRecords || (records.length > 0 && bytes >= maxBytes)) break;
      if (segment.id < start.segment) continue;
      const offset = segment.id === start.segment ? start.offset : 0;
      let index = segment.id === start.segment ? start.index : 0;
      if (offset >= segment.size) continue;
      const handle = await open(segment.path, 'r');
      try {
        for await (const step of frames(handle, offset, segment.size, this.maxRecordBytes)) {
          if (step.kind === 'bad') throw new SpoolCorruptError(`${segment.path}: ${step.reason} at offset ${step.offset} (the file changed on disk after it was checked)`);
          index += 1;
          last = { segment: segment.id, offset: step.end, index };
          records.push({ data: frameText(step.frame), appendedAt: frameTime(step.frame), next: last });
          bytes += step.frame.length - HEADER_BYTES;
          if (records.length >= maxRecords || bytes >= maxBytes) break;
        }
      } finally {
        await handle.close();
      }
    }
    return { records, cursor: last, bytes };
  }

  private async recover(): Promise<void> {
    const state = await this.loadState();
    const ids = (await readdir(this.dir))
      .filter((name) => name.endsWith(SEGMENT_SUFFIX) && /^\d+\.seg$/.test(name))
      .map((name) => Number.parseInt(name, 10))
      .sort((a, b) => a - b);
    // Remove leftovers of an interrupted atomic write or lock take-over.
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
    }
    let cursor = state?.cursor ?? { segment: ids[0] ?? 1, offset: 0, index: 0 };
    this.droppedRecords = state?.droppedRecords ?? 0;
    this.droppedBytes = state?.droppedBytes ?? 0;
    this.tornRecordsRecovered = state?.tornRecordsRecovered ?? 0;
    let stateChanged = false;
    for (const id of ids) {
      const path = join(this.dir, segmentName(id));
      if (id < cursor.segment) {
        // Fully acknowledged or dropped before a crash could delete it.
        await rm(path, { force: true });
        continue;
      }
      const segment = await this.scan(id, path);
      if (segment.torn) {
        this.tornRecordsRecovered += 1;
        stateChanged = true;
      }
      this.segments.push(segment.segment);
    }
    this.nextId = Math.max(cursor.segment, ids[ids.length - 1] ?? 0) + 1;
    // Make the cursor point at an existing segment (or the next one to be created), at a record boundary.
    const at = this.segments.find((s) => s.id === cursor.segment);
    if (!at) {
      const next = this.segments.find((s) => s.id > cursor.segment);
      cursor = { segment: next?.id ?? this.nextId, offset: 0, index: 0 };
      stateChanged = stateChanged || state !== undefined;
    } else if (cursor.offset > at.size || cursor.index > at.count) {
      // Acknowledged data cannot be torn (acks cover only fsynced records); clamp if it somehow is.
      cursor = { segment: at.id, offset: at.size, index: at.count };
      stateChanged = true;
    }
    this.cursor = cursor;
    // Continue writing into the last segment when it has room; it was fsynced by scan() if truncated.
    const last = this.segments[this.segments.length - 1];
    if (last && last.size < this.segmentBytes) {
      this.active = { segment: last, handle: await open(last.path, 'r+') };
    }
    await this.collect(stateChanged || state === undefined);
    await this.retain();
  }

  private async scan(id: number, path: string): Promise<{ segment: Segment; torn: boolean }> {
    const handle = await open(path, 'r+');
    try {
      const { size: fileSize } = await handle.stat();
      const segment: Segment = { id, path, size: 0, count: 0, firstAt: 0, lastAt: 0 };
      let reason: string | undefined;
      for await (const step of frames(handle, 0, fileSize, this.maxRecordBytes)) {
        if (step.kind === 'bad') {
          reason = step.reason;
          break;
        }
        const at = frameTime(step.frame);
        if (segment.count === 0) segment.firstAt = at;
        segment.lastAt = at;
        segment.count += 1;
        segment.size = step.end;
      }
      if (reason !== undefined) {
        const offset = segment.size;
        const lostBytes = fileSize - offset;
        await handle.truncate(offset);
        await handle.sync();
        this.options.onLoss?.({ kind: 'torn', records: 1, bytes: lostBytes, segment: id, reason: `${reason} at offset ${offset}` });
      }
      return { segment, torn: reason !== undefined };
    } finally {
      await handle.close();
    }
  }

  private async loadState(): Promise<PersistedState | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, STATE_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const state = JSON.parse(text) as PersistedState;
      if (state.version !== 1 || typeof state.cursor?.segment !== 'number') throw new Error('unknown layout');
      return state;
    } catch (error) {
      // Written atomically, so this is not a torn write but a damaged or foreign file: refuse to guess.
      throw new SpoolCorruptError(`${join(this.dir, STATE_FILE)} is unreadable (${(error as Error).message}); move it away to start the spool from its oldest record`);
    }
  }
}

/** Size of the segment files of a spool directory, without opening it (for diagnostics). */
export async function spoolDiskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.endsWith(SEGMENT_SUFFIX)) total += (await stat(join(dir, name))).size;
  }
  return total;
}
