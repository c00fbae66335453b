#!/usr/bin/env node
// The `wardwatch-agent` command: the single-file build when it is there (`npm run agent:build`, which
// `npm start` and `npm test` run), else the TypeScript sources through tsx, so a fresh checkout works too.
import { existsSync } from 'node:fs';

const built = new URL('../dist/wardwatch-agent.mjs', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
