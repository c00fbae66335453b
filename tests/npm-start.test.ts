// `npm start`'s command line (package.json's start script): the Node flags it gives the demo are ones
// this Node accepts, and the script it names is the wardwatch command. Run here with `start --help`,
// so the flags and the command are checked without starting the demo.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
const startScript = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;

/** The start script's words: `node`, its flags, the script, the script's arguments. */
function startCommand(): { flags: string[]; script: string; args: string[] } {
  const [node, ...rest] = startScript.trim().split(/\s+/);
  expect(node).toBe('node');
  const scriptAt = rest.findIndex((word) => !word.startsWith('-'));
  expect(scriptAt).toBeGreaterThanOrEqual(0);
  return { flags: rest.slice(0, scriptAt), script: rest[scriptAt]!, args: rest.slice(scriptAt + 1) };
}

const run = (flags: string[], script: string) => spawnSync(process.execPath, [...flags, script, 'start', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('npm start', () => {
  it('runs the wardwatch command with Node flags this Node accepts', () => {
    const { flags, script, args } = startCommand();
    expect(args.slice(0, 1)).toEqual(['start']);
    const result = run(flags, script);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Options for start');
  });

  it('fails on a flag this Node does not know, so the check above can fail', () => {
    const { flags, script } = startCommand();
    const result = run([...flags, '--no-such-flag-in-any-node'], script);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--no-such-flag-in-any-node');
  });
});
