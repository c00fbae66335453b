// The embedded pipeline as the tests run it: free port, in-memory store, silent logs, a fast
// watermark, no dashboard unless asked.
import { pino } from 'pino';
import { startEmbedded, type EmbeddedOptions, type RunningPipeline } from '@wardwatch/cli';

export function startTestPipeline(overrides: Partial<EmbeddedOptions> = {}): Promise<RunningPipeline> {
  return startEmbedded({
    port: 0,
    host: '127.0.0.1',
    storeUrl: 'sqlite::memory:',
    log: pino({ level: 'silent' }),
    demo: true,
    seed: 7,
    speed: 600,
    sites: 3,
    backfillMs: 0,
    processor: { watermarkLagMs: 10_000, allowedLatenessMs: 60_000 },
    dashboard: false,
    ...overrides,
  });
}
