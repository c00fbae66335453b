// The single-file agent (packages/agent/dist/wardwatch-agent.mjs) works on its own: copied into an
// empty directory outside the repository — no node_modules anywhere above it — it answers --version,
// checks the example config, runs and delivers to an ingest gateway, answers status, stops cleanly,
// and still reaches kafkajs (bundled, loaded only for Kafka delivery) when the config asks for Kafka.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '@wardwatch/agent';
import { until } from './helpers/sse.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BUILD = join(ROOT, 'packages/agent/build.mjs');
const BUNDLE = join(ROOT, 'packages/agent/dist/wardwatch-agent.mjs');
const EXAMPLE = join(ROOT, 'deploy/agent/agent.example.yaml');

describe('the single-file agent bundle', () => {
  let dir: string;
  let agent: string;
  const cleanups: Array<() => unknown> = [];

  const cli = (args: string[]) => spawnSync(process.execPath, [agent, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });

  beforeAll(() => {
    // Build from the sources as they are now (about a second), so the test never passes on a stale file.
    execFileSync(process.execPath, [BUILD], { stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'ww-agent-bundle-'));
    // Nothing to resolve packages from: no node_modules in the directory or any directory above it.
    for (let at = dir; ; at = dirname(at)) {
      expect(existsSync(join(at, 'node_modules')), `${at}/node_modules must not exist for this test`).toBe(false);
      if (at === parse(at).root) break;
    }
    agent = join(dir, 'wardwatch-agent.mjs');
    copyFileSync(BUNDLE, agent);
    copyFileSync(EXAMPLE, join(dir, 'agent.example.yaml'));
  }, 60_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one executable file starting with #!/usr/bin/env node', () => {
    expect(readFileSync(agent, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    const text = readFileSync(agent, 'utf8');
    // Only Node's own modules are imported; everything else is inside.
    const imports = [...text.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(imports.filter((name) => !name.startsWith('node:') && !/^(fs|path|os|http|https|net|tls|crypto|zlib|events|util|stream|dns|child_process|url|buffer|perf_hooks|module)$/.test(name))).toEqual([]);
  });

  it('answers --version', () => {
    const result = cli(['--version']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(AGENT_VERSION);
  });

  it('checks the example config', () => {
    const result = cli(['check-config', 'agent.example.yaml']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('agent.example.yaml: OK');
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('\n') + 1))).toMatchObject({ identity: { trust: 'RXX' }, delivery: { http: { token: '(set)' } } });
    writeFileSync(join(dir, 'bad.yaml'), 'identity: { trust: RXX, site: RXX01 }\ndelivery: { http: { url: "http://x/api/ingest", token: t } }\n');
    const bad = cli(['check-config', 'bad.yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/identity\.ward: .*missing/);
  });

  it('runs, delivers to the ingest gateway, answers status and stops on SIGTERM', async () => {
    const received: Array<{ kind: string; device: string }> = [];
    // The ingest gateway's stand-in, which is also what the agent's check looks at (GET /healthz).
    const gateway: Server = createServer((req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const events = JSON.parse(body) as Array<{ kind: string; device: string }>;
        received.push(...events);
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accepted: events.length, rejected: 0, rejections: [] }));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => gateway.close(resolve)));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    writeFileSync(
      join(dir, 'run.yaml'),
      `identity: { trust: RXX, site: RXX01, ward: W01, device: RXX01-W01-BUNDLE }
delivery: { http: { url: "${url}/api/ingest", token: bundle-test-token }, flushInterval: 1s }
spool: { dir: ./run-spool }
checks: [{ app: epr, url: "${url}/healthz", interval: 1s }]
collect: { logon: { enabled: false }, wifi: { enabled: false }, health: { interval: 1s } }
marks: { port: 0 }
`,
    );
    const child: ChildProcess = spawn(process.execPath, [agent, 'run', '--config', 'run.yaml'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk) => (log += chunk));
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    const port = await until(() => /"markPort":(\d+)/.exec(log)?.[1], 15_000, 'the bundled agent to start');
    await until(() => received.some((e) => e.kind === 'app') && received.some((e) => e.kind === 'health'), 20_000, 'app and health events at the gateway');
    expect(received.every((e) => e.device === 'RXX01-W01-BUNDLE')).toBe(true);

    const status = cli(['status', '--port', port]);
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ device: 'RXX01-W01-BUNDLE', delivery: { rejected: 0 }, spool: { droppedRecords: 0 } });

    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  }, 60_000);

  it('loads the bundled Kafka client when the config delivers to Kafka', async () => {
    // No broker is needed to show the client is there: with nothing listening, kafkajs itself reports
    // the refused connection, and the agent keeps its measurements in the spool meanwhile.
    writeFileSync(
      join(dir, 'kafka.yaml'),
      `identity: { trust: RXX, site: RXX01, ward: W01, device: RXX01-W01-KAFKA }
delivery: { kafka: { brokers: ["127.0.0.1:1"] }, flushInterval: 1s }
spool: { dir: ./kafka-spool }
collect: { logon: { enabled: false }, wifi: { enabled: false }, health: { interval: 1s } }
marks: { port: 0 }
`,
    );
    const child: ChildProcess = spawn(process.execPath, [agent, 'run', '--config', 'kafka.yaml'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } });
    let log = '';
    child.stderr!.on('data', (chunk) => (log += chunk));
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    await until(() => /"agent started".*"destination":"kafka topic wardwatch\.telemetry/.test(log) || undefined, 15_000, 'the agent to start with Kafka delivery');
    await until(() => /ECONNREFUSED 127\.0\.0\.1:1/.test(log) || undefined, 20_000, 'kafkajs to try the broker');
    expect(log).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND|Dynamic require/);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  }, 60_000);
});
