// The estate register: the sites (and, optionally, devices) a trust has, so that ingest refuses events
// from places nobody knows (`unknown-site`, `unknown-device`) instead of inventing them; and the site
// directory the dashboard shows: each site's name, and its type and area (region or ICB place) for
// the grid's filters and groups. Read at start from YAML or CSV; a bad file stops the start with the
// line or field at fault.
//
// YAML (JSON is valid YAML too):
//
//   sites:
//     - { id: RXX01, trust: RXX, name: "Royal Infirmary", type: Acute hospital, area: Northfield }
//   devices:                       # optional: without this list, devices are not checked
//     - { id: RXX01-W03-D07, site: RXX01 }
//
// CSV: a header row naming the columns trust, site and device, and optionally name, type and area
// (a site's, on any of its rows; ward may follow and is ignored); one row per device, or a row with
// an empty device for a site without listed devices.
//
//   trust,site,device,name,type,area
//   RXX,RXX01,RXX01-W03-D07,Royal Infirmary,Acute hospital,Northfield
//   RXX,RXX02,,Elm House,Mental health unit,Westmoor
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Identifier, parseConfig } from '@wardwatch/schema';
import type { SiteDirectory, SiteInfo } from './status-board.ts';

export class EstateRegisterError extends Error {
  override readonly name = 'EstateRegisterError';
  readonly code = 'ESTATE_REGISTER_INVALID';
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    super(`${source ? `${source}: ` : ''}invalid estate register (fix these and start again):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

export interface RegisterSite {
  id: string;
  trust: string;
  name?: string;
  type?: string;
  area?: string;
}

/** Known sites (with their trust, name, type and area) and, when listed, known devices (with their site). */
export class EstateRegister {
  private constructor(
    private readonly sites: ReadonlyMap<string, SiteInfo>,
    /** undefined: the register lists no devices, so devices are not checked. */
    private readonly devices: ReadonlyMap<string, string> | undefined,
  ) {}

  static of(sites: Iterable<RegisterSite>, devices?: Iterable<{ id: string; site: string }>): EstateRegister {
    const info = ({ id, trust, name, type, area }: RegisterSite): SiteInfo => ({ name: name ?? id, trust, ...(type ? { type } : {}), ...(area ? { area } : {}) });
    return new EstateRegister(
      new Map([...sites].map((s) => [s.id, info(s)])),
      devices === undefined ? undefined : new Map([...devices].map((d) => [d.id, d.site])),
    );
  }

  /** The sites as the status board's directory: name (the id when none is given), trust, type, area. */
  get directory(): SiteDirectory {
    return this.sites;
  }

  get siteCount(): number {
    return this.sites.size;
  }

  /** Undefined when the register lists no devices. */
  get deviceCount(): number | undefined {
    return this.devices?.size;
  }

  trustOfSite(site: string): string | undefined {
    return this.sites.get(site)?.trust;
  }

  /** The device's site; undefined when unknown or when the register lists no devices. */
  siteOfDevice(device: string): string | undefined {
    return this.devices?.get(device);
  }

  get checksDevices(): boolean {
    return this.devices !== undefined;
  }

  /** Reads a .csv file as CSV, anything else as YAML. */
  static load(file: string): EstateRegister {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new EstateRegisterError([`cannot read the file (${(error as Error).message}); check the path`], file);
    }
    return file.toLowerCase().endsWith('.csv') ? parseEstateCsv(text, file) : parseEstateYaml(text, file);
  }
}

const label = z.string().trim().min(1, { error: 'must not be empty (leave it out instead)' }).max(100, { error: 'at most 100 characters' });
const siteEntry = z.strictObject({ id: Identifier, trust: Identifier, name: label.optional(), type: label.optional(), area: label.optional() });
const deviceEntry = z.strictObject({ id: Identifier, site: Identifier, ward: Identifier.optional() });
const fileSchema = z.strictObject({
  sites: z.array(siteEntry, { error: 'must be a list of {id, trust, name?, type?, area?} entries' }),
  devices: z.array(deviceEntry, { error: 'must be a list of {id, site} entries' }).optional(),
});

export function parseEstateYaml(text: string, source?: string): EstateRegister {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new EstateRegisterError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  const raw: unknown = document.toJS();
  const result = parseConfig(fileSchema, raw ?? {});
  if (!result.ok) throw new EstateRegisterError(result.problems, source);
  const problems = crossCheck(result.value.sites, result.value.devices ?? [], (kind, i) => `${kind}[${i}]`);
  if (problems.length > 0) throw new EstateRegisterError(problems, source);
  return EstateRegister.of(result.value.sites, result.value.devices);
}

export function parseEstateCsv(text: string, source?: string): EstateRegister {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const headerAt = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
  if (headerAt < 0) throw new EstateRegisterError(['the file is empty: give a header row "trust,site,device" and one row per device'], source);
  const header = lines[headerAt]!.split(',').map((c) => c.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const [trustCol, siteCol, deviceCol] = [column('trust'), column('site'), column('device')];
  const labelCols = (['name', 'type', 'area'] as const).map((field) => [field, column(field)] as const).filter(([, col]) => col >= 0);
  if (trustCol < 0 || siteCol < 0 || deviceCol < 0) {
    throw new EstateRegisterError([`line ${headerAt + 1}: the header row must name the columns trust, site and device; got "${lines[headerAt]}"`], source);
  }
  const sites = new Map<string, RegisterSite & { line: number }>();
  const devices: Array<{ id: string; site: string; line: number }> = [];
  const problems: string[] = [];
  for (let n = headerAt + 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    const [trust, site, device] = [cells[trustCol] ?? '', cells[siteCol] ?? '', cells[deviceCol] ?? ''];
    const bad = [['trust', trust], ['site', site], ...(device ? [['device', device]] : [])].find(([, v]) => !Identifier.safeParse(v).success);
    if (bad) {
      problems.push(`line ${n + 1}: ${bad[0]} "${bad[1]}" must be 1 to 128 letters, digits and . _ : - /`);
      continue;
    }
    const known = sites.get(site);
    if (known && known.trust !== trust) problems.push(`line ${n + 1}: site ${site} is in trust ${known.trust} on line ${known.line}, here in ${trust}`);
    const entry = known ?? { id: site, trust, line: n + 1 };
    if (!known) sites.set(site, entry);
    // A site's name, type and area may be on any of its rows, the same wherever given.
    for (const [field, col] of labelCols) {
      const value = cells[col] ?? '';
      if (value === '') continue;
      if (value.length > 100) problems.push(`line ${n + 1}: ${field} of site ${site} is over 100 characters`);
      else if (entry[field] !== undefined && entry[field] !== value) problems.push(`line ${n + 1}: site ${site} has ${field} "${entry[field]}" on an earlier line, here "${value}"`);
      else entry[field] = value;
    }
    if (device) devices.push({ id: device, site, line: n + 1 });
  }
  problems.push(...crossCheck([...sites.values()], devices, (kind, i) => (kind === 'devices' ? `line ${devices[i]!.line}` : `site ${i}`)));
  if (problems.length > 0) throw new EstateRegisterError(problems, source);
  return EstateRegister.of(sites.values(), devices.length > 0 ? devices : undefined);
}

/** Duplicates and devices at sites the register does not list. */
function crossCheck(
  sites: ReadonlyArray<{ id: string }>,
  devices: ReadonlyArray<{ id: string; site: string }>,
  where: (kind: 'sites' | 'devices', index: number) => string,
): string[] {
  const problems: string[] = [];
  const siteIds = new Map<string, number>();
  sites.forEach((s, i) => {
    if (siteIds.has(s.id)) problems.push(`${where('sites', i)}: site ${s.id} is listed twice`);
    else siteIds.set(s.id, i);
  });
  const deviceIds = new Set<string>();
  devices.forEach((d, i) => {
    if (deviceIds.has(d.id)) problems.push(`${where('devices', i)}: device ${d.id} is listed twice; a device belongs to one site`);
    deviceIds.add(d.id);
    if (!siteIds.has(d.site)) problems.push(`${where('devices', i)}: device ${d.id} is at site ${d.site}, which the register does not list`);
  });
  return problems;
}
