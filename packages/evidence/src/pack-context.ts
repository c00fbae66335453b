// What every section of the pack shares: the month's tallies (maintenance left out), names, which
// scopes have enough devices to be shown, the targets and the costs.
import { LOGON_PHASES } from '@wardwatch/schema';
import { BinCounts } from './bin-counts.ts';
import { appVolumeOf, staffCostsOf, type EvidenceConfig } from './config.ts';
import type { DirectoryDevice } from './directory.ts';
import { siteOfScope, type MaintenanceWindow, type PackInputs } from './pack-inputs.ts';
import type { StaffCosts } from './staff-costs.ts';
import { TallyIndex } from './tally.ts';
import { DIGEST_BINNED, DIGEST_METRICS, dayEnd, walkDigest } from './device-digest.ts';
import type { Tally } from './tally.ts';
import { spanEnd, type SpanRecord } from './site-days.ts';
import { appTimeLost, logonTimeLost, type AppVolume } from './time-lost.ts';

/** Plain names of the logon phases (a phase without one is shown by its field name). */
export const PHASE_LABELS: Partial<Record<(typeof LOGON_PHASES)[number], string>> & Record<string, string> = {
  winlogonMs: 'Windows logon (credentials)',
  profileMs: 'user profile',
  groupPolicyMs: 'Group Policy',
  preShellMs: 'logon scripts (before the shell)',
  shellMs: 'desktop shell',
  appLogonMs: 'clinical application logon',
  logonTasksMs: 'logon tasks (Active Setup)',
  subscribersMs: 'Winlogon subscribers (e.g. profile containers)',
};

export class PackContext {
  readonly index: TallyIndex;
  readonly costs: StaffCosts;
  readonly volume: AppVolume;
  readonly devicesBySite = new Map<string, DirectoryDevice[]>();
  readonly devicesByWard = new Map<string, DirectoryDevice[]>();
  /** Whether devices are placed in sites and wards (a directory listed them). */
  readonly placed: boolean;
  readonly suppressed: Array<{ scope: string; name: string; devices: number }> = [];
  readonly maintenanceHours: number;
  /** Configured windows (every site) and recorded ones (their site). */
  readonly maintenance: MaintenanceWindow[];
  /** Device digest days read and kept (maintenance leaves out a device's whole day at its site). */
  deviceDays = 0;
  /**
   * The kept digest days' active and disrupted minutes, by device: pairs in `digestMinutes`, from
   * `from` to `to` (the days in order, so the pack adds them as it always has).
   */
  readonly digestMinuteSpans: Array<{ scope: string; from: number; to: number }> = [];
  digestMinutes = new Float64Array(1024);
  /** Folded device days left out whole for a maintenance window. */
  deviceDaysInMaintenance = 0;
  /**
   * Day rows (sites, wards, access points, applications) left out whole for a maintenance window:
   * read from the day tier where the day's hourly rows were no longer all kept.
   */
  readonly scopeDaysInMaintenance: number;
  private readonly siteOfDevice = new Map<string, string>();
  private readonly siteOfAp = new Map<string, string>();

  constructor(readonly inputs: PackInputs, readonly config: EvidenceConfig) {
    this.costs = staffCostsOf(config);
    this.volume = appVolumeOf(config);
    const { from, to } = inputs.period;
    this.maintenance = [...config.maintenance, ...inputs.maintenance];
    for (const d of inputs.directory.devices) this.siteOfDevice.set(`device:${d.id}`, d.site);
    for (const a of inputs.directory.accessPoints) this.siteOfAp.set(`ap:${a.id}`, a.site);
    const excluded = new Set<number>();
    for (const w of this.maintenance) {
      for (let h = Math.floor(Math.max(w.from, from) / 3_600_000) * 3_600_000; h < Math.min(w.to, to); h += 3_600_000) if (h >= from) excluded.add(h);
    }
    this.maintenanceHours = excluded.size;
    let scopeDays = 0;
    this.index = new TallyIndex(inputs.month, (r) => {
      if (!this.inMaintenance(r)) return true;
      if ((r as SpanRecord).end !== undefined) scopeDays++;
      return false;
    });
    this.scopeDaysInMaintenance = scopeDays;
    this.readDigests(inputs.deviceDigests ?? []);
    const sites = new Set(inputs.sites);
    for (const d of inputs.directory.devices) {
      if (!sites.has(d.site)) continue;
      push(this.devicesBySite, d.site, d);
      if (d.ward) push(this.devicesByWard, `${d.site}/${d.ward}`, d);
    }
    this.placed = this.devicesBySite.size > 0;
  }

