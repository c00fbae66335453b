// The command line's access rules as an operator meets them: no sign-in on a network address is
// refused before anything starts (naming the way to configure it), a bad auth file names its field,
// and a server started with an auth file closes its API to callers without a session.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from './helpers/sse.ts';

const root = new URL('..', import.meta.url).pathname;
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const main = join(root, 'packages/cli/src/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-security-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, main, ...args], {
    cwd: scratch,
    env: { ...process.env, PORT: '', HOST: '', WARDWATCH_AUTH_CONFIG: '', WARDWATCH_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe('wardwatch access rules', () => {
  it.each([
    [['start', '--host', '0.0.0.0', '--port', '0']],
    [['start', '--host', '192.0.2.10', '--port', '0', '--no-demo']],
    [['server', '--host', '0.0.0.0', '--port', '0']],
  ])('refuses to start %j without sign-in, before binding, and says how to configure it', async (args) => {
    const { output, exit } = run(args);
    expect(await exit).toBe(2);
    expect(output()).toMatch(/there is no sign-in\. Give it an OpenID Connect auth file with --auth-config FILE \(see docs\/security\.md\).*--no-auth-on-network/);
    expect(output()).not.toMatch(/is running at/);
  });

  it('refuses a bad auth file, naming each field at fault', async () => {
    const file = join(scratch, 'bad-auth.yaml');
    writeFileSync(file, 'issuer: http://login.example.org/\nclientId: wardwatch\nredirectUrl: https://ww.example.org/callback\nroles: { claim: groups }\nsession: { secret: short }\n');
    const { output, exit } = run(['start', '--no-demo', '--port', '0', '--store', 'sqlite::memory:', '--auth-config', file]);
    expect(await exit).toBe(2);
    const text = output();
    expect(text).toMatch(/issuer: must be an https URL/);
    expect(text).toMatch(/redirectUrl: must end in \/auth\/callback/);
    expect(text).toMatch(/session\.secret: must be at least 32 characters/);
  });

  it('serves with an auth file: the API needs a session, health does not', async () => {
    const file = join(scratch, 'auth.yaml');
    writeFileSync(
      file,
      [
        'issuer: http://127.0.0.1:9/',
        'clientId: wardwatch',
        'redirectUrl: http://127.0.0.1:8080/auth/callback',
        'roles: { claim: groups, viewer: [ww-viewers] }',
        'session:',
        '  secret: ${TEST_SESSION_SECRET}',
      ].join('\n'),
    );
    const { child, output, exit } = run(['start', '--no-demo', '--port', '0', '--store', 'sqlite::memory:', '--auth-config', file], { TEST_SESSION_SECRET: 'x'.repeat(40) });
    try {
      const url = await until(async () => /"url":"(http:\/\/[^"]+)"/.exec(output())?.[1], 60_000, 'the server to start');
      expect(output()).toMatch(/sign-in with OpenID Connect/);
      const sites = await fetch(`${url}/api/sites`);
      expect(sites.status).toBe(401);
      expect(((await sites.json()) as { error: string }).error).toMatch(/sign in first: \/auth\/login/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // The provider named in the file is not running: sign-in says so instead of failing obscurely.
      expect((await fetch(`${url}/auth/login`, { redirect: 'manual' })).status).toBe(503);
    } finally {
      child.kill('SIGTERM');
      await exit;
    }
  }, 90_000);
});
