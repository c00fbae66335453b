// One partition of the in-process bus: an append-only array with a moving base offset, trimmed
// once every consumer group has committed past a record or the retention bound is reached.
import type { ConsumedRecord, OutgoingRecord } from '../transport.ts';

export class PartitionLog {
  private records: ConsumedRecord[] = [];
  /** Offset of records[0]. */
  private base = 0;

  constructor(private readonly retainRecords: number) {}

  get endOffset(): number {
    return this.base + this.records.length;
  }

  get startOffset(): number {
    return this.base;
  }

  append(record: OutgoingRecord, timestamp: number): void {
    this.records.push({
      key: record.key,
      value: record.value,
      headers: record.headers ?? {},
      offset: String(this.endOffset),
      timestamp,
      logAppendTime: true,
    });
    if (this.records.length > this.retainRecords) this.trimBefore(this.endOffset - this.retainRecords);
  }

  /** Records from `offset` (clamped to what is retained), at most `max`. */
  read(offset: number, max: number): ConsumedRecord[] {
    const from = Math.max(offset, this.base) - this.base;
    return this.records.slice(from, from + max);
  }

  trimBefore(offset: number): void {
    const drop = Math.min(offset - this.base, this.records.length);
    if (drop <= 0) return;
    // splice on a large array is O(n); trimming in chunks keeps the amortised cost low.
    if (drop < 1024 && drop < this.records.length / 4 && offset < this.endOffset) return;
    this.records = this.records.slice(drop);
    this.base += drop;
  }
}
