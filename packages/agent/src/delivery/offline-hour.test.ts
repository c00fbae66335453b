// A simulated hour offline: measurements at the default cadence (one every 6 s), a real HTTP receiver
// on 127.0.0.1 that is closed (connections refused) for an hour and then back. Time is virtual: the
// spool and the forwarder share an injected clock and the forwarder's sleeps only end when the test
// moves the clock, so the real loop runs (backoff, jitter, batching) but the hour takes seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Spool } from '../spool/spool.ts';
import { Forwarder } from './forwarder.ts';
import { HttpSender } from './http-sender.ts';
import { netEvent } from './testdata/events.ts';
import { Receiver } from './testdata/receiver.ts';

const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
const CADENCE_MS = 6_000; // ~10 measurements a minute
const dir = mkdtempSync(join(tmpdir(), 'ww-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Virtual time.
let now = T0;
const sleepers: Array<{ until: number; resolve: () => void }> = [];
let sleeping: (() => void) | undefined;
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const entry = { until: now + ms, resolve };
    sleepers.push(entry);
    signal.addEventListener('abort', () => {
      sleepers.splice(sleepers.indexOf(entry), 1);
      resolve();
    }, { once: true });
    sleeping?.();
  });
}
/** Moves the clock, wakes the forwarder if its sleep is over, and waits until it sleeps again. */
async function advance(ms: number): Promise<void> {
  now += ms;
  for (const entry of sleepers.filter((s) => s.until <= now)) {
    sleepers.splice(sleepers.indexOf(entry), 1);
    entry.resolve();
  }
  while (sleepers.length === 0) await new Promise<void>((resolve) => (sleeping = resolve));
}
let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

it('an hour offline: every measurement arrives once, with its original ts, marked buffered; prompt ones unmarked', { timeout: 60_000 }, async () => {
  const receiver = new Receiver();
  await receiver.start();
  const port = receiver.port;
  const spool = await Spool.open(dir, { clock: () => now });
  const sender = new HttpSender({ url: receiver.url, token: 'device-token', timeoutMs: 5000 });
  const forwarder = new Forwarder({ spool, sender, clock: () => now, sleep, random, flushIntervalMs: 15_000, log: () => {} });
  let seq = 0;
  const takenAt: number[] = [];
  const measure = async () => {
    takenAt.push(now);
    await spool.append([JSON.stringify(netEvent(seq, now))]);
    seq++;
  };
  forwarder.start();
  await advance(0);

  // 10 minutes online.
  for (let i = 0; i < 100; i++) {
    await measure();
    await advance(CADENCE_MS);
  }
  const onlineEnd = seq;
  for (let i = 0; i < 5; i++) await advance(CADENCE_MS); // half a minute without measurements
  expect(forwarder.stats().backlog).toBe(0);

  // An hour with the server unreachable: connections refused.
  await receiver.stop();
  for (let i = 0; i < 600; i++) {
    await measure();
    await advance(CADENCE_MS);
  }
  const offlineEnd = seq;
  const during = forwarder.stats();
  expect(during.backlog).toBe(600);
  expect(during.retries).toBeGreaterThan(5);
  expect(during.lastError).toMatch(/ECONNREFUSED/);
  expect(receiver.received).toHaveLength(100);

  // Back: the next attempt (at most the 5-minute cap away) drains the hour, then delivery is prompt.
  await receiver.start(port);
  let drainedAt: number | undefined;
  for (let i = 0; i < 150; i++) {
    await measure();
    await advance(CADENCE_MS);
    if (drainedAt === undefined && forwarder.stats().backlog === 0) drainedAt = now;
  }
  for (let i = 0; i < 10; i++) await advance(CADENCE_MS);
  await forwarder.stop();
  expect(drainedAt).toBeDefined();
  expect(drainedAt! - takenAt[offlineEnd - 1]!).toBeLessThanOrEqual(5 * 60_000 + 30_000);

  // Every measurement exactly once, with its original event time.
  const ids = receiver.received.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(seq);
  const bySeq = new Map(receiver.received.map((e) => [e.seq as number, e]));
  for (let s = 0; s < seq; s++) expect(bySeq.get(s)?.ts, `seq ${s}`).toBe(takenAt[s]);
  // The outage spans the hour in event time (no gap): one measurement every 6 s throughout.
  expect(takenAt[offlineEnd - 1]! - takenAt[onlineEnd]!).toBe(599 * CADENCE_MS);
  // The hour offline is marked buffered, every one of its measurements.
  for (let s = onlineEnd; s < offlineEnd; s++) expect(bySeq.get(s)!.buffered, `seq ${s}`).toBe(true);
  // Sent promptly while online: no buffered field, before the outage and after the backlog drained.
  for (let s = 0; s < onlineEnd; s++) expect(bySeq.get(s), `seq ${s}`).not.toHaveProperty('buffered');
  const promptAfter = [...bySeq.values()].filter((e) => (e.ts as number) > drainedAt!);
  expect(promptAfter.length).toBeGreaterThan(80);
  for (const e of promptAfter) expect(e, `seq ${e.seq}`).not.toHaveProperty('buffered');
  expect(forwarder.stats()).toMatchObject({ sent: seq, rejected: 0, backlog: 0, droppedRecords: 0 });

  await spool.close();
  await sender.close();
  await receiver.stop();
});
