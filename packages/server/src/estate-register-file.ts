// The estate register as a file in force: read at start (a bad file stops the start), then re-read when
// it changes, like the token file: before each ingest request its modification time, size and inode are
// compared with those of the last read (one stat per request). A file that has become invalid or
// unreadable is reported once and the last valid register stays in force until it is fixed, so a
// half-saved edit never opens ingest to unknown sites nor shuts out the known ones.
import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EstateRegister, EstateRegisterError } from './estate-register.ts';
import type { SiteDirectory, SiteInfo } from './status-board.ts';

/** What ingest asks of a register; EstateRegister answers it, and so does a file in force. */
export interface EstateLookup {
  trustOfSite(site: string): string | undefined;
  siteOfDevice(device: string): string | undefined;
  readonly checksDevices: boolean;
  /** Picks up a changed file, when there is one behind the register. */
  refresh?(): Promise<void>;
}

/** The subset of a pino logger the register file uses. */
export interface RegisterFileLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

function stampOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

export class EstateRegisterFile implements EstateLookup, SiteDirectory {
  private register: EstateRegister;
  private stamp: string;
  private failedStamp: string | undefined;
  private checking: Promise<void> | undefined;

  /** Reads and validates the file; throws EstateRegisterError naming the line or field at fault. */
  static load(file: string, options: { log?: RegisterFileLog } = {}): EstateRegisterFile {
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch (error) {
      throw new EstateRegisterError([`cannot read the file (${(error as Error).message}); check the path`], file);
    }
    return new EstateRegisterFile(file, EstateRegister.load(file), stampOf(stats), options.log);
  }

  private constructor(
    readonly file: string,
    register: EstateRegister,
    stamp: string,
    private readonly log: RegisterFileLog | undefined,
  ) {
    this.register = register;
    this.stamp = stamp;
  }

  /** The register in force. */
  get current(): EstateRegister {
    return this.register;
  }

  trustOfSite(site: string): string | undefined {
    return this.register.trustOfSite(site);
  }

  /** The site directory of the register in force (a changed file changes it): the status board's directory. */
  get(site: string): SiteInfo | undefined {
    return this.register.directory.get(site);
  }

  keys(): Iterable<string> {
    return this.register.directory.keys();
  }

  siteOfDevice(device: string): string | undefined {
    return this.register.siteOfDevice(device);
  }

  get checksDevices(): boolean {
    return this.register.checksDevices;
  }

  /** Re-reads the file if its modification time, size or inode changed since the last read. */
  refresh(): Promise<void> {
    this.checking ??= this.checkForChange().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkForChange(): Promise<void> {
    let stamp: string;
    try {
      stamp = stampOf(await stat(this.file));
    } catch (error) {
      const missing = `missing:${(error as NodeJS.ErrnoException).code}`;
      if (this.failedStamp !== missing) this.report(missing, [`cannot read the file (${(error as Error).message}); check the path`]);
      return;
    }
    if (stamp === this.stamp || stamp === this.failedStamp) return;
    try {
      this.register = EstateRegister.load(this.file);
      this.stamp = stamp;
      this.failedStamp = undefined;
      const devices = this.register.deviceCount === undefined ? 'devices not checked' : `${this.register.deviceCount} devices`;
      this.log?.info({ file: this.file, sites: this.register.siteCount, devices: this.register.deviceCount }, `estate register reloaded: ${this.register.siteCount} sites, ${devices}`);
    } catch (error) {
      this.report(stamp, error instanceof EstateRegisterError ? error.problems : [(error as Error).message]);
    }
  }

  private report(stamp: string, problems: string[]): void {
    this.failedStamp = stamp;
    this.log?.error({ file: this.file, problems }, `estate register not reloaded, the previous one stays in force: ${problems.join('; ')}`);
  }
}
