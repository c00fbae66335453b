import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createMetrics, StatusBoard } from '@wardwatch/server';
import { defaultProcessorThreads, partitionsOfThread, ProcessorThreads } from './processor-threads.ts';
import { topicLayout } from './wiring.ts';

describe('partitionsOfThread', () => {
  it.each([
    [1, 12],
    [2, 12],
    [3, 12],
    [5, 12],
    [12, 12],
  ])('deals %i threads every one of %i partitions exactly once', (threads, partitions) => {
    const dealt = Array.from({ length: threads }, (_, i) => partitionsOfThread(i, threads, partitions));
    expect(dealt.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, p) => p));
    // As evenly as they go: no thread holds more than one partition more than another.
    const sizes = dealt.map((owned) => owned.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('defaultProcessorThreads', () => {
  it.each([
    // cores → threads (12 partitions): a core each but one, at least one, at most the partitions
    [1, 1],
    [2, 1],
    [4, 3],
    [8, 7],
    [64, 12],
  ])('on %i cores runs %i', (cores, threads) => {
    expect(defaultProcessorThreads(12, cores)).toBe(threads);
  });

  it.each([
    // devices, cores → threads: none (the main thread) up to 1,000 devices, then one per 100,000
    // devices, within what the cores give
    [80, 8, 0],
    [960, 8, 0],
    [1_000, 2, 0],
    [1_001, 8, 1],
    [1_040, 2, 1],
    [2_000, 2, 1],
    [100_000, 8, 1],
    [100_001, 8, 2],
    [500_000, 8, 5],
    [500_000, 2, 1],
    [2_000_000, 8, 7],
    [2_000_000, 64, 12],
  ])('for %i devices on %i cores runs %i', (devices, cores, threads) => {
    expect(defaultProcessorThreads(12, cores, devices)).toBe(threads);
  });
});

describe('ProcessorThreads.start', () => {
  const options = (storeUrl: string, threads: number) => {
    const board = new StatusBoard(new Map());
    return { threads, storeUrl, topics: topicLayout(), partitions: 12, deadLetterRetainBytes: 2 ** 20, log: pino({ level: 'silent' }), metrics: createMetrics(board, { defaultMetrics: false }), board };
  };

  it('refuses a thread count outside 0 to the partitions, naming both', async () => {
    await expect(ProcessorThreads.start(options('sqlite::memory:', 13))).rejects.toThrow('processor threads must be a whole number from 0 (the main thread) to the 12 partitions they share; got 13');
    await expect(ProcessorThreads.start(options('sqlite::memory:', -1))).rejects.toThrow(/got -1/);
    await expect(ProcessorThreads.start(options('sqlite::memory:', 1.5))).rejects.toThrow(/got 1\.5/);
  });

  it.each([[0], [2]])('fails with the reason the processor gave when it cannot start (%i threads)', async (threads) => {
    await expect(ProcessorThreads.start(options('postgres://postgres@127.0.0.1:1/test', threads))).rejects.toThrow(/processor thread could not start: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  });
});
