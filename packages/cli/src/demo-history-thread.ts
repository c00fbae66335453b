// The demo's history written on a thread of its own. Writing it is most of a first start's work
// (350k rows for the default trust, a day of them a transaction of tens of ms, and the first day's
// drawing over half a second): on the server's thread, every request in its first ten seconds or so
// waited behind a day being written (/api/sites at 100–300 ms). The worker opens the store itself, as
// the processor's thread does (SQLite's WAL lets the server read meanwhile; a writer waits its turn).
import { Worker } from 'node:worker_threads';
import type { ProcessorConfig } from '@wardwatch/processor';
import type { Estate } from '@wardwatch/simulator';
import { WrittenBack, type DemoHistoryRun } from './demo-history-writer.ts';

/** What the history's worker is started with (workerData). */
export interface DemoHistoryThreadSetup {
  storeUrl: string;
  estate: Estate;
  seed: number;
  processor?: Partial<ProcessorConfig>;
  /** A new history ending at `to`, `months` long (startDemoHistory); without it, the one an earlier run left unfinished (resumeDemoHistory). */
  begin?: { to: number; months: number };
  /** Made ready, then nothing written until `release()` (or `stop()`): DemoHistoryRunOptions' gate. */
  held?: boolean;
}

export type ToHistoryThread = { type: 'stop' } | { type: 'release' };

export type FromHistoryThread =
  | { type: 'written'; backMs: number }
  | { type: 'done'; rows: number; days: number; ms: number }
  | { type: 'failed'; message: string };

const WORKER_ENTRY = new URL('./demo-history-worker.mjs', import.meta.url);

/**
 * Writes the demo history on a worker thread: `done` settles as startDemoHistory's does, `stop` stops
 * after the day being written; one started `held` writes once released.
 */
export function startDemoHistoryThread(setup: DemoHistoryThreadSetup): DemoHistoryRun & { release(): void } {
  const worker = new Worker(WORKER_ENTRY, { workerData: setup, name: 'wardwatch-demo-history' });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const back = new WrittenBack();
  const done = new Promise<{ rows: number; days: number; ms: number }>((resolve, reject) => {
    worker.on('message', (message: FromHistoryThread) => {
      if (message.type === 'written') back.reached(message.backMs);
      else if (message.type === 'done') resolve({ rows: message.rows, days: message.days, ms: message.ms });
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    // (Settled already when it says so first.)
    worker.once('exit', (code) => reject(new Error(`the demo history's thread stopped (exit code ${code}) before the history was written`)));
  });
  back.endWith(done);
  return {
    done,
    writtenBack: (ms) => back.when(ms),
    release() {
      worker.postMessage({ type: 'release' } satisfies ToHistoryThread);
    },
    async stop() {
      worker.postMessage({ type: 'stop' } satisfies ToHistoryThread);
      await done.catch(() => undefined);
      await exited;
    },
  };
}
