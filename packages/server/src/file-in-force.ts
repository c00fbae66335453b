// A configuration file in force (the ingest token file, the estate register): read at start, where a
// bad file stops the start; then re-read when it changes — before each use its inode, size,
// modification and change times are compared with those of the last read (one stat a use) — or at
// once when asked (SIGHUP). A file that has become invalid or unreadable is reported once, and the
// last valid version stays in force until it is fixed, so a half-saved edit never changes what is let
// in.
import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

/** The subset of a pino logger a file in force reports to. */
export interface FileInForceLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface FileInForceOptions<T> {
  /**
   * Reads and validates the file; throws an error with `problems` (each naming a line or field) when
   * it cannot be read or is not valid — the error a start is refused with.
   */
  read(file: string): T;
  /** What the log says when a new version is in force. */
  reloaded(value: T, trigger: 'file changed' | 'SIGHUP'): { details: object; message: string };
  /** What the log says when a version is refused, the one in force (`current`) staying. */
  notReloaded(problems: string[], current: T): string;
  log?: FileInForceLog;
}

const stampOf = (stats: Stats): string => `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
const cannotRead = (error: unknown): string[] => [`cannot read the file (${(error as Error).message}); check the path`];
const problemsOf = (error: unknown): string[] => {
  const problems = (error as { problems?: unknown }).problems;
  return Array.isArray(problems) ? (problems as string[]) : [(error as Error).message];
};

export class FileInForce<T> {
  private version: T;
  private stamp: string;
  /** The stamp of a version found invalid (or of the file's absence), reported once, not at every use. */
  private failedStamp: string | undefined;
  private checking: Promise<void> | undefined;

  /** Reads and validates the file; throws `read`'s error when it cannot be read or is not valid. */
  static load<T>(file: string, options: FileInForceOptions<T>): FileInForce<T> {
    const version = options.read(file);
    // Gone again since it was read: no stamp, so the next check reads it again (and says so if it cannot).
    const stats = statSync(file, { throwIfNoEntry: false });
    return new FileInForce(file, version, stats ? stampOf(stats) : '', options);
  }

  private constructor(
    readonly file: string,
    version: T,
    stamp: string,
    private readonly options: FileInForceOptions<T>,
  ) {
    this.version = version;
    this.stamp = stamp;
  }

  /** The version in force. */
  get value(): T {
    return this.version;
  }

  /** Re-reads the file if its inode, size or times changed since the last read; one check at a time. */
  refresh(): Promise<void> {
    this.checking ??= this.checkForChange().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /**
   * The version in force after the same check for a change, made at once (one statSync): for a reader
   * that cannot wait, such as a pack's build asking where its devices belong.
   */
  valueNow(): T {
    let stats: Stats;
    try {
      stats = statSync(this.file);
    } catch (error) {
      this.statFailed(error);
      return this.version;
    }
    this.statDone(stats);
    return this.version;
  }

  /** Re-reads the file now (SIGHUP). False when it is invalid or unreadable: the version in force stays. */
  reload(): boolean {
    let stamp: string;
    try {
      stamp = stampOf(statSync(this.file));
    } catch (error) {
      this.report(undefined, cannotRead(error));
      return false;
    }
    return this.apply(stamp, 'SIGHUP');
  }

  private async checkForChange(): Promise<void> {
    await stat(this.file).then(
      (stats) => this.statDone(stats),
      (error: unknown) => this.statFailed(error),
    );
  }

  /** A check's stat: a stamp not seen (neither in force nor found invalid) is read. */
  private statDone(stats: Stats): void {
    const stamp = stampOf(stats);
    if (stamp !== this.stamp && stamp !== this.failedStamp) this.apply(stamp, 'file changed');
  }

  /** A check's stat that failed: said once for as long as the file stays missing. */
  private statFailed(error: unknown): void {
    const missing = `missing:${(error as NodeJS.ErrnoException).code}`;
    if (this.failedStamp !== missing) this.report(missing, cannotRead(error));
  }

  private apply(stamp: string, trigger: 'file changed' | 'SIGHUP'): boolean {
    try {
      this.version = this.options.read(this.file);
    } catch (error) {
      this.report(stamp, problemsOf(error));
      return false;
    }
    this.stamp = stamp;
    this.failedStamp = undefined;
    const { details, message } = this.options.reloaded(this.version, trigger);
    this.options.log?.info({ file: this.file, ...details }, message);
    return true;
  }

  private report(stamp: string | undefined, problems: string[]): void {
    this.failedStamp = stamp;
    this.options.log?.error({ file: this.file, problems }, this.options.notReloaded(problems, this.version));
  }
}
