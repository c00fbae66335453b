// A backup of a SQLite store taken while it is open and written: every row written before it, the
// write-ahead log's included, in a file that opens as a store; nothing overwritten, nothing half-made.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';
import { backupSqliteStore } from './sqlite-backup.ts';
import { record } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const MIN = 60_000;
let files = 0;
const fresh = () => join(dir, `case-${files++}`);

describe('backupSqliteStore', () => {
  it('copies a store that is open and being written: every row written before it, the write-ahead log included', async () => {
    const path = `${fresh()}.db`;
    const store = await openStore(`sqlite:${path}`);
    const written = Array.from({ length: 120 }, (_, i) => record({ start: T0 + i * MIN, valid: i }));
    await store.write(written);
    await store.addAnnotation({ id: 'sso-rollout', trust: 'RXX', scope: 'site:RXX01', kind: 'change', title: 'SSO roll-out', start: T0, createdAt: T0 });
    // Still in the log: a small write is not yet checkpointed into the file.
    expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);

    const to = `${fresh()}.db`;
    const backup = backupSqliteStore(path, to);
    await store.write([record({ start: T0 + 200 * MIN })]); // after the backup: not in it
    expect(backup.rollups).toBe(120);
    expect(backup.newestStart).toBe(T0 + 119 * MIN);
    expect(backup.bytes).toBe(statSync(to).size);
    // The owner's alone, as the store is (it holds the audit trail and API token hashes).
    expect(statSync(to).mode & 0o777).toBe(0o600);

    const copy = await openStore(`sqlite:${to}`);
    try {
      const range = { scope: 'site:S1', resolution: '1m' as const, from: T0, to: T0 + 300 * MIN };
      expect(await copy.query(range)).toEqual(written);
      expect((await store.query(range)).length).toBe(121);
      expect((await copy.annotations({})).map((a) => a.id)).toEqual(['sso-rollout']);
    } finally {
      await copy.close();
      await store.close();
    }
  });

  it('never overwrites a file: the one at the backup\u2019s name is left as it was', async () => {
    const path = `${fresh()}.db`;
    const store = await openStore(`sqlite:${path}`);
    await store.write([record()]);
    await store.close();
    const to = `${fresh()}.db`;
    writeFileSync(to, 'last week\u2019s backup');
    expect(() => backupSqliteStore(path, to)).toThrow(`${to} already exists: a backup never overwrites a file; name a new one`);
    expect(readFileSync(to, 'utf8')).toBe('last week\u2019s backup');
  });

  it.each([
    ['no file there', (path: string) => path, /^no SQLite store at /],
    ['a SQLite file that is not a store', (path: string) => (new Database(path).exec('CREATE TABLE t (x)').close(), path), /is not a wardwatch store \(it has no rollup tables\)$/],
    ['a file that is not SQLite', (path: string) => (writeFileSync(path, 'x'.repeat(4096)), path), /^could not copy .*: file is not a database$/],
  ])('refuses %s, and leaves nothing behind', (_case, make, message) => {
    const path = make(`${fresh()}.db`);
    const to = `${fresh()}.db`;
    const before = readdirSync(dir).length;
    expect(() => backupSqliteStore(path, to)).toThrow(message);
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    expect(readdirSync(dir).length).toBe(before);
  });

  it('names a folder that does not exist', () => {
    const path = `${fresh()}.db`;
    new Database(path).close();
    expect(() => backupSqliteStore(path, join(dir, 'no-such-folder', 'copy.db'))).toThrow(`the folder ${join(dir, 'no-such-folder')} does not exist`);
  });
});
