// The estate register: the sites (and, optionally, devices) a trust has, so that ingest refuses events
// from places nobody knows (`unknown-site`, `unknown-device`) instead of inventing them. Read at start
// from YAML or CSV; a bad file stops the start with the line or field at fault.
//
// YAML (JSON is valid YAML too):
//
//   sites:
//     - { id: RXX01, trust: RXX, name: "Royal Infirmary" }
//   devices:                       # optional: without this list, devices are not checked
//     - { id: RXX01-W03-D07, site: RXX01 }
//
// CSV: a header row naming the columns trust, site and device (ward and name may follow and are
// ignored); one row per device, or a row with an empty device for a site without listed devices.
//
//   trust,site,device
//   RXX,RXX01,RXX01-W03-D07
//   RXX,RXX02,
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Identifier } from '@wardwatch/schema';

export class EstateRegisterError extends Error {
  override readonly name = 'EstateRegisterError';
  readonly code = 'ESTATE_REGISTER_INVALID';
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    super(`${source ? `${source}: ` : ''}invalid estate register (fix these and start again):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Known sites (with their trust) and, when listed, known devices (with their site). */
export class EstateRegister {
  private constructor(
    private readonly sites: ReadonlyMap<string, string>,
    /** undefined: the register lists no devices, so devices are not checked. */
    private readonly devices: ReadonlyMap<string, string> | undefined,
  ) {}

  static of(sites: Iterable<{ id: string; trust: string }>, devices?: Iterable<{ id: string; site: string }>): EstateRegister {
    return new EstateRegister(
      new Map([...sites].map((s) => [s.id, s.trust])),
      devices === undefined ? undefined : new Map([...devices].map((d) => [d.id, d.site])),
    );
  }

  get siteCount(): number {
    return this.sites.size;
  }

  /** Undefined when the register lists no devices. */
  get deviceCount(): number | undefined {
    return this.devices?.size;
  }

  trustOfSite(site: string): string | undefined {
    return this.sites.get(site);
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

const siteEntry = z.strictObject({ id: Identifier, trust: Identifier, name: z.string().optional() });
const deviceEntry = z.strictObject({ id: Identifier, site: Identifier, ward: Identifier.optional() });
const fileSchema = z.strictObject({
  sites: z.array(siteEntry, { error: 'must be a list of {id, trust} entries' }),
  devices: z.array(deviceEntry, { error: 'must be a list of {id, site} entries' }).optional(),
});

export function parseEstateYaml(text: string, source?: string): EstateRegister {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new EstateRegisterError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  const raw: unknown = document.toJS();
  const result = fileSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new EstateRegisterError(
      result.error.issues.map((issue) => `${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'}: ${issue.message}`),
      source,
    );
  }
  const problems = crossCheck(result.data.sites, result.data.devices ?? [], (kind, i) => `${kind}[${i}]`);
  if (problems.length > 0) throw new EstateRegisterError(problems, source);
  return EstateRegister.of(result.data.sites, result.data.devices);
}

export function parseEstateCsv(text: string, source?: string): EstateRegister {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const headerAt = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
  if (headerAt < 0) throw new EstateRegisterError(['the file is empty: give a header row "trust,site,device" and one row per device'], source);
  const header = lines[headerAt]!.split(',').map((c) => c.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const [trustCol, siteCol, deviceCol] = [column('trust'), column('site'), column('device')];
  if (trustCol < 0 || siteCol < 0 || deviceCol < 0) {
    throw new EstateRegisterError([`line ${headerAt + 1}: the header row must name the columns trust, site and device; got "${lines[headerAt]}"`], source);
  }
  const sites = new Map<string, { id: string; trust: string; line: number }>();
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
    else if (!known) sites.set(site, { id: site, trust, line: n + 1 });
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
