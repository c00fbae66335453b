import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
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

function start(storeUrl: string, deadLetterRetainBytes = 32 * 2 ** 20) {
  const board = new StatusBoard(new Map());
  const metrics = createMetrics(board, { defaultMetrics: false });
  return { metrics, thread: ProcessorThread.start({ storeUrl, topics: topicLayout(), partitions: 2, deadLetterRetainBytes, log, metrics, board }) };
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

describe('ProcessorThread', () => {
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
    for (let i = 0; i < 61; i++) await thread.sink().reject([{ raw: line, reason: 'malformed-json', message: 'not valid JSON' }]);
    const dropped = (await metrics.registry.getSingleMetric('wardwatch_dead_letters_dropped_total')!.get()).values[0]!.value;
    // 1 MB holds about sixty 16 kB letters: the budget keeps 90 % of it after a trim.
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(61);
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
