// `wardwatch backup`: what it says and returns for each kind of store. The pg_dump command it gives
// for a PostgreSQL store is run, as a user would paste it, against this machine's PostgreSQL
// (127.0.0.1:5432, database test), and its dump listed with pg_restore.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, PostgresRollupStore } from '@wardwatch/store';
import { runBackup } from './backup.ts';

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-backup-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function backup(storeUrl: string, to: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runBackup({ command: 'backup', storeUrl, to }, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

describe('wardwatch backup', () => {
  it('copies a SQLite store and says what the copy holds', async () => {
    const path = join(dir, 'live.db');
    const store = await openStore(`sqlite:${path}`);
    const start = Date.UTC(2026, 10, 24, 9, 0);
    await store.write([{ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start, count: 3, valid: 3, good: 3, fast: 3, sketch: new Uint8Array([1]) }]);
    const result = backup(`sqlite:${path}`, join(dir, 'copy.db'));
    await store.close();
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(new RegExp(`^backed up ${escaped(path)} to ${escaped(join(dir, 'copy.db'))}: \\d+ kB, 1 rollup rows, newest window 2026-11-24 09:00 UTC; checked \\(\\d+ ms\\)\\n$`));
  });

  it('says why it made no copy, exit code 1', () => {
    expect(backup(`sqlite:${join(dir, 'nothing-here.db')}`, join(dir, 'copy-2.db'))).toEqual({ code: 1, out: '', err: `wardwatch: no SQLite store at ${join(dir, 'nothing-here.db')}\n` });
  });

  it('refuses a store in memory, exit code 2', () => {
    expect(backup('sqlite::memory:', join(dir, 'copy-3.db'))).toMatchObject({ code: 2, err: 'wardwatch: sqlite::memory: is not a file to back up\n' });
  });

  it('gives a PostgreSQL store\u2019s pg_dump command, without its password — and the command works', async () => {
    const schema = `ww_backup_${process.pid}`;
    const store = await PostgresRollupStore.open({ connectionString: base, schema });
    try {
      await store.write([{ scope: 'site:S1', metric: 'app.totalMs', resolution: '1m', start: Date.UTC(2026, 10, 24, 9), count: 1, valid: 1, good: 1, fast: 1, sketch: new Uint8Array([1]) }]);
      const withPassword = new URL(base);
      withPassword.password = 'hunter2';
      withPassword.searchParams.set('schema', schema);
      const to = join(dir, 'wardwatch.pgdump');
      const result = backup(withPassword.toString(), to);
      expect(result.code).toBe(2);
      expect(result.err).not.toContain('hunter2');
      const command = /^ {2}(pg_dump .*)$/m.exec(result.err)?.[1];
      expect(command).toBe(`pg_dump --format=custom --schema=${schema} --file=${to} ${base}`);
      // Trust auth here: no password asked. Run as a shell would split it (no quoting needed above).
      const [program, ...args] = command!.split(' ');
      execFileSync(program!, args, { stdio: 'pipe' });
      const listed = execFileSync('pg_restore', ['--list', to], { encoding: 'utf8' });
      expect(listed).toMatch(new RegExp(`TABLE ${schema} rollups `));
      expect(listed).toMatch(new RegExp(`TABLE DATA ${schema} rollups `));
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });
});
