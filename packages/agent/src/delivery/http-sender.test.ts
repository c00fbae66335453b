// The HTTP sender against a real local server, and the forwarder's handling of each answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from '../spool/spool.ts';
import { Forwarder, type Logger } from './forwarder.ts';
import { HttpSender, parseRetryAfter } from './http-sender.ts';
import { netEvent } from './testdata/events.ts';
import { Receiver, reply } from './testdata/receiver.ts';

const TOKEN = 'device-token-0001';
const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);
let receiver: Receiver;
let sender: HttpSender;
let dir: string;
let spool: Spool;
const logs: Array<{ level: string; message: string }> = [];
const log: Logger = (level, message) => logs.push({ level, message });

beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
  sender = new HttpSender({ url: receiver.url, token: TOKEN, timeoutMs: 2000 });
  dir = mkdtempSync(join(tmpdir(), 'ww-http-'));
  spool = await Spool.open(dir);
  logs.length = 0;
});
afterEach(async () => {
  await spool.close();
  await sender.close();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function spoolEvents(count: number, firstSeq = 0): Promise<void> {
  await spool.append(Array.from({ length: count }, (_, i) => JSON.stringify(netEvent(firstSeq + i, T0 + i))));
}

function forwarder(extra: Partial<ConstructorParameters<typeof Forwarder>[0]> = {}): Forwarder {
  return new Forwarder({ spool, sender, random: () => 0.5, log, ...extra });
}

describe('HttpSender', () => {
  it('stamps every attempt with Wardwatch-Sent-At by the device\'s clock, so the server can measure it', async () => {
    let deviceNow = T0 + 5 * 60_000; // a clock 5 minutes ahead: the server corrects, the agent only reports
    const stamped = new HttpSender({ url: receiver.url, token: TOKEN, timeoutMs: 2000, clock: () => deviceNow });
    try {
      receiver.respond = (_request, res) => reply(res, 503, { error: 'busy' });
      expect(await stamped.send([netEvent(0, T0)])).toMatchObject({ kind: 'retryable', status: 503 });
      receiver.respond = undefined;
      deviceNow += 90_000;
      expect(await stamped.send([netEvent(0, T0)])).toMatchObject({ kind: 'delivered' });
      // The retry carries the time of its own sending, not of the first attempt.
      expect(receiver.requests.map((r) => r.sentAt)).toEqual([String(T0 + 5 * 60_000), String(T0 + 6.5 * 60_000)]);
    } finally {
      await stamped.close();
    }
  });

  it('posts a JSON array with the bearer token; 202 rejections are reported, dropped and never retried', async () => {
    receiver.respond = (request, res) => {
      receiver.received.push(...request.events.filter((_, i) => i !== 1));
      reply(res, 202, { accepted: 2, rejected: 1, rejections: [{ index: 1, reason: 'schema', message: 'body.rttMs: too small' }] });
    };
    const outcome = await sender.send([netEvent(0, T0), netEvent(1, T0), netEvent(2, T0)]);
    expect(outcome).toEqual({ kind: 'delivered', accepted: 2, rejections: [{ index: 1, reason: 'schema', message: 'body.rttMs: too small' }] });
    expect(receiver.requests[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(receiver.requests[0]!.events.map((e) => e.seq)).toEqual([0, 1, 2]);

    // Through the forwarder: the batch is acknowledged, the refused event counted and not sent again.
    receiver.requests.length = 0;
    await spoolEvents(3, 10);
    const f = forwarder();
    expect(await f.flushOnce()).toMatchObject({ kind: 'delivered', sent: 2, rejected: 1 });
    expect(await f.flushOnce()).toMatchObject({ kind: 'empty' });
    expect(receiver.requests).toHaveLength(1);
    expect(f.stats()).toMatchObject({ sent: 2, rejected: 1, rejectedByReason: { schema: 1 }, backlog: 0, retries: 0 });
    expect(logs.some((l) => l.level === 'warn' && /refused for good/.test(l.message))).toBe(true);
  });

  it('400 with nothing valid: every event is refused for good', async () => {
    receiver.respond = (request, res) =>
      reply(res, 400, {
        error: 'no valid event in the body',
        accepted: 0,
        rejected: request.events.length,
        rejections: request.events.map((_, index) => ({ index, reason: 'future-timestamp', message: 'ts ahead' })),
      });
    await spoolEvents(2);
    const f = forwarder();
    expect(await f.flushOnce()).toMatchObject({ kind: 'delivered', sent: 0, rejected: 2 });
    expect(f.stats()).toMatchObject({ backlog: 0, rejected: 2, rejectedByReason: { 'future-timestamp': 2 } });
  });

  it('503 with Retry-After is retryable and the wait honours it; the same records go again', async () => {
    let calls = 0;
    receiver.respond = (request, res) => {
      if (++calls === 1) return reply(res, 503, { error: 'busy' }, { 'retry-after': '7' });
      receiver.received.push(...request.events);
      reply(res, 202, { accepted: request.events.length, rejected: 0, rejections: [] });
    };
    expect(await sender.send([netEvent(0, T0)])).toMatchObject({ kind: 'retryable', status: 503, retryAfterMs: 7000 });

    calls = 0;
    receiver.requests.length = 0;
    await spoolEvents(3);
    const f = forwarder({ random: () => 0 }); // jitter alone would wait 0 ms
    expect(await f.flushOnce()).toMatchObject({ kind: 'retryable', delayMs: 7000 });
    expect(f.stats()).toMatchObject({ backlog: 3, retries: 1, consecutiveFailures: 1 });
    expect(await f.flushOnce()).toMatchObject({ kind: 'delivered', sent: 3 });
    const [first, second] = receiver.requests;
    expect(second!.events.map((e) => [e.id, e.seq, e.ts])).toEqual(first!.events.map((e) => [e.id, e.seq, e.ts]));
    expect(second!.events.every((e) => e.buffered === true)).toBe(true);
    expect(f.stats()).toMatchObject({ backlog: 0, consecutiveFailures: 0, sent: 3 });
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('413: the forwarder halves the batch until it fits; a single event too large is refused for good', async () => {
    receiver.respond = (request, res) => {
      const tooBig = request.events.length > 2 || request.events.some((e) => e.seq === 4);
      if (tooBig) return reply(res, 413, { error: 'the body is larger than 1 bytes: split it into smaller batches' });
      receiver.received.push(...request.events);
      reply(res, 202, { accepted: request.events.length, rejected: 0, rejections: [] });
    };
    expect(await sender.send([netEvent(0, T0), netEvent(1, T0), netEvent(2, T0)])).toMatchObject({ kind: 'too-large', status: 413 });

    await spoolEvents(7);
    const f = forwarder({ maxBatchRecords: 8 });
    const kinds: string[] = [];
    for (let i = 0; i < 20 && f.stats().backlog > 0; i++) kinds.push((await f.flushOnce()).kind);
    expect(kinds[0]).toBe('split');
    expect(f.stats().backlog).toBe(0);
    // seq 4 cannot be sent at any size: refused; everything else arrived exactly once, in order.
    expect(receiver.received.map((e) => e.seq)).toEqual([0, 1, 2, 3, 5, 6]);
    expect(f.stats()).toMatchObject({ sent: 6, rejected: 1, rejectedByReason: { 'too-large': 1 } });
    expect(f.stats().splits).toBeGreaterThanOrEqual(2);
  });

  it('401: fatal, logged loudly, records kept; delivery resumes once the server takes the token', async () => {
    let allowed = false;
    receiver.respond = (request, res) => {
      if (!allowed) return reply(res, 401, { error: 'unknown device token' });
      receiver.received.push(...request.events);
      reply(res, 202, { accepted: request.events.length, rejected: 0, rejections: [] });
    };
    expect(await sender.send([netEvent(0, T0)])).toMatchObject({ kind: 'fatal', reason: 'auth', status: 401 });

    await spoolEvents(4);
    const f = forwarder();
    expect(await f.flushOnce()).toMatchObject({ kind: 'fatal' });
    expect(f.stats()).toMatchObject({ backlog: 4, sent: 0, retries: 1 });
    expect(f.stats().lastError).toMatch(/401.*token/);
    expect(logs.some((l) => l.level === 'error' && /DELIVERY REFUSED/.test(l.message))).toBe(true);
    allowed = true;
    expect(await f.flushOnce()).toMatchObject({ kind: 'delivered', sent: 4 });
    // They waited behind a failed attempt, so they are marked buffered.
    expect(receiver.received.every((e) => e.buffered === true)).toBe(true);
  });

  it('connection refused and no answer in time are retryable', async () => {
    const port = receiver.port;
    await receiver.stop();
    const refused = new HttpSender({ url: `http://127.0.0.1:${port}/api/ingest`, token: TOKEN, timeoutMs: 2000 });
    expect(await refused.send([netEvent(0, T0)])).toMatchObject({ kind: 'retryable', error: expect.stringMatching(/ECONNREFUSED/) });
    await refused.close();

    await receiver.start();
    receiver.respond = () => {}; // never answers
    const slow = new HttpSender({ url: receiver.url, token: TOKEN, timeoutMs: 300 });
    expect(await slow.send([netEvent(0, T0)])).toMatchObject({ kind: 'retryable', error: expect.stringMatching(/no answer within 300 ms/) });
    await slow.close();
  });
});
