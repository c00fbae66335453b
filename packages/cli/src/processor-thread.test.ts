import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import type { ScopeStatus } from '@wardwatch/schema';
import { createMetrics, StatusBoard } from '@wardwatch/server';
import { ProcessorThread, storeUrlForThreads } from './processor-thread.ts';
import { topicLayout } from './wiring.ts';

const log = pino({ level: 'silent' });
const threads: ProcessorThread[] = [];
const disposals: Array<() => void> = [];
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.stop();
  for (const dispose of disposals.splice(0)) dispose();
});

let inThread = false;
function start(storeUrl: string, deadLetterRetainBytes = 32 * 2 ** 20, threadLog: Logger = log) {
  const board = new StatusBoard(new Map());
  const metrics = createMetrics(board, { defaultMetrics: false });
  return { board, metrics, thread: ProcessorThread.start({ storeUrl, topics: topicLayout(), partitions: 2, deadLetterRetainBytes, log: threadLog, metrics, board, inThread }) };
}

describe('storeUrlForThreads', () => {
  it('keeps sqlite::memory: in a temporary file both threads can open, removed by dispose', () => {
    const shared = storeUrlForThreads('sqlite::memory:', log);
    expect(shared.url).toMatch(/^sqlite:.+wardwatch\.db$/);
    const dir = dirname(shared.url.slice('sqlite:'.length));
    expect(existsSync(dir)).toBe(true);
    shared.dispose();
    expect(existsSync(dir)).toBe(false);
  });

  it.each([['sqlite:.data/wardwatch.db'], ['postgres://postgres@127.0.0.1:5432/test']])('leaves %s as it is', (url) => {
    expect(storeUrlForThreads(url, log).url).toBe(url);
  });
});

// The same messages whether the processor runs in its worker or on this thread (inThread).
describe.each([['in a worker', false], ['on this thread', true]])('ProcessorThread %s', (_where, onThisThread) => {
  beforeEach(() => {
    inThread = onThisThread;
  });

  it('fails to start with the reason the worker gave', async () => {
    await expect(start('postgres://postgres@127.0.0.1:1/test').thread).rejects.toThrow(/processor thread could not start: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  });

  it('keeps the dead-letter topic within its byte budget and counts what it drops', async () => {
    const shared = storeUrlForThreads('sqlite::memory:', log);
    disposals.push(shared.dispose);
    const { metrics, thread: starting } = start(shared.url, 1_000_000);
    const thread = await starting;
    threads.push(thread);
    // 61 bad 5 MB lines, as a hostile sender posts them: each letter keeps 16 kB of its line.
    const line = 'x'.repeat(5 * 2 ** 20);
    for (let i = 0; i < 61; i++) await thread.sink().reject([{ raw: line, reason: 'malformed-json', message: 'not valid JSON', via: 'http' }]);
    const dropped = (await metrics.registry.getSingleMetric('wardwatch_dead_letters_dropped_total')!.get()).values[0]!.value;
    // 1 MB holds about sixty 16 kB letters: the budget keeps 90 % of it after a trim.
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(61);
    expect(thread.running).toBe(true);
  });

  it('skips a status message that is not a scope status, logged and counted, and applies the good ones', async () => {
    const shared = storeUrlForThreads('sqlite::memory:', log);
    disposals.push(shared.dispose);
    const warnings: Array<{ msg: string; reason: string; offset: string }> = [];
    const warned = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const { board, metrics, thread: starting } = start(shared.url, undefined, warned);
    const thread = await starting;
    threads.push(thread);
    const T = Date.UTC(2026, 10, 24, 9);
    const status = (id: string): ScopeStatus => ({
      key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: 'ok', reason: '',
      figures: { appChecks: 12, p50Ms: 300, p95Ms: 700, p99Ms: 900, availability: 1, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
      since: T, asOf: T,
    });
    const encoder = new TextEncoder();
    // One key, so one partition read in order: B comes after both bad ones.
    await thread.producer.send(
      topicLayout().status,
      [JSON.stringify(status('A')), '{"key":', JSON.stringify({ ...status('Y'), asOf: 'now' }), JSON.stringify(status('B'))].map((text) => ({ key: 'k', value: encoder.encode(text) })),
    );
    for (const deadline = Date.now() + 10_000; board.get('site:B') === undefined; await new Promise((resolve) => setTimeout(resolve, 10))) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the status after the bad ones');
    }
    expect(board.get('site:A')?.status).toBe('ok');
    expect(board.get('site:Y')).toBeUndefined();
    const counted = (await metrics.registry.getSingleMetric('wardwatch_status_messages_invalid_total')!.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(counted.sort()).toEqual([['malformed-json', 1], ['schema', 1]]);
    expect(warnings.map((w) => [w.offset, w.reason])).toEqual([['1', 'malformed-json'], ['2', 'schema']]);
    expect(warnings[1]!.msg).toMatch(/^skipping a status message: asOf: /);
    expect(thread.running).toBe(true);
  });

  it('fails what is sent after it has stopped, naming why', async () => {
    const shared = storeUrlForThreads('sqlite::memory:', log);
    disposals.push(shared.dispose);
    const thread = await start(shared.url).thread;
    await thread.stop();
    expect(thread.running).toBe(false);
    await expect(thread.produce([{ v: 1 } as never], 'http')).rejects.toThrow(/processor thread has stopped/);
  });
});
