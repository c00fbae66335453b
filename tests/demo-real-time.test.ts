// The demo keeps simulated and real time apart. In one folder, as a user would: an accelerated demo
// (`wardwatch start --speed 600`) runs its clock hours ahead and stops; then the README's real-time
// `wardwatch start`, and the real agent with the shipped example config (deploy/agent/agent.example.yaml,
// pointed at this server and a temporary spool) — its device is on the board with its own, wall-clock
// time. A real-time start on the accelerated demo's store is refused, naming it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScopeStatus, SiteSummary } from '@wardwatch/schema';
import { until } from './helpers/sse.ts';

const ROOT = new URL('..', import.meta.url);
// tsx's loader by absolute URL: the children run in another folder.
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', ROOT).href;
const WARDWATCH = new URL('packages/cli/src/main.ts', ROOT).pathname;
const AGENT = new URL('packages/agent/src/main.ts', ROOT).pathname;
const EXAMPLE = new URL('deploy/agent/agent.example.yaml', ROOT).pathname;
const HOUR = 3_600_000;

const folder = mkdtempSync(join(tmpdir(), 'wardwatch-demo-time-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

/** A command run in the folder, its output (stdout and stderr) gathered, and how it ended. */
function run(entry: string, args: string[]) {
  // node with tsx as a loader (no wrapper process in between): signals reach the command itself.
  // The defaults are under test: no store or port from the environment.
  const { WARDWATCH_STORE: _store, PORT: _port, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, entry, ...args], { cwd: folder, env: { ...env, WARDWATCH_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** The small demo both starts run: two sites, no backfill or months of history (not what is tested). */
const SMALL = ['--port', '0', '--sites', '2', '--backfill-hours', '0', '--history-months', '0'];

const urlOf = (output: () => string, what: string) => until(() => /"url":"(http:\/\/[^"]+)"/.exec(output())?.[1], 60_000, what);

describe('the demo keeps simulated and real time apart', () => {
  it('after an accelerated run in the same folder, the example agent’s device shows with its own time', async () => {
    // 1. An accelerated demo, run until its figures are an hour ahead of the wall clock, then stopped.
    const accelerated = run(WARDWATCH, ['start', '--speed', '600', ...SMALL]);
    const fastUrl = await urlOf(accelerated.output, 'the accelerated demo to start');
    expect(accelerated.output()).toContain('"store":"sqlite:.data/wardwatch-speed.db"');
    await until(async () => {
      const sites = (await (await fetch(`${fastUrl}/api/sites`)).json()) as SiteSummary[];
      return sites.some((s) => s.asOf > Date.now() + HOUR);
    }, 60_000, 'the accelerated demo’s figures an hour ahead of the wall clock');
    accelerated.child.kill('SIGINT');
    expect(await accelerated.exit, accelerated.output().slice(-2000)).toBe(0);
    expect(existsSync(join(folder, '.data/wardwatch-speed.db'))).toBe(true);

    // 2. Real time on that store is refused, never resumed: it names the store and how far ahead it is.
    const refused = run(WARDWATCH, ['start', '--store', 'sqlite:.data/wardwatch-speed.db', ...SMALL]);
    expect(await refused.exit, refused.output().slice(-2000)).toBe(2);
    expect(refused.output()).toMatch(/wardwatch: the store sqlite:\.data\/wardwatch-speed\.db holds a demo's simulated clock (\d+ h( \d+ min)?|\d+ d( \d+ h)?) ahead of the wall clock/);

    // 3. The README's real-time start, in the same folder: its own store, the wall clock's time.
    const live = run(WARDWATCH, ['start', ...SMALL]);
    const url = await urlOf(live.output, 'the real-time demo to start');
    expect(live.output()).toContain('"store":"sqlite:.data/wardwatch.db"');

    // 4. The real agent with the example config, changed only where it must be: this server's address
    //    (for delivery and the check), a spool of its own, and any free port for marks.
    const example = readFileSync(EXAMPLE, 'utf8');
    expect(example).toContain('http://localhost:8080/api/ingest');
    const config = join(folder, 'agent.yaml');
    writeFileSync(
      config,
      example
        .replaceAll('http://localhost:8080', url)
        .replace(/^(\s*dir:) \.\/wardwatch-agent-data\b/m, `$1 ${join(folder, 'agent-spool')}`)
        .replace(/^(\s*port:) 47600\b/m, '$1 0'),
    );
    expect(readFileSync(config, 'utf8')).not.toMatch(/localhost:8080|wardwatch-agent-data|47600/);
    const agent = run(AGENT, ['run', '--config', config]);
    const device = await until(() => /"agent started".*?"device":"([^"]+)"/.exec(agent.output())?.[1], 30_000, 'the agent to start');

    const seen = await until(async () => {
      const devices = (await (await fetch(`${url}/api/devices`)).json()) as ScopeStatus[];
      return devices.find((d) => d.id === device);
    }, 150_000, `the agent’s device ${device} in /api/devices`);
    expect(seen).toMatchObject({ trust: 'RXX', site: 'RXX01', ward: 'W01' });
    // Its own time: the figures' event time is the wall clock's (the measurements' minute), not hours ahead.
    expect(Math.abs(seen.asOf - Date.now())).toBeLessThan(10 * 60_000);
    expect(agent.output()).not.toMatch(/DELIVERY REFUSED/);

    agent.child.kill('SIGTERM');
    expect(await agent.exit, agent.output().slice(-2000)).toBe(0);
    live.child.kill('SIGINT');
    expect(await live.exit, live.output().slice(-2000)).toBe(0);
  }, 300_000);
});
