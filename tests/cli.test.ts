// The `wardwatch` command as a user runs it: bad flags fail clearly; start logs its URL, serves,
// shuts down cleanly on Ctrl-C with the store flushed, and a restart keeps the history.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SiteDetail, SiteSummary } from '@wardwatch/schema';
import { until } from './helpers/sse.ts';

const root = new URL('..', import.meta.url).pathname;
// tsx's loader by absolute URL: the child may run in another folder.
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const main = join(root, 'packages/cli/src/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  // node with tsx as a loader (no wrapper process in between): signals reach wardwatch itself.
  const child = spawn(process.execPath, ['--import', TSX_LOADER, main, ...args], { cwd: scratch, env: { ...process.env, PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe('wardwatch command line', () => {
  it.each([
    [['start', '--port', 'eighty'], /--port must be a whole number/],
    [['start', '--speed', '0'], /--speed must be a number between/],
    [['start', '--scenario', 'meteor'], /--scenario must be one of/],
    [['start', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['start', '--store', 'mysql://x'], /--store must be sqlite/],
    // The password in a mistyped store URL is not echoed.
    [['start', '--store', 'mysql://wardwatch:hunter2@db'], /--store must be sqlite:<path> or postgres:\/\/…; got "mysql:\/\/wardwatch:\*\*\*@db"/],
    [['launch'], /unknown command "launch"/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const { output, exit } = run(args);
    expect(await exit).toBe(2);
    expect(output()).toMatch(message);
    expect(output()).not.toContain('hunter2');
  });

  it('logs why ingest refused an event, in the operator\u2019s log (not only a counter)', async () => {
    const store = `sqlite:${join(scratch, 'refusals.db')}`;
    const started = run(['start', '--no-demo', '--port', '0', '--store', store]);
    try {
      const url = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(started.output())?.[1], 60_000, 'the URL log line');
      const bad = { v: 1, id: 'refused-event-000001', seq: 1, ts: Date.now(), trust: 'RXX', site: 'S1', ward: 'W1', device: 'D1', kind: 'logon', body: { ok: 'yes', totalMs: 1000 } };
      const response = await fetch(`${url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify(bad) });
      expect(response.status).toBe(400);
      const line = await until(() => /ingest refused an event \(schema\): [^"]*/.exec(started.output())?.[0], 10_000, 'the refusal in the log');
      expect(line).toMatch(/body\.ok/);
    } finally {
      started.child.kill('SIGTERM');
      await started.exit;
    }
  }, 90_000);

  it('logs the store it runs on without its password', async () => {
    const pgBase = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `ww_cli_redact_${process.pid}`;
    // PostgreSQL here trusts local connections, so any password is accepted: the log must not show it.
    const url = new URL(pgBase);
    url.password = 'S3cret-store-pass';
    url.searchParams.set('schema', schema);
    const started = run(['start', '--no-demo', '--port', '0', '--store', url.toString()]);
    try {
      await until(() => /is running at/.test(started.output()) || undefined, 60_000, 'the start line');
      expect(started.output()).not.toContain('S3cret-store-pass');
      expect(started.output()).toMatch(/"store":"postgres:\/\/[^"]*:\*\*\*@127\.0\.0\.1:5432\/test\?schema=ww_cli_redact_\d+"/);
    } finally {
      started.child.kill('SIGTERM');
      await started.exit;
      const { PostgresRollupStore } = await import('@wardwatch/store');
      const store = await PostgresRollupStore.open({ connectionString: pgBase, schema });
      await store.dropSchema();
      await store.close();
    }
  }, 90_000);

  it('refuses to start with a bad evidence settings file or inventory as with a bad SLO file: exit code 2, the file and field named, no stack', async () => {
    const bad = join(scratch, 'bad-evidence.yaml');
    (await import('node:fs')).writeFileSync(bad, 'logons:\n  targetS: -3\n');
    for (const [args, message] of [
      [['start', '--port', '0', '--evidence-config', bad], /bad-evidence\.yaml: invalid evidence configuration.*logons\.targetS/s],
      [['start', '--port', '0', '--inventory', 'missing.yaml'], /missing\.yaml: invalid inventory.*cannot read the inventory/s],
    ] as const) {
      const { output, exit } = run([...args]);
      expect(await exit).toBe(2);
      expect(output()).toMatch(message);
      expect(output()).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('writes Prometheus rules for the SLOs that promtool accepts, and names the field of a bad SLO file', async () => {
    const out = join(scratch, 'wardwatch-rules.yaml');
    const ok = run(['rules', '--out', out]);
    expect(await ok.exit).toBe(0);
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('promtool', ['check', 'rules', out], { encoding: 'utf8' })).toMatch(/SUCCESS: \d+ rules found/);

    const bad = join(scratch, 'bad-slos.yaml');
    (await import('node:fs')).writeFileSync(bad, 'slos:\n  - name: x\n    objective: 1.5\n');
    const refused = run(['rules', '--slo-file', bad]);
    expect(await refused.exit).toBe(2);
    expect(refused.output()).toMatch(/objective/);
    // In the words `start` refuses the same file with (one message for one mistake), and no stack.
    const started = run(['start', '--port', '0', '--no-demo', '--slo-file', bad]);
    expect(await started.exit).toBe(2);
    const problem = `${bad}: invalid SLO configuration:\n  slos[0].scope: must be a scope such as { kind: site, selector: "*" } (kind one of trust, site, application); missing\n  slos[0].indicator: must be an indicator such as { kind: logon } (kind one of latency, logon, availability); missing\n  slos[0].objective: must be between 0 and 1 (exclusive); got 1.5`;
    expect(refused.output()).toBe(`wardwatch rules: ${problem}\n`);
    expect(started.output()).toContain(JSON.stringify(problem).slice(1, -1));
    expect(started.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('starts, logs its URL, stops cleanly on SIGINT, and keeps history across a restart', async () => {
    const store = `sqlite:${join(scratch, 'history.db')}`;
    const args = ['start', '--port', '0', '--speed', '120', '--sites', '2', '--backfill-hours', '0.5', '--store', store];

    const first = run(args);
    const url = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(first.output())?.[1], 30_000, 'the URL log line');
    expect(first.output()).toMatch(/wardwatch is running at http:\/\/127\.0\.0\.1:\d+/);
    const site = await until(async () => {
      const sites = (await (await fetch(`${url}/api/sites`)).json()) as SiteSummary[];
      return sites.find((s) => s.appChecks > 0);
    }, 30_000, 'a site with figures');
    const before = await until(async () => {
      const detail = (await (await fetch(`${url}/api/sites/${site.id}?hours=2`)).json()) as SiteDetail;
      return detail.series.t.length >= 10 ? detail : undefined;
    }, 30_000, 'ten minutes of chart history');
    first.child.kill('SIGINT');
    const code = await first.exit;
    expect(code, first.output().slice(-2000)).toBe(0);
    expect(first.output()).toMatch(/stopped cleanly/);

    const second = run(args);
    const url2 = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(second.output())?.[1], 30_000, 'the URL log line after restart');
    // The history written by the first run is served by the second (a fresh process, the same file).
    // Six hours' chart (still of minutes: series.ts), not two: at 120× the second run's clock moves two
    // hours a minute, and a slow start (a loaded machine) can carry a two-hour window past the first
    // run's first minute.
    const after = await until(async () => {
      const response = await fetch(`${url2}/api/sites/${site.id}?hours=6`);
      if (response.status !== 200) return undefined;
      const detail = (await response.json()) as SiteDetail;
      return detail.series.t.includes(before.series.t[0]!) ? detail : undefined;
    }, 30_000, 'the first run\'s history after restart');
    expect(after.series.t[0]).toBeLessThanOrEqual(before.series.t[0]!);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 120_000);

  it('backs up the store while it runs; a start on the copy serves the history it held', async () => {
    const store = join(scratch, 'live.db');
    const copy = join(scratch, 'backup', 'wardwatch-copy.db');
    mkdirSync(join(scratch, 'backup'));
    const args = ['start', '--port', '0', '--speed', '120', '--sites', '2', '--backfill-hours', '0.5'];
    const first = run([...args, '--store', `sqlite:${store}`]);
    let before: SiteDetail;
    let siteId: string;
    try {
      const url = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(first.output())?.[1], 30_000, 'the URL log line');
      const site = await until(async () => ((await (await fetch(`${url}/api/sites`)).json()) as SiteSummary[]).find((s) => s.appChecks > 0), 30_000, 'a site with figures');
      siteId = site.id;
      before = await until(async () => {
        const detail = (await (await fetch(`${url}/api/sites/${site.id}?hours=2`)).json()) as SiteDetail;
        return detail.series.t.length >= 10 ? detail : undefined;
      }, 30_000, 'ten minutes of chart history');
      // While the first run writes: the command as a user types it.
      const backup = run(['backup', '--store', `sqlite:${store}`, '--to', copy]);
      expect(await backup.exit, backup.output()).toBe(0);
      expect(backup.output()).toMatch(/^backed up .*live\.db to .*wardwatch-copy\.db: [\d.]+ [kM]B, [\d,]+ rollup rows, newest window \d{4}-\d\d-\d\d \d\d:\d\d UTC; checked \(\d+ ms\)\n$/);
      // A second backup to the same name is refused: the first is kept.
      const again = run(['backup', '--store', `sqlite:${store}`, '--to', copy]);
      expect(await again.exit).toBe(1);
      expect(again.output()).toContain('already exists: a backup never overwrites a file');
    } finally {
      first.child.kill('SIGTERM');
      await first.exit;
    }

    const restored = run([...args, '--store', `sqlite:${copy}`]);
    try {
      const url = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(restored.output())?.[1], 30_000, 'the URL log line on the copy');
      const after = await until(async () => {
        const response = await fetch(`${url}/api/sites/${siteId}?hours=6`);
        if (response.status !== 200) return undefined;
        const detail = (await response.json()) as SiteDetail;
        return detail.series.t.includes(before.series.t[0]!) ? detail : undefined;
      }, 30_000, 'the first run\'s history, served from the copy');
      expect(after.series.t[0]).toBeLessThanOrEqual(before.series.t[0]!);
    } finally {
      restored.child.kill('SIGTERM');
      expect(await restored.exit).toBe(0);
    }
  }, 150_000);
});
