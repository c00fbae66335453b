// The embedded pipeline as the tests run it: free port, in-memory store, silent logs, a fast
// watermark, no dashboard unless asked — and the stepped clock, starting at TEST_START: simulated time
// moves only when the test calls `pipeline.advance(ms)`, which resolves once the span is processed,
// stored, on the board and evaluated. What a test asserts about simulated time then holds however
// loaded the machine is. A test that posts events stamped by the wall clock says `clock: 'wall'`.
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { startEmbedded, type EmbeddedOptions, type RunningPipeline } from '@wardwatch/cli';
import type { ScopeStatus } from '@wardwatch/schema';

export const MIN = 60_000;

/** Where the stepped clock starts unless a test says otherwise: a weekday morning, staff logging on. */
export const TEST_START = Date.UTC(2026, 2, 10, 9, 0); // Tuesday 10 March 2026, 09:00 UTC

export function startTestPipeline(overrides: Partial<EmbeddedOptions> = {}): Promise<RunningPipeline> {
  return startEmbedded({
    port: 0,
    host: '127.0.0.1',
    storeUrl: 'sqlite::memory:',
    log: pino({ level: 'silent' }),
    demo: true,
    seed: 7,
    clock: 'stepped',
    startAt: TEST_START,
    speed: 1, // the wall clock's, for a test that asks for it
    sites: 3,
    backfillMs: 0,
    processor: { watermarkLagMs: 10_000, allowedLatenessMs: 60_000 },
    dashboard: false,
    ...overrides,
  });
}

/**
 * Steps the stepped clock `stepMs` at a time (default a simulated minute: an SLO evaluation each, as a
 * running pipeline makes them) until `probe` answers, at most `withinMs` of simulated time; fails naming
 * `what` and how far it went. Deterministic: each step is finished before the probe looks.
 */
export async function advanceUntil<T>(
  pipeline: RunningPipeline,
  probe: () => Promise<T | undefined> | T | undefined,
  { withinMs, stepMs = MIN }: { withinMs: number; stepMs?: number },
  what: string,
): Promise<T> {
  const from = pipeline.clock();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (pipeline.clock() - from >= withinMs) throw new Error(`no ${what} within ${withinMs / MIN} simulated minutes`);
    await pipeline.advance(Math.min(stepMs, from + withinMs - pipeline.clock()));
  }
}

/**
 * A starter of test pipelines (as startTestPipeline) that stops every one it started once the file's
 * tests are done. Call at the file's top level (it registers the afterAll there).
 */
export function testPipelines(): (overrides?: Partial<EmbeddedOptions>) => Promise<RunningPipeline> {
  const started: RunningPipeline[] = [];
  afterAll(async () => {
    for (const pipeline of started) await pipeline.stop();
  });
  return async (overrides) => {
    const pipeline = await startTestPipeline(overrides);
    started.push(pipeline);
    return pipeline;
  };
}

const SCOPE_KINDS = ['trust', 'site', 'ward', 'ap', 'device', 'app'] as const;

/** Every status on the pipeline's board, of every kind of scope. */
export const boardStatuses = (pipeline: RunningPipeline): ScopeStatus[] => SCOPE_KINDS.flatMap((kind) => pipeline.board.list(kind));

/** The body of a GET of `path` on the pipeline's server. */
export const responseText = async (pipeline: RunningPipeline, path: string): Promise<string> => (await fetch(pipeline.url + path)).text();

/** The events the processor has counted off the bus (its /metrics). */
export const eventsCounted = async (pipeline: RunningPipeline): Promise<number> =>
  Number(/^wardwatch_events_in_total\{source="bus"\} (\d+)$/m.exec(await responseText(pipeline, '/metrics'))?.[1] ?? 0);
