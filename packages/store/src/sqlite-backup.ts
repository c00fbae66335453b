// A copy of a SQLite store taken while wardwatch runs: SQLite's VACUUM INTO, which reads one
// consistent snapshot (in WAL mode the writer carries on meanwhile) and writes it compacted to a new
// file. Copying the file with cp while it is written can catch a page half-way through a checkpoint,
// and misses what is still in the write-ahead log beside it. The copy is checked (quick_check) and
// flushed to disk under a temporary name, then renamed: a file under the backup's name is whole.
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface SqliteBackup {
  /** The copy's size on disk. */
  bytes: number;
  /** Rollup rows in the copy: the minute, 5-minute and hourly rows, the day and the month tiers. */
  rollups: number;
  /** The newest rollup window's start in the copy, epoch ms (undefined: none). */
  newestStart: number | undefined;
}

/** Why a backup was not made: a message for the person who asked, nothing half-written left behind. */
export class SqliteBackupError extends Error {}

/** Copies the SQLite store at `path` to `to`, a new file; never overwrites one. */
export function backupSqliteStore(path: string, to: string): SqliteBackup {
  if (!existsSync(path)) throw new SqliteBackupError(`no SQLite store at ${path}`);
  if (existsSync(to)) throw new SqliteBackupError(`${to} already exists: a backup never overwrites a file; name a new one`);
  if (!existsSync(dirname(to) || '.')) throw new SqliteBackupError(`the folder ${dirname(to)} does not exist`);
  const partial = join(dirname(to), `.${basename(to)}.partial-${process.pid}`);
  const source = new Database(path, { fileMustExist: true });
  try {
    // A store open elsewhere may be mid-write: wait for its lock rather than fail at once.
    source.pragma('busy_timeout = 10000');
    const tables = source.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('rollups', 'day_rollups', 'month_rollups')").pluck().get();
    if (tables !== 3) throw new SqliteBackupError(`${path} is not a wardwatch store (it has no rollup tables)`);
    // The copy holds what the store holds (the audit trail, API token hashes): the owner's alone, as
    // the store is. VACUUM INTO writes into an empty file it is given, keeping its mode.
    closeSync(openSync(partial, 'wx', 0o600));
    source.prepare('VACUUM INTO ?').run(partial);
  } catch (error) {
    removeCopy(partial);
    throw error instanceof SqliteBackupError ? error : new SqliteBackupError(`could not copy ${path}: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  try {
    const copy = new Database(partial, { fileMustExist: true, readonly: true });
    let summary: Omit<SqliteBackup, 'bytes'>;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new SqliteBackupError(`the copy of ${path} failed SQLite's quick_check: ${String(check)}`);
      const rows = copy.prepare('SELECT (SELECT COUNT(*) FROM rollups) + (SELECT COUNT(*) FROM day_rollups) + (SELECT COUNT(*) FROM month_rollups)').pluck().get() as number;
      const newest = copy.prepare('SELECT MAX(start) FROM rollups').pluck().get() as number | null;
      summary = { rollups: rows, newestStart: newest ?? undefined };
    } finally {
      copy.close();
    }
    // VACUUM INTO does not sync what it wrote: the file, then the rename in its folder.
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, to);
    syncFolder(dirname(to) || '.');
    return { bytes: statSync(to).size, ...summary };
  } catch (error) {
    removeCopy(partial);
    throw error instanceof SqliteBackupError ? error : new SqliteBackupError(`could not finish the backup of ${path}: ${(error as Error).message}`);
  }
}

/** A copy given up: with the log and shared-memory files SQLite may have made beside it. */
function removeCopy(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