  /**
   * The month's device digests walked straight into the tallies: a device's tallies are found once,
   * and no day, metric or bin becomes an object (10,000 devices are 310,000 device-days a month).
   */
  private readDigests(digests: PackInputs['deviceDigests']): void {
    let scope = '';
    let tallies: Array<Tally | undefined> = [];
    // A device's bins of each metric gather here over its days, then go to its tally at once: the
    // tally's array is then made once, at the span the month used, not grown day by day (10,000
    // devices' tallies grown three times each were most of the pack's allocation).
    const scratch = DIGEST_METRICS.map(() => new BinCounts());
    let pairs = 0;
    const visitor = {
      day: (start: number): boolean => {
        if (this.dayInMaintenance(scope, start)) {
          this.deviceDaysInMaintenance++;
          return false;
        }
        this.deviceDays++;
        return true;
      },
      counts: (m: number, valid: number, good: number, fast: number): void => {
        (tallies[m] ??= this.index.tally(scope, DIGEST_METRICS[m]!)).addDigestCounts(valid, good, fast, DIGEST_BINNED[m]!);
      },
      bin: (m: number, value: number, n: number, key: number): void => (value === 0 ? scratch[m]!.zero(n) : scratch[m]!.positive(key, n)),
      minutes: (active: number, disrupted: number): void => {
        if (2 * pairs + 2 > this.digestMinutes.length) {
          const grown = new Float64Array(this.digestMinutes.length * 2);
          grown.set(this.digestMinutes);
          this.digestMinutes = grown;
        }
        this.digestMinutes[2 * pairs] = active;
        this.digestMinutes[2 * pairs + 1] = disrupted;
        pairs++;
      },
    };
    for (const d of digests) {
      scope = `device:${d.device}`;
      tallies = new Array<Tally | undefined>(DIGEST_METRICS.length);
      const from = pairs;
      walkDigest(d.month, d.body, visitor);
      for (let m = 0; m < scratch.length; m++) {
        if (scratch[m]!.count === 0) continue;
        tallies[m]!.addDigestBins(scratch[m]!);
        scratch[m]!.clear();
      }
      if (pairs > from) this.digestMinuteSpans.push({ scope, from, to: pairs });
    }
  }

  /** A rollup hour (or day row: the whole day) that overlaps a maintenance window (any month). */
  inMaintenance(record: SpanRecord): boolean {
    const end = spanEnd(record);
    for (const w of this.maintenance) {
      if (!(record.start < w.to && end > w.from)) continue;
      if (w.site === undefined || this.siteOf(record.scope) === w.site) return true;
    }
    return false;
  }

  /** A folded device day that overlaps a maintenance window at the device's site: left out whole. */
  private dayInMaintenance(scope: string, day: number): boolean {
    if (this.maintenance.length === 0) return false;
    const end = dayEnd(day);
    for (const w of this.maintenance) {
      if (!(day < w.to && end > w.from)) continue;
      if (w.site === undefined || this.siteOf(scope) === w.site) return true;
    }
    return false;
  }

  private siteOf(scope: string): string | undefined {
    return siteOfScope(scope) ?? this.siteOfDevice.get(scope) ?? this.siteOfAp.get(scope);
  }

  siteName(site: string): string {
    return this.inputs.directory.sites.find((s) => s.id === site)?.name ?? site;
  }

  wardName(siteWard: string): string {
    const [site, ward] = splitOnce(siteWard);
    return `ward ${ward} at ${this.siteName(site)}`;
  }

  /** Devices of a site or ward ("S1" or "S1/W2"); null when devices are not placed. */
  devicesOf(siteOrWard: string): number | null {
    if (!this.placed) return null;
    return (siteOrWard.includes('/') ? this.devicesByWard : this.devicesBySite).get(siteOrWard)?.length ?? 0;
  }

  /** Whether a scope may be shown (≥ minDevices devices, or device counts unknown); records it otherwise. */
  shown(scope: string, name: string, devices: number | null): boolean {
    if (devices === null || devices >= this.config.minDevices) return true;
    if (!this.suppressed.some((s) => s.scope === scope)) this.suppressed.push({ scope, name, devices });
    return false;
  }

  appTargetS(app: string): number {
    return this.config.applications.targets[app] ?? this.config.applications.targetS;
  }

  /** Hours lost at the site's logons (config target). */
  logonHours(scope: string, targetS = this.config.logons.targetS, index = this.index): number {
    const t = index.get(scope, 'logon.totalMs');
    return t ? logonTimeLost(t.bins, targetS).seconds / 3600 : 0;
  }

  /** Hours lost waiting for applications at a site (each application at its target, or at `targetS`). */
  appHours(site: string, targetS?: number, index = this.index): number {
    let seconds = 0;
    for (const scope of index.scopes(`siteapp:${site}/`)) {
      const all = index.get(scope, 'app.totalMs');
      if (!all) continue;
      const real = index.get(scope, 'app.realMs');
      const app = scope.slice(`siteapp:${site}/`.length);
      seconds += appTimeLost(all.bins, real?.bins ?? EMPTY, targetS ?? this.appTargetS(app), this.volume).seconds;
    }
    return seconds / 3600;
  }
}

const EMPTY = new BinCounts();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function splitOnce(text: string): [string, string] {
  const i = text.indexOf('/');
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}
