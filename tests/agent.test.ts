// The workstation agent end to end: agent → POST /api/ingest → processor → the device and its
// figures in /api/sites/:id. Once in-process (the agent's own clock set to the simulated trust's stepped
// one), and
// once as the real command line a service manager runs, with the mark CLI a login script calls.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent, parseAgentConfig } from '@wardwatch/agent';
import type { SiteDetail } from '@wardwatch/schema';
import { MIN, startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

const ROOT = new URL('..', import.meta.url);
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', ROOT).href;
const AGENT_MAIN = new URL('packages/agent/src/main.ts', ROOT).pathname;
const NETSH = readFileSync(new URL('packages/agent/fixtures/wifi/netsh-connected.txt', ROOT), 'utf8');
const silent = () => {};

function agentCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', TSX_LOADER, AGENT_MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });
}

async function site(url: string, id: string): Promise<SiteDetail | undefined> {
  const response = await fetch(`${url}/api/sites/${id}`);
  return response.ok ? ((await response.json()) as SiteDetail) : undefined;
}

describe('workstation agent → ingest → processor → API', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('puts the device, its access point and its figures on its site page', async () => {
    // The demo trust on the stepped clock; the agent stamps its measurements with that clock, as a
    // real agent stamps them with the wall clock of a real trust.
    const pipeline = await startTestPipeline();
    cleanups.push(() => pipeline.stop());
    const dir = mkdtempSync(join(tmpdir(), 'ww-agent-'));
    const config = parseAgentConfig(`
identity: { trust: RXX, site: RXX01, ward: W01, device: RXX01-W01-AGENT1 }
delivery: { http: { url: "${pipeline.url}/api/ingest", token: test-device-token }, flushInterval: 1s }
spool: { dir: "${dir}" }
checks: [{ app: epr, url: "${pipeline.url}/healthz", interval: 1s, timeout: 5s }, { dns: localhost, interval: 1s }]
collect: { logon: { enabled: false }, wifi: { interval: 1s }, health: { interval: 1s } }
marks: { port: 0 }
`);
    // Windows' netsh, answered from a recorded fixture: this machine has no wireless adapter.
    const agent = await Agent.start(config, {
      log: silent,
      now: pipeline.clock,
      platform: 'win32',
      run: async (file) => (file === 'netsh' ? NETSH : ''),
    });
    cleanups.push(() => agent.stop());

    // The agent measures and sends on its own (wall-clock) timers: once three application checks and a
    // Wi-Fi sample are measured and nothing is left in its spool, they are all in the pipeline.
    await until(() => {
      const { measured, delivery } = agent.status();
      return (measured.app ?? 0) >= 3 && (measured.wifi ?? 0) >= 1 && delivery.backlog === 0 ? true : undefined;
    }, 30_000, 'three application checks and a Wi-Fi sample delivered');
    // Then simulated time moves past their minute: its window closes, and the device's figures go out.
    await pipeline.advance(3 * MIN);
    const device = (await site(pipeline.url, 'RXX01'))?.devices.find((d) => d.id === 'RXX01-W01-AGENT1');
    expect(device, 'the agent’s device on the RXX01 page').toBeDefined();
    expect(device!.figures.appChecks).toBeGreaterThanOrEqual(3);
    expect(device).toMatchObject({ site: 'RXX01', ward: 'W01', ap: '3c:a8:2a:10:00:9a' });
    expect(device!.figures.availability).toBe(1);
    expect(device!.figures.p95Ms).toBeGreaterThan(0);
    expect(device!.figures.wifiSignalDbm).toBeLessThan(-30);
    const status = agent.status();
    expect(status.delivery.sent).toBeGreaterThan(0);
    expect(status.delivery.rejected).toBe(0);
    expect(status.measured).toMatchObject({ app: expect.any(Number), wifi: expect.any(Number), health: expect.any(Number), net: expect.any(Number) });
    expect(status.failing).toEqual({});
  }, 90_000);

  it('runs as a command: check-config, run, mark and status, and stops cleanly on SIGTERM', async () => {
    // No simulated trust here: the agent's own wall-clock measurements are all the pipeline sees.
    const pipeline = await startTestPipeline({ demo: false, clock: 'wall', processor: { windowMs: 10_000, watermarkLagMs: 2_000, allowedLatenessMs: 20_000, statusHorizonMs: 60_000 } });
    cleanups.push(() => pipeline.stop());
    const dir = mkdtempSync(join(tmpdir(), 'ww-agent-cli-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(
      file,
      `identity: { trust: RXX, site: RXX07, ward: W02, device: RXX07-W02-CLI }
delivery: { http: { url: "${pipeline.url}/api/ingest", token: test-device-token }, flushInterval: 1s }
spool: { dir: ./data }
checks: [{ app: epr, url: "${pipeline.url}/healthz", interval: 1s }]
collect: { logon: { enabled: false }, wifi: { enabled: false }, health: { interval: 2s } }
marks: { port: 0 }
`,
    );
    const checked = agentCli(['check-config', file]);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain(`${file}: OK`);
    expect(checked.stdout).not.toContain('test-device-token'); // secrets are not echoed

    writeFileSync(join(dir, 'bad.yaml'), 'identity: { trust: RXX, site: RXX07 }\ndelivery: { http: { url: "http://x/api/ingest", token: t } }\n');
    const bad = agentCli(['check-config', join(dir, 'bad.yaml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/identity\.ward: .*missing/);

    const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, AGENT_MAIN, 'run', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk) => (log += chunk));
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    const port = await until(() => /"markPort":(\d+)/.exec(log)?.[1], 20_000, 'the agent to start');

    const start = agentCli(['mark', 'epr-login', 'start', '--port', port]);
    expect(start.status, start.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const end = agentCli(['mark', 'epr-login', 'end', '--port', port]);
    expect(end.status, end.stderr).toBe(0);
    expect(end.stdout).toMatch(/^epr-login: \d+\.\d s$/m);
    const unmatched = agentCli(['mark', 'pacs-login', 'end', '--port', port]);
    expect(unmatched.status).toBe(1);
    expect(unmatched.stderr).toMatch(/no open mark "pacs-login"/);

    const device = await until(async () => {
      const detail = await site(pipeline.url, 'RXX07');
      const found = detail?.devices.find((d) => d.id === 'RXX07-W02-CLI');
      return found && found.figures.appChecks >= 2 ? found : undefined;
    }, 60_000, 'the command-line agent’s device with checks');
    expect(device.ward).toBe('W02');
    // The marked logon is the EPR's, stored as the site's application-logon phase — not a workstation logon.
    const exported = (metric: string) => fetch(`${pipeline.url}/api/export?scope=site:RXX07&metric=${metric}&resolution=1m&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`).then((r) => r.text());
    const appLogon = await until(async () => ((await exported('logon.appLogonMs')).includes('logon.appLogonMs') ? true : undefined), 120_000, 'the marked logon\u2019s phase row (stored once its window is final and written)');
    expect(appLogon).toBe(true);
    expect(await exported('logon.totalMs')).not.toContain('logon.totalMs');
    expect((await site(pipeline.url, 'RXX07'))!.devices.find((d) => d.id === 'RXX07-W02-CLI')!.figures.logons).toBe(0);

    const status = agentCli(['status', '--port', port]);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ device: 'RXX07-W02-CLI', spool: { droppedRecords: 0 }, delivery: { rejected: 0 } });

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  }, 240_000);
});
