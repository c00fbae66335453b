#!/usr/bin/env node
// The `wardwatch-agent` command: the single-file build (dist/wardwatch-agent.mjs, made by `npm run
// build`). npm links a command only to a file that exists when it installs, and dist/ is built after
// `npm ci`, so the link points here.
import { existsSync } from 'node:fs';

const built = new URL('../dist/wardwatch-agent.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('wardwatch-agent: not built yet: run `npm run build` in the wardwatch repository first\n');
  process.exit(1);
}
await import(built.href);
