// The delivery loop: spool → batch → sender → ack.
//
//   1. peek a batch (at most batchLimit records / maxBatchBytes) from the spool's ack cursor;
//   2. mark the events that were held back (the `buffered` rule below);
//   3. send; on `delivered` acknowledge the whole batch (events the receiver refused permanently are
//      counted as rejected and never retried: they can never succeed);
//      on `too-large` halve the batch and go again at once (a single event too large is refused for good);
//      on `retryable` wait — exponential backoff with full jitter (@wardwatch/retry's backoffDelay),
//      base 1 s, cap 5 min, and never less than the receiver's Retry-After — then send the same
//      records again;
//      on `fatal` (401/403, a misconfigured URL) log loudly, keep the records, and keep trying at the
//      backoff pace (at least a minute apart) so that fixing the token or the server resumes delivery.
//   4. A full batch is followed at once by the next; otherwise the loop waits flushIntervalMs, so
//      measurements go out in batches of up to a flush interval's worth.
//
// The `buffered` rule — an event is sent with `buffered: true` when, at the moment of the attempt,
//   (a) it has waited in the spool longer than bufferedAfterMs (default 2 × flushIntervalMs), measured
//       from its append time to the forwarder's clock, or
//   (b) an earlier attempt to send it failed (retryable or fatal: it is being re-sent after a delay).
// A 413 split is not a failure for (b): it is re-sent at once. Events sent promptly while the receiver
// is up carry no `buffered` field (the forwarder never sets it to false nor removes one a collector
// set). The spool keeps records as they were appended; the flag is applied to the copy being sent.
// `ts` is never changed: buffered measurements keep their original event time, so an outage shows up
// as an outage in event time and not as a gap.
//
// Delivery is at-least-once. A batch is acknowledged only after the receiver confirmed it, so a crash
// (kill -9) or an abandoned stop between "receiver has it" and "ack is on disk" means that batch — only
// the one in flight, at most one batch per crash — is sent again after the restart. The repeats carry
// the same `id` and `seq` as the first copies (only `buffered` may differ, set by rule (a) or (b)); the
// processor drops repeats by (device, seq).
import { backoffDelay, sleep } from '@wardwatch/retry';
import type { TelemetryEvent } from '@wardwatch/schema';
import type { Spool, SpoolBatch, SpoolCursor } from '../spool/spool.ts';
import { cursorCompare } from '../spool/spool.ts';
import type { Rejection, SendOutcome, Sender } from './outcome.ts';

export type LogLevel = 'error' | 'warn' | 'info';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface ForwarderOptions {
  spool: Spool;
  sender: Sender;
  /** Wait between batches when there is no backlog (default 15 s). */
  flushIntervalMs?: number;
  /** Most records in one batch (default 500). */
  maxBatchRecords?: number;
  /** About the most payload bytes in one batch (default 1 MiB; the server takes 5 MiB by default). */
  maxBatchBytes?: number;
  /** Events that waited longer than this are sent with buffered: true (default 2 × flushIntervalMs). */
  bufferedAfterMs?: number;
  /** Backoff after a failed attempt: full jitter over base × 2^(failures−1), capped (defaults 1 s and 5 min). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How long stop() lets an in-flight send finish before abandoning it (default 10 s). */
  stopGraceMs?: number;
  /** Injectable for tests: uniform [0, 1). */
  random?: () => number;
  /** Injectable for tests: epoch ms; should be the spool's clock too. */
  clock?: () => number;
  /** Injectable for tests: resolves after ms, or early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  log?: Logger;
}

export interface ForwarderStats {
  state: 'idle' | 'sending' | 'waiting' | 'backoff' | 'stopped';
  /** Events the receiver accepted. */
  sent: number;
  /** Events refused for good (by the receiver, too large alone, or not JSON): dropped, never retried. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Batches delivered. */
  batches: number;
  /** Failed attempts (retryable or fatal) that will be tried again. */
  retries: number;
  consecutiveFailures: number;
  /** Times a batch was halved after 413. */
  splits: number;
  batchLimit: number;
  lastError?: string;
  lastErrorAt?: number;
  lastDeliveryAt?: number;
  /** When the next attempt is due after a failure (forwarder clock). */
  nextAttemptAt?: number;
  /** Records waiting in the spool. */
  backlog: number;
  /** Records the spool's retention dropped (full or too old), over its whole life. */
  droppedRecords: number;
}

export type FlushResult =
  | { kind: 'empty'; delayMs: number }
  | { kind: 'delivered'; records: number; sent: number; rejected: number; delayMs: number }
  | { kind: 'split'; batchLimit: number; delayMs: number }
  | { kind: 'retryable' | 'fatal'; error: string; delayMs: number }
  | { kind: 'abandoned'; delayMs: number };

