// One partition of the in-process bus: an append-only array with a moving base offset, trimmed
// once every consumer group has committed past a record or a retention bound (records, bytes) is
// reached.
import type { ConsumedRecord, OutgoingRecord } from '../transport.ts';

export class PartitionLog {
  private records: ConsumedRecord[] = [];
  /** Offset of records[0]. */
  private base = 0;
  /** Bytes held: keys, values and headers of the records retained. */
  private held = 0;
  /** Records dropped by a retention bound (records or bytes) rather than read by every group. */
  private droppedRecords = 0;

  constructor(
    private readonly retainRecords: number,
    /** Bytes kept at most; the oldest records go first (the newest is always kept). */
    private readonly retainBytes = Infinity,
  ) {}

  get bytes(): number {
    return this.held;
  }

  get dropped(): number {
    return this.droppedRecords;
  }

  get endOffset(): number {
    return this.base + this.records.length;
  }

  get startOffset(): number {
    return this.base;
  }

  append(record: OutgoingRecord, timestamp: number): void {
    this.held += sizeOf(record);
    this.records.push({
      key: record.key,
      value: record.value,
      headers: record.headers ?? {},
      offset: String(this.endOffset),
      timestamp,
      logAppendTime: true,
    });
    if (this.records.length > this.retainRecords) this.trimBefore(this.endOffset - this.retainRecords, true);
    if (this.held > this.retainBytes) this.trimToBytes();
  }

  /** Records from `offset` (clamped to what is retained), at most `max`. */
  read(offset: number, max: number): ConsumedRecord[] {
    const from = Math.max(offset, this.base) - this.base;
    return this.records.slice(from, from + max);
  }

  trimBefore(offset: number, byRetention = false): void {
    const drop = Math.min(offset - this.base, this.records.length);
    if (drop <= 0) return;
    // splice on a large array is O(n); trimming in chunks keeps the amortised cost low.
    if (drop < 1024 && drop < this.records.length / 4 && offset < this.endOffset) return;
    this.drop(drop, byRetention);
  }

  /**
   * Drops the oldest records until the log holds at most 90 % of its byte budget: the margin makes
   * the O(n) slice rare when records are small, and a large record is let go at once.
   */
  private trimToBytes(): void {
    const target = this.retainBytes * 0.9;
    let freed = 0;
    let n = 0;
    while (n < this.records.length - 1 && this.held - freed > target) freed += sizeOf(this.records[n++]!);
    this.drop(n, true);
  }

  private drop(n: number, byRetention: boolean): void {
    for (let i = 0; i < n; i++) this.held -= sizeOf(this.records[i]!);
    this.records = this.records.slice(n);
    this.base += n;
    if (byRetention) this.droppedRecords += n;
  }
}

/** What a record costs to hold, near enough: its value, key and header bytes (UTF-16 length for strings). */
function sizeOf(record: { key: string | null; value: Uint8Array; headers?: Record<string, string> }): number {
  let n = record.value.byteLength + (record.key?.length ?? 0);
  if (record.headers) for (const name in record.headers) n += name.length + record.headers[name]!.length;
  return n;
}
