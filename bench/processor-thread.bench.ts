// The processor bench's interleaved ratio in a worker thread started with the processor thread's
// young generation (processor.bench.ts starts it): the lines arrive as one shared NDJSON buffer. Its CPU
// times are the process's, as on the main thread; the main thread only waits meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { interleavedRatios, type ProcessorThreadBenchInput } from './processor.bench.ts';

const { ndjson, now } = workerData as ProcessorThreadBenchInput;
const lines = Buffer.from(ndjson.buffer, ndjson.byteOffset, ndjson.byteLength).toString('utf8').split('\n');
const rounds = [interleavedRatios(lines, now), interleavedRatios(lines, now)];
parentPort!.postMessage({ wall: Math.max(...rounds.map((r) => r.wall)), cpu: Math.max(...rounds.map((r) => r.cpu)) });
