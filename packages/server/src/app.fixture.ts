// For tests: the whole application with every optional part present (ingest, SLOs, a dashboard
// folder), over an in-memory SQLite store, so route-walking tests see every route there is.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryEvent } from '@wardwatch/schema';
import { DEFAULT_SLOS } from '@wardwatch/slo';
import { openStore, type RollupStore } from '@wardwatch/store';
import { createApp, type AppDependencies } from './app.ts';
import { ApiTokens } from './auth/api-tokens.ts';
import { createMetrics } from './metrics.ts';
import { DeadLetterLog } from './dead-letter-log.ts';
import type { RejectedInput } from './routes/ingest.ts';
import { SloEvaluator } from './slo-evaluator.ts';
import { StatusBoard } from './status-board.ts';

export interface AppFixture {
  app: ReturnType<typeof createApp>;
  store: RollupStore;
  board: StatusBoard;
  slos: SloEvaluator;
  accepted: TelemetryEvent[];
  rejected: RejectedInput[];
  deadLetters: DeadLetterLog;
  close(): Promise<void>;
}

export async function appFixture(extra: Partial<AppDependencies> = {}): Promise<AppFixture> {
  const opened = await openStore('sqlite::memory:');
  const store = extra.store ?? opened;
  const board = extra.board ?? new StatusBoard();
  const metrics = createMetrics(board, { defaultMetrics: false });
  // One clock for the application and its SLO evaluator (a test moving time moves both).
  const clock = extra.clock ?? (() => Date.parse('2026-11-30T12:00:00Z'));
  const slos = new SloEvaluator({ store, slos: DEFAULT_SLOS, clock, metrics });
  const dashboardDir = mkdtempSync(join(tmpdir(), 'ww-dashboard-'));
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>wardwatch</title><script type="module" src="app.js"></script>');
  writeFileSync(join(dashboardDir, 'app.js'), 'export {};');
  const accepted: TelemetryEvent[] = [];
  const rejected: RejectedInput[] = [];
  const deadLetters = new DeadLetterLog({ since: clock() });
  const app = createApp({
    board,
    store,
    metrics,
    slos,
    annotations: opened,
    audit: opened,
    apiTokens: new ApiTokens(opened, () => Date.parse('2026-11-30T12:00:00Z')),
    silences: opened,
    assignments: opened,
    clock,
    dashboardDir,
    ingest: { accept: async (events) => void accepted.push(...events), reject: async (items) => void rejected.push(...items) },
    deadLetters,
    ...extra,
  });
  return { app, store, board, slos, accepted, rejected, deadLetters, close: () => opened.close() };
}
