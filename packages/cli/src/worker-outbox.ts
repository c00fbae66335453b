// What the processor thread tells the main thread most often — statuses read, each batch's counts,
// consumer lag, the answers to the main thread's requests — gathered and sent together, in one
// message: a round of the demo is a dozen partitions' batches, each with its counts and lag, then
// the round's statuses, and a message apiece was most of what the thread spent on messages. Each
// message wakes the main thread, and on a virtual machine a wake-up costs more than what most of
// these messages carry (docs/benchmarks.md, "One message a round"). Sent a turn of the event loop
// later, at once when the oldest has waited `maxDelayMs` (a long run of batches, such as a spool of
// late corrections, still shows its progress in /metrics as it goes), or — while the thread holds it
// for a round still being worked out (`hold`) — when the round is done (`release`); and always before
// any other message (`post`). In the message the counts come first, then lags, statuses and the
// answers last: a caller waiting on an answer then finds every count and status that came before it.
import type { LiveEdge, ScopeStatus } from '@wardwatch/schema';
import type { FromWorker } from './processor-thread.ts';

type Gathered = Extract<FromWorker, { type: 'gathered' }>;
type BatchCounts = NonNullable<Gathered['counts']>;
type Answer = NonNullable<Gathered['done']>[number];

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
  private answers: Answer[] = [];
  private deferred = false;
  /** Holds taken (`hold`) and not yet released: no deferred send meanwhile. */
  private holds = 0;
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

  /** The answer to the main thread's request `id` (its `done`), sent after what was gathered before it. */
  answer(id: number, error?: string): void {
    this.answers.push(error === undefined ? { id } : { id, error });
    this.later();
  }

  /**
   * A round is being worked out (the thread brings its partitions live to a mark): what it gathers
   * waits for `release` instead of the next turn of the event loop (a long round still sends once the
   * oldest has waited `maxDelayMs`, as it gathers more).
   */
  hold(): void {
    this.holds++;
  }

  /** The round is done: what was gathered goes now, in one message. */
  release(): void {
    if (this.holds > 0) this.holds--;
    if (this.holds === 0 && this.pendingSince !== undefined) this.flush();
  }

  /** Sends what is gathered, then `message`. */
  post(message: FromWorker): void {
    this.flush();
    this.send(message);
  }

  /** Sends what is gathered, in one message: the counts, the lags that moved, the statuses, the answers. */
  flush(): void {
    this.pendingSince = undefined;
    const message: Gathered = { type: 'gathered' };
    if (this.counts) {
      message.counts = this.counts;
      this.counts = undefined;
    }
    if (this.lagsMoved) {
      this.lagsMoved = false;
      for (const lag of this.lags.values()) {
        if (lag.records === lag.sent) continue;
        lag.sent = lag.records;
        (message.lags ??= []).push({ topic: lag.topic, partition: lag.partition, records: lag.records });
      }
    }
    if (this.statuses.length > 0 || this.edges.length > 0) {
      message.statuses = this.statuses;
      // Live edges only when there are some.
      if (this.edges.length > 0) message.edges = this.edges;
      this.statuses = [];
      this.edges = [];
    }
    if (this.answers.length > 0) {
      message.done = this.answers;
      this.answers = [];
    }
    if (message.counts || message.lags || message.statuses || message.done) this.send(message);
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
      // Held: the round's release sends it (or the longest delay, whichever comes first).
      if (this.holds === 0) this.flush();
    });
  }
}
