// A trust's evidence settings and inventory, read alike by `wardwatch report`, the server's
// GET /api/reports and the monthly email, so all three build the same pack for the same month.
// The settings are read once (a bad file stops the start with the field at fault); the inventory is
// followed as its file changes (one stat per pack), keeping the last good one if an edit breaks it.
import type { Logger } from 'pino';
import { DEFAULT_EVIDENCE_CONFIG, loadEvidenceConfig, loadInventory, type EstateDirectory, type EvidenceConfig } from '@wardwatch/evidence';
import { FileInForce } from '@wardwatch/server';

export interface EvidenceSources {
  config: EvidenceConfig;
  /** Where devices and access points belong; undefined without an inventory (the caller's default applies). */
  inventory: (() => EstateDirectory) | undefined;
}

export interface EvidenceFiles {
  /** Evidence settings (YAML): targets, staff mix, baseline, maintenance. */
  configFile?: string;
  /** Inventory (YAML): sites, devices (site, ward, model), access points. */
  inventoryFile?: string;
}

/** Reads the settings and the inventory; throws EvidenceConfigError naming the file and field at fault. */
export function openEvidenceSources(files: EvidenceFiles, log?: Pick<Logger, 'info' | 'error'>): EvidenceSources {
  const config = files.configFile ? loadEvidenceConfig(files.configFile) : DEFAULT_EVIDENCE_CONFIG;
  if (files.configFile) log?.info({ file: files.configFile }, `evidence packs use the settings in ${files.configFile}`);
  if (!files.inventoryFile) return { config, inventory: undefined };
  return { config, inventory: followInventory(files.inventoryFile, log) };
}

/** The inventory in a file, kept in force as the server keeps its token file (FileInForce): an edit that does not parse keeps the last good one. */
function followInventory(file: string, log?: Pick<Logger, 'info' | 'error'>): () => EstateDirectory {
  const inventory = FileInForce.load(file, {
    read: loadInventory,
    reloaded: (read) => ({ details: { sites: read.sites.length, devices: read.devices.length }, message: 'inventory read again' }),
    notReloaded: (problems) => `the inventory no longer reads; evidence packs keep the last good one until it is fixed: ${problems.join('; ')}`,
    log,
  });
  const first = inventory.value;
  log?.info({ file, sites: first.sites.length, devices: first.devices.length }, `evidence packs place devices by the inventory ${file}`);
  return () => inventory.valueNow();
}
