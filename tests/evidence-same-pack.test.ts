// One pack, whoever builds it: a trust's own evidence settings (targets, staff mix, baseline,
// thresholds, maintenance) and inventory given to `wardwatch report --config --inventory`, to the
// running server (`start --evidence-config --inventory`, here startEmbedded with the same files) for
// GET /api/reports, and to the SLO file's monthly email — and the three packs for the same month are
// the same, field for field, apart from when each was made — incidents included, which all three
// read from the store's alert history.
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EvidencePack } from '@wardwatch/schema';
import { SqliteRollupStore } from '@wardwatch/store';
import { addMonths, londonMonth, nextReportDue } from '@wardwatch/evidence';
import { startEmbedded, type RunningPipeline } from '@wardwatch/cli';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';

const root = new URL('..', import.meta.url).pathname;
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-same-pack-'));
const db = join(scratch, 'trust.db');
const configFile = join(scratch, 'evidence.yaml');
const inventoryFile = join(scratch, 'inventory.yaml');
// The month the email sends on its next first working day: last month, as of the wall clock.
const MONTH = nextReportDue(Date.now()).month;
const PERIOD = londonMonth(MONTH);

let pipeline: RunningPipeline;
let smtp: SMTPServer;
const mail: string[] = [];

beforeAll(async () => {
  const store = new SqliteRollupStore(db);
  await writeTrust(store, { from: londonMonth(addMonths(MONTH, -1)).from, to: PERIOD.to, seed: 5 });
  await store.close();
  const { source: _source, ...inventory } = trustDirectory();
  writeFileSync(inventoryFile, stringify(inventory));
  // Every kind of setting away from its default.
  const day3 = PERIOD.from + 2 * 86_400_000;
  writeFileSync(
    configFile,
    stringify({
      priceYear: '2024/25',
      staffMix: { nurseBand5: 0.6, registrar: 0.4 },
      logons: { targetS: 25, sensitivityS: [15, 25, 35] },
      applications: { targetS: 1.5, targets: { pacs: 3 }, sensitivityS: [1, 1.5, 3], checkIntervalS: 300, screensPerHour: 30 },
      wifi: { goodDbm: -65 },
      baseline: { from: addMonths(MONTH, -1), to: addMonths(MONTH, -1), label: 'the month before' },
      minDevices: 4,
      trendMonths: 3,
      maintenance: [{ from: new Date(day3 + 10 * 3_600_000).toISOString(), to: new Date(day3 + 12 * 3_600_000).toISOString(), label: 'core switch upgrade' }],
    }),
  );
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (mail.push(Buffer.concat(chunks).toString('utf8')), callback()));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const sloFile = join(scratch, 'slos.yaml');
  writeFileSync(
    sloFile,
    `${readFileSync(join(root, 'packages/slo/src/default-slos.yaml'), 'utf8')}
notifications:
  - { type: email, name: board-mail, host: 127.0.0.1, port: ${(smtp.server.address() as AddressInfo).port}, from: wardwatch@trust.example.nhs.uk, to: [cio@trust.example.nhs.uk] }
reports:
  - { trust: RXX, email: board-mail, format: json }
`,
  );
  pipeline = await startEmbedded({
    port: 0,
    host: '127.0.0.1',
    storeUrl: `sqlite:${db}`,
    log: pino({ level: 'silent' }),
    demo: false,
    seed: 1,
    speed: 1,
    clock: 'stepped',
    // The SLOs evaluated at 14:00 on the month's last day (London midnight less ten hours): their
    // windows hold the day's data, so its alerts fire and are recorded.
    startAt: PERIOD.to - 10 * 3_600_000,
    dashboard: false,
    sloFile,
    evidence: { configFile, inventoryFile },
  });
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

function report(): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'packages/cli/src/main.ts'), 'report', '--trust', 'RXX', '--month', MONTH, '--out', join(scratch, 'cli.json'), '--store', `sqlite:${db}`, '--config', configFile, '--inventory', inventoryFile], {
    cwd: scratch,
    env: { ...process.env, WARDWATCH_ESTATE: '', WARDWATCH_EVIDENCE_FILE: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

/** The JSON attachment of a MIME message. */
function attachment(raw: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)![1]!;
  const part = raw.split(`--${boundary}`).find((p) => /filename=wardwatch-evidence-RXX-/.test(p))!;
  return Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
}

/** A pack without the instant it was made. */
function comparable(pack: EvidencePack) {
  const { generatedAt: _at, ...rest } = pack;
  return rest;
}

describe('the API, the email and the command line build the same pack from the trust\'s settings', () => {
  it('agree field for field, and the settings are the trust\'s, not the defaults', async () => {
    const res = await fetch(`${pipeline.url}/api/reports/RXX/${MONTH}.json`);
    expect(res.status).toBe(200);
    const api = EvidencePack.parse(await res.json());

    const { code, stderr } = await report();
    expect(code, stderr).toBe(0);
    const cli = EvidencePack.parse(JSON.parse(readFileSync(join(scratch, 'cli.json'), 'utf8')));

    const [sender] = pipeline.reportSenders;
    expect(sender!.next.month).toBe(MONTH);
    await sender!.tick(sender!.next.at);
    // (The same notifier also mails the SLO alerts the month's data fires.)
    const packs = mail.filter((m) => /^Subject: Evidence pack for /m.test(m));
    expect(packs).toHaveLength(1);
    const email = EvidencePack.parse(JSON.parse(attachment(packs[0]!)));

    // The trust's settings, in every pack.
    for (const pack of [api, cli, email]) {
      expect(pack.priceYear).toBe('2024/25');
      expect(pack.sensitivity.logons.map((r) => r.targetMs)).toEqual([15_000, 25_000, 35_000]);
      expect(pack.method.thresholds.find((t) => t.name === 'Logon target')!.value).toBe('25 s');
      expect(pack.method.thresholds.find((t) => t.name === 'Application target')!.value).toBe('1.5 s (pacs 3 s)');
      expect(pack.wifi.thresholdDbm).toBe(-65);
      expect(pack.method.minDevices).toBe(4);
      expect(pack.trend.months).toHaveLength(3);
      expect(pack.trend.baseline.label).toBe('the month before');
      expect(pack.method.maintenance.windows.map((w) => w.label)).toEqual(['core switch upgrade']);
      // Placed by the inventory: models named, a 3-device site left out (4 at least are needed).
      expect(pack.devices.models.map((m) => m.name)).toContain('Old Desktop 800 G1');
      expect(pack.method.suppressed.map((s) => s.scope)).toContain('site:S3');
      expect(pack.method.assumptions[0]).toContain(`inventory ${inventoryFile}`);
    }
    expect(api.summary.timeLost.hours).toBeGreaterThan(0);
    // The alerts the server's evaluation fired, read from the store by all three.
    expect(api.applications.incidents!.length).toBeGreaterThan(0);
    expect(comparable(api)).toEqual(comparable(cli));
    expect(comparable(email)).toEqual(comparable(cli));
  }, 180_000);
});
