// The forwarder loop with a scripted sender: backoff with full jitter, the buffered rule, stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryEvent } from '@wardwatch/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from '../spool/spool.ts';
import { Forwarder } from './forwarder.ts';
import type { SendOutcome, Sender } from './outcome.ts';
import { netEvent } from './testdata/events.ts';

const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);
let now = T0;
const clock = () => now;
let dir: string;
let spool: Spool;
const quiet = () => {};

class ScriptedSender implements Sender {
  readonly destination = 'scripted';
  readonly sent: TelemetryEvent[][] = [];
  next: (events: readonly TelemetryEvent[], signal?: AbortSignal) => Promise<SendOutcome> = async (events) => ({ kind: 'delivered', accepted: events.length, rejections: [] });
  async send(events: readonly TelemetryEvent[], signal?: AbortSignal): Promise<SendOutcome> {
    this.sent.push(events.map((e) => ({ ...e })));
    return this.next(events, signal);
  }
  async close(): Promise<void> {}
}

beforeEach(async () => {
  now = T0;
  dir = mkdtempSync(join(tmpdir(), 'ww-fwd-'));
  spool = await Spool.open(dir, { clock });
});
afterEach(async () => {
  await spool.close();
  rmSync(dir, { recursive: true, force: true });
});

async function spoolEvents(count: number, firstSeq = 0): Promise<void> {
  await spool.append(Array.from({ length: count }, (_, i) => JSON.stringify(netEvent(firstSeq + i, now))));
}

describe('Forwarder', () => {
  it('backs off exponentially with full jitter up to the cap while failing, and resets after a delivery', async () => {
    await spoolEvents(3);
    const sender = new ScriptedSender();
    sender.next = async () => ({ kind: 'retryable', error: 'ECONNREFUSED' });
    const sleeps: number[] = [];
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const forwarder = new Forwarder({
      spool,
      sender,
      clock,
      random: () => 0.999,
      log: quiet,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
        if (sleeps.length === 12) sender.next = async (events) => ({ kind: 'delivered', accepted: events.length, rejections: [] });
        if (sleeps.length === 13) release();
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    forwarder.start();
    await done;
    await forwarder.stop();
    const ceilings = [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000];
    expect(sleeps.slice(0, 12)).toEqual(ceilings.map((c) => Math.floor(0.999 * c)));
    expect(sleeps[12]).toBe(15_000); // delivered, not a full batch: the flush interval
    expect(forwarder.stats()).toMatchObject({ retries: 12, consecutiveFailures: 0, sent: 3, backlog: 0, state: 'stopped' });
    expect(forwarder.stats().lastError).toBe('ECONNREFUSED');
    // Every attempt carried the same three events; from the second on they are marked buffered.
    expect(sender.sent.map((batch) => batch.map((e) => e.seq))).toEqual(Array.from({ length: 13 }, () => [0, 1, 2]));
    expect(sender.sent[0]!.every((e) => e.buffered === undefined)).toBe(true);
    expect(sender.sent.slice(1).every((batch) => batch.every((e) => e.buffered === true))).toBe(true);
  });

  it('marks buffered exactly the events that waited longer than 2 × the flush interval or failed before', async () => {
    const sender = new ScriptedSender();
    const forwarder = new Forwarder({ spool, sender, clock, flushIntervalMs: 10_000, log: quiet });
    await spoolEvents(1, 0);
    now += 19_000; // waited 19 s < 20 s
    await forwarder.flushOnce();
    await spoolEvents(1, 1);
    now += 20_001; // waited just over 20 s
    await forwarder.flushOnce();
    expect(sender.sent.map((b) => b.map((e) => [e.seq, e.buffered]))).toEqual([[[0, undefined]], [[1, true]]]);
    // The spool keeps what was appended; ts is never touched.
    expect(sender.sent[1]![0]!.ts).toBe(T0 + 19_000);
  });

  it('stop() lets an in-flight send finish and acknowledges it', async () => {
    await spoolEvents(5);
    const sender = new ScriptedSender();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    sender.next = async (events) => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { kind: 'delivered', accepted: events.length, rejections: [] };
    };
    const forwarder = new Forwarder({ spool, sender, clock, log: quiet, stopGraceMs: 5000 });
    forwarder.start();
    await inFlight;
    await forwarder.stop();
    expect(forwarder.stats()).toMatchObject({ backlog: 0, sent: 5, state: 'stopped' });
  });

  it('stop() abandons a send that does not finish in time without acknowledging it', async () => {
    await spoolEvents(5);
    const sender = new ScriptedSender();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let lateAnswer!: () => void;
    // A sender that ignores the abort and reports delivery only after stop() has returned.
    sender.next = (events) => {
      started();
      return new Promise((resolve) => (lateAnswer = () => resolve({ kind: 'delivered', accepted: events.length, rejections: [] })));
    };
    const forwarder = new Forwarder({ spool, sender, clock, log: quiet, stopGraceMs: 50 });
    forwarder.start();
    await inFlight;
    await forwarder.stop();
    lateAnswer();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(spool.stats().pendingRecords).toBe(5); // never acknowledged: sent again after a restart
    expect(forwarder.stats()).toMatchObject({ sent: 0, state: 'stopped' });
  });

  it('sends a backlog in full batches back to back, then waits the flush interval', async () => {
    await spoolEvents(25);
    const sender = new ScriptedSender();
    const forwarder = new Forwarder({ spool, sender, clock, log: quiet, maxBatchRecords: 10 });
    const results = [await forwarder.flushOnce(), await forwarder.flushOnce(), await forwarder.flushOnce(), await forwarder.flushOnce()];
    expect(results.map((r) => [r.kind, r.delayMs])).toEqual([
      ['delivered', 0],
      ['delivered', 0],
      ['delivered', 15_000],
      ['empty', 15_000],
    ]);
    expect(sender.sent.map((b) => b.length)).toEqual([10, 10, 5]);
  });

  it('refuses a spooled record that is not JSON without sending it', async () => {
    await spool.append(['{not json', JSON.stringify(netEvent(1, now))]);
    const sender = new ScriptedSender();
    const forwarder = new Forwarder({ spool, sender, clock, log: quiet });
    expect(await forwarder.flushOnce()).toMatchObject({ kind: 'delivered', sent: 1, rejected: 1 });
    expect(sender.sent[0]!.map((e) => e.seq)).toEqual([1]);
    expect(forwarder.stats()).toMatchObject({ rejectedByReason: { 'malformed-json': 1 }, backlog: 0 });
  });
});
