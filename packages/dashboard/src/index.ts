// @wardwatch/dashboard — node-side entry: where the built dashboard lives, for the server to serve.
// The browser code is bundled from src/main.ts by build.mjs.
import { fileURLToPath } from 'node:url';

export const dashboardDistDir: string = fileURLToPath(new URL('../dist/', import.meta.url));
