// Entry of the embedded pipeline's processor thread: the processor (processor-core.ts) on the worker's
// parentPort, started with what the main thread gave it (workerData).
import { parentPort, workerData } from 'node:worker_threads';
import { runProcessor } from './processor-core.ts';
import type { ProcessorWorkerSetup } from './processor-thread.ts';

runProcessor(workerData as ProcessorWorkerSetup, parentPort!);
