// Durable file writes for the spool: a directory fsynced so that a creation or rename in it survives a
// crash, and a file replaced atomically (a reader after a crash sees the old contents or the new,
// never part of either).
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Fsyncs a directory, so that the files created or renamed in it are there after a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; its renames and creations are durable by then anyway.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes a file atomically and durably: temp file, fsync, rename over the target, fsync the directory. */
export async function writeFileAtomic(dir: string, name: string, contents: string): Promise<void> {
  const target = join(dir, name);
  const temp = `${target}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await fsyncDir(dir);
}
