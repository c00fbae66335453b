// One writer per spool directory: spool.lock holds the owner's pid. A lock naming a live process is
// refused; a lock left by a dead one (kill -9, power loss) is taken over. Synchronous, so that two
// opens in one process cannot interleave.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'spool.lock';

export class SpoolLockedError extends Error {
  override readonly name = 'SpoolLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the spool ${dir} is in use by process ${pid} (see ${join(dir, LOCK_FILE)}); only one agent may write to it`);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeAllSync(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}

/**
 * Takes the directory's lock: creates spool.lock exclusively with our pid, or takes over a lock whose
 * process is gone; throws SpoolLockedError when a live process holds it.
 */
export function acquireLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        // Written and closed in one go; a reader that sees an empty file treats it as being written.
        const buf = Buffer.from(`${process.pid}\n`);
        writeAllSync(fd, buf);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const pid = Number.parseInt(text.trim(), 10);
    if (isAlive(pid)) throw new SpoolLockedError(dir, pid);
    // Stale: the owner died (kill -9, power loss) or never finished writing its pid. Take it over by
    // renaming our own lock file over it, then check that ours is the one that stayed.
    const mine = `${path}.${process.pid}.tmp`;
    const fd = openSync(mine, 'w');
    try {
      writeAllSync(fd, Buffer.from(`${process.pid}\n`));
    } finally {
      closeSync(fd);
    }
    renameSync(mine, path);
    if (Number.parseInt(readFileSync(path, 'utf8').trim(), 10) === process.pid) return;
  }
  throw new Error(`could not take the spool lock ${path}: another process keeps taking it`);
}

/** Gives the directory's lock up, if it is still ours. */
export function releaseLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  try {
    if (Number.parseInt(readFileSync(path, 'utf8').trim(), 10) === process.pid) {
      unlinkSync(path);
    }
  } catch {
    // Already gone.
  }
}
