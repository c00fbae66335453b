// Per-device ingest tokens: with a token file, POST /api/ingest needs `Authorization: Bearer <token>`,
// a token only vouches for its own device (or site), the file is re-read when it changes or on SIGHUP,
// and a bad file stops the start with the field at fault. Without one, ingest stays open and says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, TelemetryEvent } from '@wardwatch/schema';
import type { RunningPipeline } from '@wardwatch/cli';
import { createApp, createMetrics, hashIngestToken, IngestTokenFileError, IngestTokens, listen, newIngestToken, StatusBoard, tokenFileLine, type RejectedInput } from '@wardwatch/server';
import { openStore } from '@wardwatch/store';
import { startTestPipeline } from './helpers/pipeline.ts';
import { until } from './helpers/sse.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-tokens-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let seq = 0;
function appEvent(device: string, site = device.split('-')[0]!): TelemetryEvent {
  seq++;
  return {
    v: 1, id: `token-test-${String(seq).padStart(6, '0')}`, seq, ts: Date.now() - 60_000, trust: 'RXX', site, ward: 'W1', device,
    kind: 'app', body: { app: 'epr', ok: true, status: 200, totalMs: 350 },
  } as TelemetryEvent;
}

function post(url: string, events: TelemetryEvent[], authorization?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(`${url}/api/ingest`, { method: 'POST', body: events.map((e) => JSON.stringify(e)).join('\n'), headers });
}

const tokenFile = (...lines: string[]) => `# wardwatch ingest tokens (SHA-256 of each token)\ntokens:\n${lines.map((l) => `${l}\n`).join('')}`;

