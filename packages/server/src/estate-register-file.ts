// The estate register as a file in force (file-in-force.ts, as the token file): read at start, re-read
// when it changes before an ingest request; a version that has become invalid or unreadable is reported
// once and the last valid register stays in force, so a half-saved edit never opens ingest to unknown
// sites nor shuts out the known ones.
import { FileInForce, type FileInForceLog } from './file-in-force.ts';
import { EstateRegister } from './estate-register.ts';
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
export type RegisterFileLog = FileInForceLog;

/** The estate register in force (file-in-force.ts): ingest's lookup and the status board's site directory. */
export class EstateRegisterFile implements EstateLookup, SiteDirectory {
  /** Reads and validates the file; throws EstateRegisterError (estate-register.ts) naming the line or field at fault. */
  static load(file: string, options: { log?: RegisterFileLog } = {}): EstateRegisterFile {
    return new EstateRegisterFile(
      FileInForce.load(file, {
        read: (at) => EstateRegister.load(at),
        reloaded: (register) => {
          const devices = register.deviceCount === undefined ? 'devices not checked' : `${register.deviceCount} devices`;
          return { details: { sites: register.siteCount, devices: register.deviceCount }, message: `estate register reloaded: ${register.siteCount} sites, ${devices}` };
        },
        notReloaded: (problems) => `estate register not reloaded, the previous one stays in force: ${problems.join('; ')}`,
        log: options.log,
      }),
    );
  }

  private constructor(private readonly source: FileInForce<EstateRegister>) {}

  get file(): string {
    return this.source.file;
  }

  /** The register in force. */
  get current(): EstateRegister {
    return this.source.value;
  }

  trustOfSite(site: string): string | undefined {
    return this.current.trustOfSite(site);
  }

  /** The site directory of the register in force (a changed file changes it): the status board's directory. */
  get(site: string): SiteInfo | undefined {
    return this.current.directory.get(site);
  }

  keys(): Iterable<string> {
    return this.current.directory.keys();
  }

  siteOfDevice(device: string): string | undefined {
    return this.current.siteOfDevice(device);
  }

  get checksDevices(): boolean {
    return this.current.checksDevices;
  }

  /** Re-reads the file if its modification time, size or inode changed since the last read. */
  refresh(): Promise<void> {
    return this.source.refresh();
  }
}
