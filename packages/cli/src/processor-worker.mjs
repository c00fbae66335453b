// Entry of the embedded pipeline's processor thread. A worker thread does not inherit the module
// hooks of the thread that started it (`node --import tsx` registers them for the main thread only),
// so tsx is registered here, the way the project runs its TypeScript, before the worker is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./processor-worker.ts');
