// `wardwatch backup`: a copy of a SQLite store, taken while wardwatch runs (store's sqlite-backup.ts
// says how it stays consistent). What it wrote goes to standard output, a line a person or a cron
// job's mail can read; why it could not, to standard error with exit code 1. A PostgreSQL store is
// PostgreSQL's to back up: the message gives the pg_dump command for its schema.
import { backupSqliteStore, SqliteBackupError, sqliteStorePath } from '@wardwatch/store';
import type { BackupArgs } from '../args.ts';

export function runBackup(
  args: BackupArgs,
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
): number {
  const path = sqliteStorePath(args.storeUrl);
  if (path === undefined) {
    err(`wardwatch: backup copies a SQLite store; a PostgreSQL store is backed up with PostgreSQL's own tools:\n  ${pgDumpCommand(args.storeUrl, args.to)}\n(docs/operations.md, "Backups")\n`);
    return 2;
  }
  if (path === '' || path === ':memory:') {
    err(`wardwatch: ${args.storeUrl} is not a file to back up\n`);
    return 2;
  }
  const started = Date.now();
  try {
    const backup = backupSqliteStore(path, args.to);
    const newest = backup.newestStart === undefined ? 'no rollups yet' : `newest window ${new Date(backup.newestStart).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    out(`backed up ${path} to ${args.to}: ${megabytes(backup.bytes)}, ${backup.rollups.toLocaleString('en-GB')} rollup rows, ${newest}; checked (${Date.now() - started} ms)\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SqliteBackupError)) throw error;
    err(`wardwatch: ${error.message}\n`);
    return 1;
  }
}

/** pg_dump for the store's database and schema, its password left out (pg_dump asks, or reads PGPASSWORD). */
export function pgDumpCommand(storeUrl: string, to: string): string {
  const url = new URL(storeUrl);
  const schema = url.searchParams.get('schema') ?? 'wardwatch';
  url.searchParams.delete('schema');
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.delete(key);
  return `pg_dump --format=custom --schema=${shellWord(schema)} --file=${shellWord(to)} ${shellWord(url.toString())}`;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function megabytes(bytes: number): string {
  return bytes < 1_000_000 ? `${(bytes / 1000).toFixed(0)} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}
