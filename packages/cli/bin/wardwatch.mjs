#!/usr/bin/env node
// The `wardwatch` command. npm links a command only to a file that exists when it installs, and dist/
// is built after `npm ci`, so the link points here: to the compiled build (dist/main.mjs, made by `npm
// run build`, always there in an installed tarball), or, in a checkout not built yet, to the
// TypeScript sources through tsx (a development dependency), so the command answers either way.
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.mjs', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write('wardwatch: not built: run `npm run build` in the wardwatch repository\n');
    process.exit(1);
  }
  tsx.register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
