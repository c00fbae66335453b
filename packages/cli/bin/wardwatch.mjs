#!/usr/bin/env node
// The `wardwatch` command: the compiled build (dist/main.mjs, made by `npm run build`). npm links a
// command only to a file that exists when it installs, and dist/ is built after `npm ci`, so the link
// points here.
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('wardwatch: not built yet: run `npm run build` in the wardwatch repository first\n');
  process.exit(1);
}
await import(built.href);