const defaultLog: Logger = (level, message, fields) => {
  process.stderr.write(`agent delivery ${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
};

export class Forwarder {
  private readonly spool: Spool;
  private readonly sender: Sender;
  private readonly flushIntervalMs: number;
  private readonly maxBatchRecords: number;
  private readonly maxBatchBytes: number;
  private readonly bufferedAfterMs: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly stopGraceMs: number;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly log: Logger;

  private batchLimit: number;
  /** Records up to here have failed at least one attempt: rule (b). */
  private failedUpTo: SpoolCursor | undefined;
  private counters = { sent: 0, rejected: 0, batches: 0, retries: 0, consecutiveFailures: 0, splits: 0 };
  private rejectedByReason: Record<string, number> = {};
  private lastError: string | undefined;
  private lastErrorAt: number | undefined;
  private lastDeliveryAt: number | undefined;
  private nextAttemptAt: number | undefined;
  private state: ForwarderStats['state'] = 'idle';

  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake = new AbortController();
  private attempt: AbortController | undefined;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(options: ForwarderOptions) {
    this.spool = options.spool;
    this.sender = options.sender;
    this.flushIntervalMs = options.flushIntervalMs ?? 15_000;
    this.maxBatchRecords = Math.max(1, options.maxBatchRecords ?? 500);
    this.maxBatchBytes = options.maxBatchBytes ?? 1024 * 1024;
    this.bufferedAfterMs = options.bufferedAfterMs ?? 2 * this.flushIntervalMs;
    this.baseMs = options.backoffBaseMs ?? 1000;
    this.capMs = options.backoffCapMs ?? 300_000;
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.log = options.log ?? defaultLog;
    this.batchLimit = this.maxBatchRecords;
  }

  /** Starts the loop in the background (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.wake = new AbortController();
    this.loop = this.run();
  }

  /**
   * Stops the loop: lets an in-flight send finish for up to stopGraceMs (acknowledging it if it was
   * delivered), otherwise abandons it without acknowledging. Resolves when the loop no longer
   * touches the spool; the caller closes the spool and the sender.
   */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.stopping = true;
    this.wake.abort();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.stopGraceMs))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      // Abandon: the attempt sees its aborted signal and skips the ack whatever the answer. A sender
      // that cannot be interrupted (a Kafka produce) is not waited for beyond a short moment.
      this.attempt?.abort();
      await Promise.race([loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
    }
    this.loop = undefined;
    this.state = 'stopped';
  }

  /** Runs one peek → send → ack cycle (serialised with the loop); the loop is built from these. */
  flushOnce(): Promise<FlushResult> {
    const run = this.serial.then(() => this.cycle());
    this.serial = run.catch(() => {});
    return run;
  }

  stats(): ForwarderStats {
    const spool = this.spool.stats();
    return {
      state: this.state,
      ...this.counters,
      rejectedByReason: { ...this.rejectedByReason },
      batchLimit: this.batchLimit,
      ...(this.lastError !== undefined ? { lastError: this.lastError, lastErrorAt: this.lastErrorAt } : {}),
      ...(this.lastDeliveryAt !== undefined ? { lastDeliveryAt: this.lastDeliveryAt } : {}),
      ...(this.nextAttemptAt !== undefined ? { nextAttemptAt: this.nextAttemptAt } : {}),
      backlog: spool.pendingRecords,
      droppedRecords: spool.droppedRecords,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      let result: FlushResult;
      try {
        result = await this.flushOnce();
      } catch (error) {
        // The spool itself failed (disk error, corruption found on read): report and back off.
        this.counters.consecutiveFailures += 1;
        this.noteError(`the spool failed: ${(error as Error).message}`);
        this.log('error', this.lastError!);
        result = { kind: 'retryable', error: this.lastError!, delayMs: this.failureDelay(undefined) };
      }
      if (this.stopping || result.kind === 'abandoned') break;
      if (result.delayMs > 0) {
        this.state = result.kind === 'retryable' || result.kind === 'fatal' ? 'backoff' : 'waiting';
        await this.sleep(result.delayMs, this.wake.signal).catch(() => {});
      }
    }
  }

  private async cycle(): Promise<FlushResult> {
    const batch = await this.spool.peek(this.batchLimit, this.maxBatchBytes);
    if (batch.records.length === 0) {
      this.state = 'idle';
      return { kind: 'empty', delayMs: this.flushIntervalMs };
    }
    const { events, origin, localRejects } = this.prepare(batch);
    if (events.length === 0) {
      await this.acknowledge(batch, localRejects, []);
      return { kind: 'delivered', records: batch.records.length, sent: 0, rejected: localRejects.length, delayMs: 0 };
    }
    this.state = 'sending';
    const controller = new AbortController();
    this.attempt = controller;
    let outcome: SendOutcome;
    try {
      outcome = await this.sender.send(events, controller.signal);
    } catch (error) {
      outcome = { kind: 'retryable', error: `the sender failed: ${(error as Error).message}` };
    } finally {
      this.attempt = undefined;
    }
    if (controller.signal.aborted) {
      // Abandoned by stop(): whatever the receiver got, nothing is acknowledged (it is sent again).
      return { kind: 'abandoned', delayMs: 0 };
    }
    return this.settle(batch, outcome, origin, localRejects);
  }

  /** Parses the records and applies the `buffered` rule; records that are not JSON objects are refused here. */
  private prepare(batch: SpoolBatch): { events: TelemetryEvent[]; origin: number[]; localRejects: Rejection[] } {
    const now = this.clock();
    const events: TelemetryEvent[] = [];
    const origin: number[] = [];
    const localRejects: Rejection[] = [];
    batch.records.forEach((record, index) => {
      let event: unknown;
      try {
        event = JSON.parse(record.data);
      } catch (error) {
        localRejects.push({ index, reason: 'malformed-json', message: `spooled record is not JSON: ${(error as Error).message}` });
        return;
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        localRejects.push({ index, reason: 'schema', message: 'spooled record is not a JSON object' });
        return;
      }
      const waited = now - record.appendedAt > this.bufferedAfterMs;
      const failedBefore = this.failedUpTo !== undefined && cursorCompare(record.next, this.failedUpTo) <= 0;
      if (waited || failedBefore) (event as { buffered?: boolean }).buffered = true;
      events.push(event as TelemetryEvent);
      origin.push(index);
    });
    return { events, origin, localRejects };
  }

  private async settle(batch: SpoolBatch, outcome: SendOutcome, origin: number[], localRejects: Rejection[]): Promise<FlushResult> {
    switch (outcome.kind) {
      case 'delivered': {
        const refused = outcome.rejections.map((r) => ({ ...r, index: origin[r.index] ?? r.index }));
        await this.acknowledge(batch, localRejects, refused);
        this.counters.sent += origin.length - refused.length;
        this.counters.batches += 1;
        this.counters.consecutiveFailures = 0;
        this.nextAttemptAt = undefined;
        this.lastDeliveryAt = this.clock();
        const full = batch.records.length >= this.batchLimit;
        if (this.batchLimit < this.maxBatchRecords) this.batchLimit = Math.min(this.maxBatchRecords, this.batchLimit * 2);
        this.state = 'idle';
        return {
          kind: 'delivered',
          records: batch.records.length,
          sent: origin.length - refused.length,
          rejected: refused.length + localRejects.length,
          delayMs: full || batch.bytes >= this.maxBatchBytes ? 0 : this.flushIntervalMs,
        };
      }
      case 'too-large': {
        if (batch.records.length > 1) {
          this.batchLimit = Math.max(1, Math.floor(batch.records.length / 2));
          this.counters.splits += 1;
          this.log('warn', `${outcome.error}; sending batches of at most ${this.batchLimit} events`);
          return { kind: 'split', batchLimit: this.batchLimit, delayMs: 0 };
        }
        // One event alone is too large: it can never succeed.
        await this.acknowledge(batch, localRejects, [{ index: 0, reason: 'too-large', message: outcome.error }]);
        this.counters.consecutiveFailures = 0;
        return { kind: 'delivered', records: 1, sent: 0, rejected: 1, delayMs: 0 };
      }
      case 'retryable':
      case 'fatal': {
        this.counters.retries += 1;
        this.counters.consecutiveFailures += 1;
        if (!this.failedUpTo || cursorCompare(batch.cursor!, this.failedUpTo) > 0) this.failedUpTo = batch.cursor;
        this.noteError(outcome.error);
        let delayMs = this.failureDelay(outcome.kind === 'retryable' ? outcome.retryAfterMs : undefined);
        if (outcome.kind === 'fatal') {
          delayMs = Math.max(delayMs, Math.min(this.capMs, 60_000));
          this.log('error', `DELIVERY REFUSED: ${outcome.error}`, { backlog: this.spool.stats().pendingRecords, retryInMs: delayMs });
        } else if (this.counters.consecutiveFailures === 1 || this.counters.consecutiveFailures % 10 === 0) {
          this.log('warn', `${outcome.error}; will retry`, { failures: this.counters.consecutiveFailures, retryInMs: delayMs, backlog: this.spool.stats().pendingRecords });
        }
        this.nextAttemptAt = this.clock() + delayMs;
        this.state = 'backoff';
        return { kind: outcome.kind, error: outcome.error, delayMs };
      }
    }
  }

  private failureDelay(retryAfterMs: number | undefined): number {
    // The project's one backoff (@wardwatch/retry). The loop is the forwarder's own, not retry(): it
    // keeps the spool's records and goes on for as long as the agent runs, whatever the failure.
    const jittered = backoffDelay(this.counters.consecutiveFailures, { baseMs: this.baseMs, capMs: this.capMs }, this.random);
    return retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
  }

  private noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = this.clock();
  }

  private async acknowledge(batch: SpoolBatch, localRejects: Rejection[], refused: Rejection[]): Promise<void> {
    await this.spool.ack(batch.cursor!);
    const all = [...localRejects, ...refused];
    if (all.length === 0) return;
    this.counters.rejected += all.length;
    for (const r of all) this.rejectedByReason[r.reason] = (this.rejectedByReason[r.reason] ?? 0) + 1;
    this.log('warn', `${all.length} event(s) refused for good and dropped (not retried)`, {
      examples: all.slice(0, 3).map((r) => ({ reason: r.reason, message: r.message })),
    });
  }
}
