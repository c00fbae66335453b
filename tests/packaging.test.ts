// wardwatch as a user installs it: the repository packed with `npm pack`, the tarball installed into an
// empty global prefix (`npm install -g --prefix`), and the installed `wardwatch` and `wardwatch-agent`
// commands run from an empty folder — help, the embedded pipeline serving /healthz and the dashboard
// (SQLite, so better-sqlite3's native addon must have been built and load), and the agent checking the
// example config the tarball carries. The tarball is what `npm run build` left in dist/ (npm test builds
// first); installing compiles better-sqlite3, which takes a minute or more, hence the long timeouts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './helpers/sse.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BUILT = ['packages/cli/dist/main.mjs', 'packages/cli/dist/processor-worker.mjs', 'packages/cli/dist/demo-history-worker.mjs', 'packages/agent/dist/wardwatch-agent.mjs', 'packages/dashboard/dist/index.html'];
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/**
 * The environment of a person's shell: none of the npm_* variables `npm test` sets for its scripts
 * (npm reads npm_config_* as its own settings), and none of wardwatch's own settings.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|WARDWATCH_|KAFKA_BROKERS$|PORT$)/i.test(name)) env[name] = value;
  }
  return env;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the packed tarball, installed globally', () => {
  let scratch: string;
  let prefix: string;
  let installed: string;
  let wardwatch: string;
  let agent: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
    if (missing.length > 0) throw new Error(`not built (${missing.join(', ')}): run \`npm run build\` first (npm test does)`);
    scratch = mkdtempSync(join(tmpdir(), 'ww-packaging-'));
    prefix = join(scratch, 'prefix');
    mkdirSync(prefix);

    // What was built is packed as it is (--ignore-scripts skips prepack's rebuild, which would rewrite
    // dist/ under the other test files running meanwhile).
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
    const tarball = join(scratch, filename!);

    // The dependencies come from the cache `npm ci` filled (the registry only for what it lacks).
    // better-sqlite3's install script builds its native addon; naming it keeps that working under npm's
    // install-script approvals.
    const install = await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball],
      scratch,
      INSTALL_TIMEOUT_MS,
    );
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    installed = join(prefix, 'lib/node_modules/wardwatch');
    wardwatch = join(prefix, 'bin/wardwatch');
    agent = join(prefix, 'bin/wardwatch-agent');
  }, INSTALL_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server!.once('close', resolve));
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('installs the runtime dependencies and no development tools (no TypeScript loader at run time)', () => {
    const modules = join(installed, 'node_modules');
    for (const name of ['better-sqlite3', 'hono', 'pino', 'kafkajs']) expect(existsSync(join(modules, name)), name).toBe(true);
    for (const name of ['tsx', 'typescript', 'esbuild', 'vitest']) expect(existsSync(join(modules, name)), name).toBe(false);
    expect(readdirSync(join(installed, 'packages/dashboard/dist'))).toContain('index.html');
  });

  it('answers wardwatch --help', async () => {
    const empty = mkdtempSync(join(scratch, 'help-'));
    const result = await run(wardwatch, ['--help'], empty);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: wardwatch <command>/);
    expect(result.stdout).toMatch(/\n {2}start /);
  }, 120_000);

  it('answers wardwatch-agent --help and checks the example config it ships', async () => {
    const help = await run(agent, ['--help'], scratch);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/wardwatch-agent/);
    const check = await run(agent, ['check-config', 'deploy/agent/agent.example.yaml'], installed);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^deploy\/agent\/agent\.example\.yaml: OK/);
  }, 120_000);

  it('runs wardwatch start --no-demo in an empty folder: /healthz answers, the dashboard is served, it stops cleanly', async () => {
    const folder = mkdtempSync(join(scratch, 'start-'));
    const child = spawn(wardwatch, ['start', '--no-demo', '--port', '0'], { cwd: folder, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

    const url = await until(() => {
      if (child.exitCode !== null) throw new Error(`wardwatch start exited with ${child.exitCode}: ${output}`);
      return /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
    }, 120_000, 'the URL log line');

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'embedded', store: 'sqlite', processor: 'running' });

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The entry is a module script, or, when the page carries the grid's first frame, imported once
    // that frame is painted (dashboard/src/ui/markup/first-frame.ts).
    const bundle = /(?:src="|import\("\.\/)(app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(bundle, html).toBeDefined();
    const script = await fetch(`${url}/${bundle}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    // The store is the folder's own, made by the installed better-sqlite3.
    expect(existsSync(join(folder, '.data/wardwatch.db'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exit, output.slice(-2000)).toBe(0);
    expect(output).toMatch(/stopped cleanly/);
  }, 180_000);
});
