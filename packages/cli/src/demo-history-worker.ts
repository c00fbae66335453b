// Entry of the demo history's worker thread (demo-history-thread.ts): the history written with the
// store this thread opens, then the store closed and the thread let go.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '@wardwatch/store';
import { resumeDemoHistory, startDemoHistory, type DemoHistoryRun } from './demo-history-writer.ts';
import type { DemoHistoryThreadSetup, FromHistoryThread, ToHistoryThread } from './demo-history-thread.ts';

const setup = workerData as DemoHistoryThreadSetup;
const port = parentPort!;
const post = (message: FromHistoryThread) => port.postMessage(message);
let run: DemoHistoryRun | undefined;
let stopping = false;
let release = () => {};
// Held: released by the thread's owner, or by a stop (which then writes nothing).
const gate = setup.held ? new Promise<void>((resolve) => (release = resolve)) : undefined;
port.on('message', (message: ToHistoryThread) => {
  release();
  if (message.type !== 'stop') return;
  stopping = true;
  void run?.stop();
});

const store = await openStore(setup.storeUrl).catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  return undefined;
});
if (store) {
  try {
    const options = { store, estate: setup.estate, seed: setup.seed, processor: setup.processor, onWritten: (backMs: number) => post({ type: 'written', backMs }), gate };
    run = setup.begin ? startDemoHistory({ ...options, ...setup.begin }) : await resumeDemoHistory(options);
    // A stop that came while the run was being set up.
    if (stopping) void run?.stop();
    post({ type: 'done', ...((await run?.done) ?? { rows: 0, days: 0, ms: 0 }) });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await store.close();
  }
}
port.close();
