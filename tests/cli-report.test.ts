// `wardwatch report` as a user runs it: against a SQLite store holding a simulated trust's month,
// with an inventory file; bad flags and months fail clearly.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EvidencePack } from '@wardwatch/schema';
import { SqliteRollupStore } from '@wardwatch/store';
import { londonMonth } from '@wardwatch/evidence';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';

const root = new URL('..', import.meta.url).pathname;
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const main = join(root, 'packages/cli/src/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-report-'));
const db = join(scratch, 'trust.db');

beforeAll(async () => {
  const store = new SqliteRollupStore(db);
  const oct = londonMonth('2026-10');
  await writeTrust(store, { from: oct.from, to: oct.to });
  await store.close();
  const { source: _source, ...inventory } = trustDirectory();
  writeFileSync(join(scratch, 'inventory.yaml'), stringify(inventory));
  writeFileSync(join(scratch, 'evidence.yaml'), 'applications: { checkIntervalS: 300 }\nlogons: { targetS: 25 }\n');
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, main, ...args], { cwd: scratch, env: { ...process.env, WARDWATCH_ESTATE: '', WARDWATCH_EVIDENCE_FILE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('wardwatch report', () => {
  it('writes the JSON pack to a file, showing progress on stderr', async () => {
    const out = join(scratch, 'rxx-2026-10.json');
    const { code, stderr } = await run(['report', '--trust', 'RXX', '--month', '2026-10', '--out', out, '--store', `sqlite:${db}`, '--inventory', 'inventory.yaml', '--config', 'evidence.yaml']);
    expect(stderr).toMatch(/report: 1\/\d+ site S1/);
    expect(stderr).toMatch(/report: wrote .*rxx-2026-10\.json \(json\): [\d.,]+ staff hours lost, £[\d,]+ – £[\d,]+ at 2023\/24 prices/);
    expect(code).toBe(0);
    const pack = EvidencePack.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(pack.method.period.hours).toBe(745);
    expect(pack.sensitivity.logons.map((r) => r.targetMs)).toEqual([10_000, 20_000, 30_000]);
    expect(pack.method.thresholds[0]!.value).toBe('25 s');
    expect(pack.method.suppressed.map((s) => s.scope)).toContain('site:S3');
  }, 60_000);

  it('writes one site\'s CSV to standard output', async () => {
    const { code, stdout } = await run(['report', '--trust', 'RXX', '--site', 'S2', '--month', '2026-10', '--format', 'csv', '--store', `sqlite:${db}`, '--inventory', 'inventory.yaml']);
    expect(code).toBe(0);
    expect(stdout.split('\r\n')[0]).toBe('trust,month,section,scope,name,figure,value,unit');
    expect(stdout).toContain('site:S2');
    expect(stdout).not.toContain('site:S1');
  }, 60_000);

  it.each([
    [['report', '--month', '2026-10'], /report needs --trust ID/],
    [['report', '--trust', 'RXX', '--month', '2026-13'], /report needs --month YYYY-MM, e.g. 2026-10; got "2026-13"/],
    [['report', '--trust', 'RXX', '--month', '2026-10', '--format', 'docx'], /--format must be one of html, pdf, csv, json; got "docx"/],
    [['report', '--trust', 'RXX', '--month', '2026-10', '--format', 'pdf'], /--format pdf needs --out FILE/],
    [['report', '--trust', 'RXX', '--site', 'S9', '--month', '2026-10', '--store', `sqlite:${db}`, '--inventory', 'inventory.yaml'], /site S9 is not one of trust RXX's sites \(S1, S2, S3\)/],
    [['report', '--trust', 'RXX', '--month', '2026-10', '--store', `sqlite:${db}`, '--config', 'missing.yaml'], /missing\.yaml: invalid evidence configuration.*\n.*cannot read the file/],
    [['report', '--trust', 'RXX', '--month', '2026-10', '--store', `sqlite:${db}`, '--inventory', 'missing.yaml'], /missing\.yaml: invalid inventory.*\n.*cannot read the inventory/],
    [['report', '--trust', 'RXY', '--month', '2026-10', '--store', `sqlite:${db}`, '--inventory', 'inventory.yaml'], /^wardwatch report: no trust "RXY": the inventory inventory\.yaml knows RXX\n$/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  }, 60_000);
});
