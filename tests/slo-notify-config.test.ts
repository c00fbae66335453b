// Notifiers configured by the operator: `wardwatch start --slo-file FILE` reads the file's
// `notifications:` and sends alerts there — here a webhook receiver on 127.0.0.1 gets the page for an
// application outage in an accelerated demo — and a notifier with a bad field is refused at start,
// naming the field, with exit code 2.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '@wardwatch/slo';
import { startJsonReceiver, type JsonReceiver } from './helpers/receiver.ts';
import { until } from './helpers/sse.ts';

const root = new URL('..', import.meta.url).pathname;
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const main = join(root, 'packages/cli/src/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-notify-'));

function run(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, main, ...args], { cwd: scratch, env: { ...process.env, PORT: '', WARDWATCH_TEST_HOOK: hookUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

let receiver: JsonReceiver<WebhookPayload>;
let hookUrl: string;

beforeAll(async () => {
  receiver = await startJsonReceiver<WebhookPayload>();
  hookUrl = `${receiver.url}/hooks/wardwatch`;
});

afterAll(async () => {
  await receiver?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const SLOS = `apiVersion: wardwatch/v1
slos:
  - name: app-availability
    scope: { kind: application, selector: "*" }
    indicator: { kind: availability }
    objective: 0.995
`;

describe('notifications configured in the SLO file', () => {
  it('wardwatch start --slo-file sends the page to the configured webhook', async () => {
    const file = join(scratch, 'slos.yaml');
    // The URL comes from the environment, as a secret would.
    writeFileSync(file, `${SLOS}notifications:\n  - type: webhook\n    name: service-desk\n    url: \${WARDWATCH_TEST_HOOK}\n`);
    const started = run(['start', '--port', '0', '--speed', '600', '--sites', '2', '--backfill-hours', '0', '--scenario', 'app-down', '--store', 'sqlite::memory:', '--slo-file', file]);
    try {
      const page = await until(
        () => receiver.received.find((d) => d.body.status === 'firing' && d.body.alert.severity === 'page' && d.body.alert.scope === 'app:pacs'),
        40_000,
        `the page at the webhook (output so far: ${started.output().slice(-500)})`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${started.output().slice(-2000)}`);
      });
      expect(page.path).toBe('/hooks/wardwatch');
      expect(page.body).toMatchObject({ kind: 'wardwatch.slo-alert', alert: { slo: 'app-availability', scope: 'app:pacs', severity: 'page' } });
      // The log says where notifications go without the URL's path (it may hold a secret).
      expect(started.output()).toMatch(/"notifiers":\["service-desk \(webhook to http:\/\/127\.0\.0\.1:\d+\)"\]/);
      expect(started.output()).not.toContain('/hooks/wardwatch');
    } finally {
      started.child.kill('SIGINT');
      expect(await started.exit).toBe(0);
    }
  }, 60_000);

  it.each([
    ['a webhook URL that is not http', '  - { type: webhook, url: "hooks.example/x" }\n', /notifications\[0\]\.url: must be the receiver as an http:\/\/ or https:\/\/ URL/],
    ['an email without a port', '  - { type: email, host: smtp.trust.nhs.uk, from: wardwatch@trust.nhs.uk, to: [desk@trust.nhs.uk] }\n', /notifications\[0\]\.port: must be the SMTP port/],
    ['an unknown notifier type', '  - { type: pager, url: "http://x" }\n', /notifications\[0\]\.type: must be one of webhook, teams, slack, alertmanager, email/],
  ])('refuses to start with %s, naming the field (exit code 2)', async (_case, lines, message) => {
    const file = join(scratch, 'bad.yaml');
    writeFileSync(file, `${SLOS}notifications:\n${lines}`);
    const refused = run(['start', '--port', '0', '--store', 'sqlite::memory:', '--slo-file', file]);
    expect(await refused.exit).toBe(2);
    expect(refused.output()).toMatch(message);
    expect(refused.output()).toContain('invalid SLO configuration');
  }, 30_000);
});
