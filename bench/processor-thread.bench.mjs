// Entry of the processor bench's worker (processor-thread.bench.ts). A worker thread does not inherit
// the module hooks of the thread that started it, so tsx is registered here first, as the embedded
// pipeline's processor-worker.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./processor-thread.bench.ts');
