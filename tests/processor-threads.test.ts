// The embedded pipeline's processor on several threads, the telemetry partitions dealt between them,
// or on the main thread (0 threads, a small demo's default): the same trust stepped alike gives the
// same statuses, series, SLO figures and counts on the main thread, on one thread and on three, into SQLite or with three threads writing PostgreSQL at once — and a restart on another number of threads resumes every partition's checkpoint, as
// a restart on the same number does. The stepped clock (tests/helpers/pipeline.ts): simulated time,
// not the machine's speed, decides what is counted.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningPipeline } from '@wardwatch/cli';
import { PostgresRollupStore } from '@wardwatch/store';
import { boardStatuses, eventsCounted, MIN, responseText as text, testPipelines } from './helpers/pipeline.ts';
import { scratchDirs } from './helpers/scratch-dirs.ts';

const scratchDir = scratchDirs();
const pgBase = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = `ww_threads_${process.pid}_${Date.now() % 1_000_000}`;
// Registered before the pipelines' own: after-all hooks run last first, so this runs once they have stopped.
afterAll(async () => {
  const store = await PostgresRollupStore.open({ connectionString: pgBase, schema: pgSchema });
  await store.dropSchema();
  await store.close();
});
const start = testPipelines();
const json = async <T>(pipeline: RunningPipeline, path: string) => JSON.parse(await text(pipeline, path)) as T;

/** Every figure a user reads of the pipeline: the board, the site list, each site's hour, the SLOs, the count. */
async function everything(pipeline: RunningPipeline) {
  const sites = await json<Array<{ id: string }>>(pipeline, '/api/sites');
  const series: Record<string, string> = {};
  for (const { id } of sites) series[id] = await text(pipeline, `/api/sites/${id}?hours=1`);
  const board = Object.fromEntries(boardStatuses(pipeline).map((s) => [s.key, s]));
  return { board, sites: await text(pipeline, '/api/sites'), series, slos: await text(pipeline, '/api/slos'), events: await eventsCounted(pipeline) };
}

describe('processor threads', () => {
  it('give the same statuses, series, SLO figures and counts on the main thread, on one thread and on three', async () => {
    const options = { seed: 3, sites: 8, backfillMs: 20 * MIN, scenario: 'site-wan-congested' as const };
    const [main, one, three, byDefault] = await Promise.all([
      start({ ...options, processorThreads: 0 }),
      start({ ...options, processorThreads: 1 }),
      start({ ...options, processorThreads: 3 }),
      start({ ...options, sites: 1 }),
    ]);
    expect((await json<{ processorThreads: number }>(main, '/healthz')).processorThreads).toBe(0);
    expect((await json<{ processorThreads: number }>(one, '/healthz')).processorThreads).toBe(1);
    expect((await json<{ processorThreads: number }>(three, '/healthz')).processorThreads).toBe(3);
    // A small demo's processor runs on the main thread unless told otherwise.
    expect((await json<{ processorThreads: number }>(byDefault, '/healthz')).processorThreads).toBe(0);
    await byDefault.stop();
    await Promise.all([main.advance(12 * MIN), one.advance(12 * MIN), three.advance(12 * MIN)]);

    const expected = await everything(one);
    expect(Object.keys(expected.board).length).toBeGreaterThan(100);
    expect(expected.events).toBeGreaterThan(10_000);
    // The faulted site is not OK: a board with something to agree on.
    expect(one.board.list('site').some((s) => s.status !== 'ok')).toBe(true);
    // The sites sit on partitions more than one of the three threads owns (partition p: thread p mod 3).
    const owners = new Set(one.board.list('site').map((s) => s.partition! % 3));
    expect(owners.size).toBeGreaterThan(1);
    expect(await everything(three)).toEqual(expected);
    expect(await everything(main)).toEqual(expected);
  }, 180_000);

  it('write into PostgreSQL from three threads at once what one thread writes into SQLite', async () => {
    const options = { seed: 4, sites: 6, backfillMs: 15 * MIN, scenario: 'app-flaky' as const };
    const [sqlite, postgres] = await Promise.all([
      start({ ...options, processorThreads: 1 }),
      start({ ...options, processorThreads: 3, storeUrl: `${pgBase}?schema=${pgSchema}` }),
    ]);
    await Promise.all([sqlite.advance(8 * MIN), postgres.advance(8 * MIN)]);
    const expected = await everything(sqlite);
    expect(expected.events).toBeGreaterThan(5_000);
    expect(await everything(postgres)).toEqual(expected);
  }, 180_000);

  it('resume every partition after a restart on another number of threads, as after one on the same number', async () => {
    const options = { seed: 5, sites: 6, backfillMs: 10 * MIN };
    const run = async (before: number, after: number) => {
      const storeUrl = `sqlite:${join(scratchDir('ww-threads-'), 'wardwatch.db')}`;
      const first = await start({ ...options, storeUrl, processorThreads: before });
      await first.advance(7 * MIN + 30_000); // stopped mid-minute: open windows in the checkpoints
      await first.stop();
      const second = await start({ ...options, storeUrl, processorThreads: after });
      await second.advance(6 * MIN);
      return second;
    };
    const [same, other, fromMain] = await Promise.all([run(1, 1), run(3, 2), run(0, 3)]);
    const expected = await everything(same);
    // The site's hour runs on across the restart: minutes before it, and after.
    const series = JSON.parse(Object.values(expected.series)[0]!) as { series: { t: number[] } };
    expect(series.series.t.length).toBeGreaterThanOrEqual(20);
    expect(await everything(other)).toEqual(expected);
    expect(await everything(fromMain)).toEqual(expected);
  }, 180_000);
});