describe('ingest with a token file (embedded server)', () => {
  const file = join(scratch, 'tokens.yaml');
  const deviceToken = newIngestToken();
  const siteToken = newIngestToken();
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    writeFileSync(file, tokenFile(tokenFileLine({ device: 'TOK1-W1-D1' }, deviceToken), tokenFileLine({ site: 'TOK2' }, siteToken, { note: 'imaging' })));
    pipeline = await startTestPipeline({ demo: false, clock: 'wall', ingestTokensFile: file });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('keeps only hashes in the file', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(deviceToken);
    expect(text).toContain(hashIngestToken(deviceToken));
    expect(deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
  });

  it('answers 401 with a Bearer challenge when there is no token', async () => {
    const response = await post(pipeline.url, [appEvent('TOK1-W1-D1')]);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(((await response.json()) as { error: string }).error).toMatch(/Authorization: Bearer <token>/);

    const basic = await post(pipeline.url, [appEvent('TOK1-W1-D1')], 'Basic dXNlcjpwYXNz');
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
  });

  it('answers 401 to a token that is not in the file', async () => {
    const response = await post(pipeline.url, [appEvent('TOK1-W1-D1')], `Bearer ${newIngestToken()}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=.*error="invalid_token"/);
    expect(((await response.json()) as { error: string }).error).toMatch(/unknown or revoked/);
    // The hash itself is no token.
    const hash = await post(pipeline.url, [appEvent('TOK1-W1-D1')], `Bearer ${hashIngestToken(deviceToken)}`);
    expect(hash.status).toBe(401);
  });

  it('accepts the token\'s own device and refuses another device\'s event as device-mismatch', async () => {
    const response = await post(pipeline.url, [appEvent('TOK1-W1-D1'), appEvent('TOK1-W1-D2')], `Bearer ${deviceToken}`);
    expect(response.status).toBe(202);
    const result = (await response.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
    expect(result.rejections).toEqual([{ index: 1, reason: 'device-mismatch', message: expect.stringMatching(/^device: "TOK1-W1-D2" is not the device of this token/) }]);

    // Only foreign events: nothing valid, 400 as for any batch without a valid event.
    const foreign = await post(pipeline.url, [appEvent('TOK9-W1-D1')], `Bearer ${deviceToken}`);
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as IngestResult).rejections[0]!.reason).toBe('device-mismatch');

    const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
    expect(metrics).toMatch(/wardwatch_events_rejected_total\{reason="device-mismatch"\} 2/);
    expect(metrics).toMatch(/wardwatch_ingest_unauthorized_total\{reason="invalid"\} [1-9]/);
    expect(metrics).toMatch(/wardwatch_ingest_unauthorized_total\{reason="missing"\} [1-9]/);
  });

  it('lets a site token send for every device of its site, and only that site', async () => {
    const response = await post(pipeline.url, [appEvent('TOK2-W1-D1'), appEvent('TOK2-W4-D9'), appEvent('TOK1-W1-D1')], `Bearer ${siteToken}`);
    expect(response.status).toBe(202);
    const result = (await response.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 2, rejected: 1 });
    expect(result.rejections[0]).toMatchObject({ index: 2, reason: 'site-mismatch', message: expect.stringMatching(/^site: /) });
  });

  it('re-reads the file after an edit: a removed token is revoked, an added one works, a broken edit changes nothing', async () => {
    const newDeviceToken = newIngestToken();
    // Revoke the device token, issue another to a new device; the site token stays.
    writeFileSync(file, tokenFile(tokenFileLine({ site: 'TOK2' }, siteToken), tokenFileLine({ device: 'TOK3-W1-D1' }, newDeviceToken, { issued: '2026-11-24' })));
    expect((await post(pipeline.url, [appEvent('TOK1-W1-D1')], `Bearer ${deviceToken}`)).status).toBe(401);
    expect((await post(pipeline.url, [appEvent('TOK3-W1-D1')], `Bearer ${newDeviceToken}`)).status).toBe(202);

    // A broken file is reported and ignored: the tokens read last stay in force.
    writeFileSync(file, 'tokens:\n  - { device: TOK3-W1-D1, sha256: not-a-hash }\n');
    expect((await post(pipeline.url, [appEvent('TOK3-W1-D1')], `Bearer ${newDeviceToken}`)).status).toBe(202);
    expect((await post(pipeline.url, [appEvent('TOK2-W1-D1')], `Bearer ${siteToken}`)).status).toBe(202);

    // Fixed again (revoking everything): picked up.
    writeFileSync(file, 'tokens: []\n');
    expect((await post(pipeline.url, [appEvent('TOK3-W1-D1')], `Bearer ${newDeviceToken}`)).status).toBe(401);
  });
});

describe('token file errors', () => {
  it('stop the start and name the field at fault, without echoing a token pasted by mistake', async () => {
    const pasted = newIngestToken();
    const file = join(scratch, 'bad.yaml');
    writeFileSync(file, [
      'tokens:',
      `  - { device: BAD1-W1-D1, sha256: "${pasted}" }`,
      `  - { devcie: BAD1-W1-D2, sha256: "${hashIngestToken('a')}" }`,
      `  - { trust: RXX, sha256: "${hashIngestToken('b')}" }`,
      `  - { device: "BAD1 W1", sha256: "${hashIngestToken('c')}" }`,
      '',
    ].join('\n'));
    const error = await startTestPipeline({ demo: false, clock: 'wall', ingestTokensFile: file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IngestTokenFileError);
    const problems = (error as IngestTokenFileError).problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^tokens\[0\]\.sha256: must be the SHA-256 of the token as 64 hex digits/),
      expect.stringMatching(/^tokens\[1\]: unknown field "devcie"/),
      expect.stringMatching(/^tokens\[2\]\.device: give device \(one device, with its site and trust\) or site alone/),
      expect.stringMatching(/^tokens\[3\]\.device: may hold only/),
    ]));
    expect((error as Error).message).not.toContain(pasted);

    writeFileSync(file, `tokens:\n  - { device: D1, sha256: "${hashIngestToken('x')}" }\n  - { device: D2, sha256: "${hashIngestToken('x').toUpperCase()}" }\n`);
    expect(() => IngestTokens.load(file)).toThrow(/tokens\[1\]\.sha256: the same hash as tokens\[0\]/);
    writeFileSync(file, '');
    expect(() => IngestTokens.load(file)).toThrow(/tokens: missing; the file is empty/);
    expect(() => IngestTokens.load(join(scratch, 'absent.yaml'))).toThrow(/cannot read the file/);
  });
});

describe('ingest with a token file (app entry point)', () => {
  it('sends device-mismatch events down the dead-letter path with their original bytes', async () => {
    const file = join(scratch, 'app-tokens.yaml');
    const token = newIngestToken();
    writeFileSync(file, tokenFile(tokenFileLine({ device: 'APP1-W1-D1' }, token)));
    const accepted: TelemetryEvent[] = [];
    const rejected: RejectedInput[] = [];
    const board = new StatusBoard();
    const store = await openStore('sqlite::memory:');
    const server = await listen(
      createApp({
        board,
        store,
        metrics: createMetrics(board, { defaultMetrics: false }),
        ingest: { accept: async (events) => void accepted.push(...events), reject: async (items) => void rejected.push(...items) },
        ingestTokens: IngestTokens.load(file),
      }),
      { port: 0 },
    );
    try {
      const foreign = appEvent('APP1-W1-D2');
      const response = await post(server.url, [appEvent('APP1-W1-D1'), foreign], `Bearer ${token}`);
      expect(response.status).toBe(202);
      expect(accepted.map((e) => e.device)).toEqual(['APP1-W1-D1']);
      expect(rejected).toEqual([{ raw: JSON.stringify(foreign), reason: 'device-mismatch', message: expect.stringMatching(/^device:/), via: 'http' }]);
    } finally {
      await server.close();
      await store.close();
    }
  });
});

describe('ingest without a token file', () => {
  it('stays open and warns once at start that it is unauthenticated', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const pipeline = await startTestPipeline({ demo: false, clock: 'wall', log: pino({ level: 'info' }, sink) });
    try {
      const response = await post(pipeline.url, [appEvent('OPEN1-W1-D1')]);
      expect(response.status).toBe(202);
      const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => /ingest is unauthenticated/.test(l.msg));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.level).toBe(40);
    } finally {
      await pipeline.stop();
    }
  });
});

describe('ingest with an estate register and a scope cap (embedded server, open ingest)', () => {
  it('refuses sites and devices the register does not know, and new scopes past the cap', async () => {
    const estate = join(scratch, 'estate.yaml');
    writeFileSync(estate, ['sites:', '  - { id: EST1, trust: RXX }', '  - { id: EST2, trust: RXX }', 'devices:', '  - { id: EST1-W1-D1, site: EST1 }', ''].join('\n'));
    const pipeline = await startTestPipeline({ demo: false, clock: 'wall', estateFile: estate, scopeCapPerHour: 2 });
    try {
      const response = await post(pipeline.url, [appEvent('EST1-W1-D1'), appEvent('EST9-W1-D1'), appEvent('EST1-W1-D2'), appEvent('EST1-W1-D1', 'EST2')]);
      expect(response.status).toBe(202);
      expect(((await response.json()) as IngestResult).rejections.map((r) => [r.index, r.reason])).toEqual([
        [1, 'unknown-site'],
        [2, 'unknown-device'],
        [3, 'site-mismatch'],
      ]);
      // Known site and device, but each new ward is a new scope: W1 was the first, W2 the second, W3 is past the cap of 2.
      const wards = await post(pipeline.url, ['W2', 'W3'].map((ward) => ({ ...appEvent('EST1-W1-D1'), ward })));
      expect(((await wards.json()) as IngestResult).rejections).toEqual([{ index: 1, reason: 'scope-cap', message: expect.stringMatching(/^open ingest has brought 2 new/) }]);
      const metrics = await (await fetch(`${pipeline.url}/metrics`)).text();
      for (const reason of ['unknown-site', 'unknown-device', 'site-mismatch', 'scope-cap']) {
        expect(metrics).toContain(`wardwatch_events_rejected_total{reason="${reason}"} 1`);
      }

      // A site added to the register is known at the next request, without a restart: no longer
      // unknown-site, only its ward is new, and that is past the cap.
      writeFileSync(estate, ['sites:', '  - { id: EST1, trust: RXX }', '  - { id: EST2, trust: RXX }', '  - { id: EST9, trust: RXX }', 'devices:', '  - { id: EST1-W1-D1, site: EST1 }', '  - { id: EST9-W1-D1, site: EST9 }', ''].join('\n'));
      const added = await post(pipeline.url, [appEvent('EST9-W1-D1')]);
      expect(await added.json()).toMatchObject({ accepted: 0, rejections: [{ reason: 'scope-cap' }] });
    } finally {
      await pipeline.stop();
    }
  });
});

// The command line as an operator uses it: issue a token, paste its line, start, send, SIGHUP.
const root = new URL('..', import.meta.url).pathname;
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const main = join(root, 'packages/cli/src/main.ts');

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; stdout: () => string; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, main, ...args], { cwd: scratch, env: { ...process.env, PORT: '', WARDWATCH_INGEST_TOKENS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  child.stdout!.on('data', (d) => ((stdout += d), (output += d)));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, output: () => output, exit };
}

async function issue(args: string[]): Promise<{ token: string; line: string }> {
  const issued = run(['token', ...args]);
  expect(await issued.exit).toBe(0);
  const [token, line, ...rest] = issued.stdout().split('\n');
  expect(rest).toEqual(['']);
  expect(issued.output()).toMatch(/under "tokens:"/);
  return { token: token!, line: line! };
}

describe('wardwatch token and --ingest-tokens', () => {
  it('prints a token and a file line that a started server accepts, and re-reads the file on SIGHUP', async () => {
    const device = await issue(['--device', 'CLI1-W1-D1', '--site', 'CLI1', '--trust', 'RXX']);
    expect(device.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(device.line).toContain(hashIngestToken(device.token));
    expect(device.line).toContain('site: "CLI1", trust: "RXX"');
    expect(device.line).not.toContain(device.token);
    const file = join(scratch, 'cli-tokens.yaml');
    writeFileSync(file, `tokens:\n${device.line}\n`);
    const estate = join(scratch, 'cli-estate.csv');
    writeFileSync(estate, 'trust,site,device\nRXX,CLI1,\nRXX,CLI2,\n');

    const server = run(['start', '--no-demo', '--port', '0', '--store', 'sqlite::memory:', '--ingest-tokens', file, '--estate', estate]);
    try {
      const url = await until(() => /"url":"(http:\/\/[^"]+)"/.exec(server.output())?.[1], 30_000, 'the URL log line');
      expect(server.output()).toMatch(/ingest needs a device token: 1 entries/);
      expect(server.output()).toMatch(/estate register: 2 sites, devices not checked/);
      expect(server.output()).toMatch(/at most 1000 new sites, wards and devices per token per hour/);
      expect(server.output()).not.toMatch(/ingest is unauthenticated/);
      expect((await post(url, [appEvent('CLI1-W1-D1')])).status).toBe(401);
      const response = await post(url, [appEvent('CLI1-W1-D1'), appEvent('CLI1-W1-D1', 'CLI2')], `Bearer ${device.token}`);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ accepted: 1, rejected: 1, rejections: [{ index: 1, reason: 'site-mismatch' }] });

      // A site token appended to the file, then SIGHUP: reloaded at once, and the new token works.
      const site = await issue(['--site', 'CLI2', '--note', 'imaging ward 4']);
      writeFileSync(file, `${readFileSync(file, 'utf8')}${site.line}\n`);
      server.child.kill('SIGHUP');
      await until(() => /"trigger":"SIGHUP".*ingest tokens reloaded: 2 entries/.test(server.output()) || undefined, 10_000, 'the reload log line');
      expect((await post(url, [appEvent('CLI2-W4-D2')], `Bearer ${site.token}`)).status).toBe(202);

      server.child.kill('SIGINT');
      expect(await server.exit, server.output().slice(-2000)).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses to start with a bad token file (named by WARDWATCH_INGEST_TOKENS), naming the field', async () => {
    const file = join(scratch, 'cli-bad.yaml');
    writeFileSync(file, 'tokens:\n  - { device: CLI1-W1-D1 }\n');
    const started = run(['start', '--no-demo', '--port', '0', '--store', 'sqlite::memory:'], { WARDWATCH_INGEST_TOKENS: file });
    expect(await started.exit).toBe(2);
    expect(started.output()).toMatch(/tokens\[0\]\.sha256: must be the SHA-256 [^"]*; missing/);
  }, 30_000);

  it('reads token files written before tokens carried a site, and counts their unbound device tokens', () => {
    const file = join(scratch, 'old-and-new.yaml');
    writeFileSync(file, tokenFile(
      tokenFileLine({ device: 'OLD1-W1-D1' }, newIngestToken(), { issued: '2026-11-01' }),
      tokenFileLine({ device: 'NEW1-W1-D1', site: 'NEW1', trust: 'RXX' }, newIngestToken()),
      tokenFileLine({ site: 'NEW1' }, newIngestToken()),
    ));
    const tokens = IngestTokens.load(file);
    expect([tokens.size, tokens.unboundDeviceTokens]).toEqual([3, 1]);
  });

  it('refuses to start with a bad estate register, naming the line', async () => {
    const file = join(scratch, 'cli-bad-estate.csv');
    writeFileSync(file, 'trust,site,device\nT1,S1,D1\nT2,S1,D2\n');
    const started = run(['start', '--no-demo', '--port', '0', '--store', 'sqlite::memory:', '--estate', file]);
    expect(await started.exit).toBe(2);
    expect(started.output()).toMatch(/line 3: site S1 is in trust T1 on line 2, here in T2/);
  }, 30_000);
});
