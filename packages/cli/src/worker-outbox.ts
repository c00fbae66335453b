// What the processor thread tells the main thread most often — statuses read, each batch's counts,
// consumer lag — gathered and sent together: a round of the demo is a dozen partitions' batches, each
// with its counts and lag, and a message apiece was most of what the thread spent on messages. Sent a
// turn of the event loop later, or at once when the oldest has waited `maxDelayMs` (a long
// run of batches, such as a spool of late corrections, still shows its progress in /metrics as it
// goes), and always before any other message (`post`), which may answer a request the main thread is
// waiting on: it then finds every count and status that came before the answer.
import type { LiveEdge, ScopeStatus } from '@wardwatch/schema';
import type { FromWorker } from './processor-thread.ts';

type BatchCounts = Extract<FromWorker, { type: 'batch' }>['counts'];

/** `counts` added into `into` (counts summed, rejections by reason, clock skews one after another). */
export function addBatchCounts(into: BatchCounts, counts: BatchCounts): void {
  into.accepted += counts.accepted;
  into.late += counts.late;
  into.corrected += counts.corrected;
  into.tooLate += counts.tooLate;
  into.duplicates += counts.duplicates;
  into.seqResets += counts.seqResets;
  for (const [reason, n] of Object.entries(counts.rejected)) into.rejected[reason] = (into.rejected[reason] ?? 0) + n;
  if (counts.clockSkewsMs) (into.clockSkewsMs ??= []).push(...counts.clockSkewsMs);
}

export class WorkerOutbox {
  private statuses: ScopeStatus[] = [];
  private edges: LiveEdge[] = [];
  private counts: BatchCounts | undefined;
  /** Lag by topic and partition: the latest to send, and the last sent (an unchanged lag is not sent again). */
  private readonly lags = new Map<string, { topic: string; partition: number; records: number; sent?: number }>();
  private lagsMoved = false;
  private deferred = false;
  /** When the oldest thing gathered came (undefined: nothing gathered). */
  private pendingSince: number | undefined;

  constructor(
    private readonly send: (message: FromWorker) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly maxDelayMs = 50,
    private readonly defer: (run: () => void) => void = setImmediate,
  ) {}

  /** Statuses and live edges read from the status topic. */
  addStatuses(statuses: readonly ScopeStatus[], edges: readonly LiveEdge[] = []): void {
    for (const status of statuses) this.statuses.push(status);
    for (const edge of edges) this.edges.push(edge);
    this.later();
  }

  addBatch(counts: BatchCounts): void {
    if (!this.counts) this.counts = { accepted: 0, late: 0, corrected: 0, tooLate: 0, duplicates: 0, seqResets: 0, rejected: {} };
    addBatchCounts(this.counts, counts);
    this.later();
  }

  setLag(topic: string, partition: number, records: number): void {
    const key = `${topic}/${partition}`;
    const lag = this.lags.get(key);
    if (lag) lag.records = records;
    else this.lags.set(key, { topic, partition, records });
    this.lagsMoved = true;
    this.later();
  }

  /** Sends what is gathered, then `message`. */
  post(message: FromWorker): void {
    this.flush();
    this.send(message);
  }

  /** Sends what is gathered: the counts first, then lags that moved, then the statuses. */
  flush(): void {
    this.pendingSince = undefined;
    if (this.counts) {
      this.send({ type: 'batch', counts: this.counts });
      this.counts = undefined;
    }
    if (this.lagsMoved) {
      this.lagsMoved = false;
      for (const lag of this.lags.values()) {
        if (lag.records === lag.sent) continue;
        lag.sent = lag.records;
        this.send({ type: 'lag', topic: lag.topic, partition: lag.partition, records: lag.records });
      }
    }
    if (this.statuses.length > 0 || this.edges.length > 0) {
      // Live edges only when there are some: a message as it was for a round that has none.
      this.send(this.edges.length > 0 ? { type: 'statuses', statuses: this.statuses, edges: this.edges } : { type: 'statuses', statuses: this.statuses });
      this.statuses = [];
      this.edges = [];
    }
  }

  private later(): void {
    const now = this.now();
    this.pendingSince ??= now;
    if (now - this.pendingSince >= this.maxDelayMs) {
      this.flush();
      return;
    }
    if (this.deferred) return;
    this.deferred = true;
    this.defer(() => {
      this.deferred = false;
      this.flush();
    });
  }
}
