// Entry of the demo history's worker thread, run from the sources (the tests): as processor-worker.mjs,
// tsx registered before the TypeScript worker is loaded. The compiled command has its own bundle here.
import { register } from 'tsx/esm/api';

register();
await import('./demo-history-worker.ts');
