// `npm start`'s command line, read from package.json's start script: the Node flags it gives the
// demo, the script it runs and that script's arguments. The idle bench starts the demo with the same
// flags; tests/npm-start.test.ts checks that this Node accepts them.
import { readFileSync } from 'node:fs';

export interface NpmStartCommand {
  /** The words between `node` and the script. */
  nodeFlags: string[];
  script: string;
  args: string[];
}

export function npmStartCommand(packageJson = new URL('../../package.json', import.meta.url)): NpmStartCommand {
  const start = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: { start?: unknown } }).scripts?.start);
  const [node, ...rest] = start.trim().split(/\s+/);
  const scriptAt = rest.findIndex((word) => !word.startsWith('-'));
  if (node !== 'node' || scriptAt < 0) throw new Error(`package.json's start script is not "node [flags] <script> …": ${start}`);
  return { nodeFlags: rest.slice(0, scriptAt), script: rest[scriptAt]!, args: rest.slice(scriptAt + 1) };
}
