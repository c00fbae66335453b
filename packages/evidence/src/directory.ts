// What the pack knows of a trust's estate beyond the rollups: site names, which site and ward each
// device and access point belongs to, device models. Rollup keys of devices and access points carry
// no site, so without a directory they cannot be placed (the pack then says so).
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { EvidenceConfigError } from './config.ts';
import { parseConfig } from '@wardwatch/schema';

const id = z.string().min(1);

export const estateDirectorySchema = z.object({
  sites: z.array(z.object({ id, trust: id.optional(), name: z.string().optional() })).default([]),
  devices: z.array(z.object({ id, site: id, ward: z.string().optional(), model: z.string().optional() })).default([]),
  accessPoints: z.array(z.object({ id, site: id, ward: z.string().optional(), name: z.string().optional() })).default([]),
});

export interface DirectorySite {
  id: string;
  trust?: string;
  name?: string;
}
export interface DirectoryDevice {
  id: string;
  site: string;
  ward?: string;
  model?: string;
}
export interface DirectoryAccessPoint {
  id: string;
  site: string;
  ward?: string;
  name?: string;
  /** Devices seen on it, when known. */
  devices?: number;
}

export interface EstateDirectory {
  /** Where it came from, for the method section ("inventory file", "live status board"). */
  source: string;
  sites: DirectorySite[];
  /** Empty when unknown: devices are then not placed and site device counts are not known. */
  devices: DirectoryDevice[];
  accessPoints: DirectoryAccessPoint[];
}

/** Reads an inventory (YAML or JSON): sites, devices (site, ward, model) and access points. */
export function loadInventory(path: string): EstateDirectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EvidenceConfigError([`cannot read the inventory (${(error as Error).message}); check the path`], path, 'inventory');
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new EvidenceConfigError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), path, 'inventory');
  const result = parseConfig(estateDirectorySchema, document.toJS() ?? {});
  if (!result.ok) throw new EvidenceConfigError(result.problems, path, 'inventory');
  return { source: `inventory ${path}`, ...result.value };
}
