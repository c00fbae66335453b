// `npm start`'s command line (package.json's start script): the Node flags it gives the demo are ones
// this Node accepts, and the script it names is the wardwatch command. Run here with `start --help`,
// so the flags and the command are checked without starting the demo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npmStartCommand } from './helpers/npm-start.ts';

const root = new URL('../', import.meta.url).pathname;

const run = (flags: string[], script: string) => spawnSync(process.execPath, [...flags, script, 'start', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('npm start', () => {
  it('runs the wardwatch command with Node flags this Node accepts', () => {
    const { nodeFlags, script, args } = npmStartCommand();
    expect(args.slice(0, 1)).toEqual(['start']);
    const result = run(nodeFlags, script);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Options for start');
  });

  it('fails on a flag this Node does not know, so the check above can fail', () => {
    const { nodeFlags, script } = npmStartCommand();
    const result = run([...nodeFlags, '--no-such-flag-in-any-node'], script);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--no-such-flag-in-any-node');
  });

  it('reads the flags, the script and its arguments, and refuses a start script that is not node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardwatch-npm-start-'));
    try {
      const file = join(dir, 'package.json');
      writeFileSync(file, JSON.stringify({ scripts: { start: 'node --a --b=1 bin/x.mjs start --demo' } }));
      expect(npmStartCommand(pathToFileURL(file))).toEqual({ nodeFlags: ['--a', '--b=1'], script: 'bin/x.mjs', args: ['start', '--demo'] });
      writeFileSync(file, JSON.stringify({ scripts: { start: 'tsx bin/x.ts' } }));
      expect(() => npmStartCommand(pathToFileURL(file))).toThrow(/start script is not "node \[flags\] <script> …": tsx bin\/x.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
