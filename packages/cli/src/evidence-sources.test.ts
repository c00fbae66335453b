import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceConfigError } from '@wardwatch/evidence';
import { parseCommandLine, UsageError } from './args.ts';
import { openEvidenceSources } from './evidence-sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-evidence-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evidence settings and inventory for start and server', () => {
  it.each<[string[], Record<string, string>, Record<string, unknown>]>([
    [['start', '--evidence-config', 'e.yaml', '--inventory', 'i.yaml'], {}, { evidenceConfig: 'e.yaml', inventory: 'i.yaml' }],
    [['server', '--evidence-config', 'e.yaml', '--inventory', 'i.yaml'], {}, { evidenceConfig: 'e.yaml', inventory: 'i.yaml' }],
    [['start'], { WARDWATCH_EVIDENCE_FILE: 'env.yaml' }, { evidenceConfig: 'env.yaml' }],
    // The estate register's YAML places devices too; its CSV form is not an inventory.
    [['start', '--estate', 'estate.yaml'], {}, { inventory: 'estate.yaml' }],
    [['server'], { WARDWATCH_ESTATE: 'estate.yaml' }, { inventory: 'estate.yaml' }],
    [['start', '--estate', 'estate.yaml', '--inventory', 'i.yaml'], {}, { inventory: 'i.yaml' }],
  ])('%j with %j reads %j', (argv, env, expected) => {
    expect(parseCommandLine(argv, env)).toMatchObject(expected);
  });

  it('reads no files when none are named, and no inventory from a CSV register', () => {
    for (const args of [parseCommandLine(['start'], {}), parseCommandLine(['start', '--estate', 'estate.csv'], {})]) {
      expect(args).not.toHaveProperty('evidenceConfig');
      expect(args).not.toHaveProperty('inventory');
    }
  });

  it.each([
    [['processor', '--inventory', 'i.yaml'], /--inventory applies to start and server, not processor/],
    [['simulate', '--kafka', '--evidence-config', 'e.yaml'], /--evidence-config applies to start and server, not simulate/],
    [['start', '--evidence-config', ' '], /--evidence-config needs a file name/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(UsageError);
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });

  it('reads the settings once, naming the field at fault in a bad file', () => {
    const good = join(dir, 'evidence.yaml');
    writeFileSync(good, 'logons: { targetS: 25 }\npriceYear: "2024/25"\n');
    expect(openEvidenceSources({ configFile: good }).config).toMatchObject({ logons: { targetS: 25 }, priceYear: '2024/25' });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'logons: { targetS: -5 }\n');
    expect(() => openEvidenceSources({ configFile: bad })).toThrow(EvidenceConfigError);
    expect(() => openEvidenceSources({ configFile: bad })).toThrow(/logons\.targetS: must be more than 0 seconds; got -5/);
    expect(openEvidenceSources({}).inventory).toBeUndefined();
  });

  it('follows the inventory as its file changes, keeping the last good one when an edit breaks it', () => {
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, 'sites: [{ id: S1, trust: RXX }]\ndevices: [{ id: D1, site: S1 }]\n');
    const errors: string[] = [];
    const { inventory } = openEvidenceSources({ inventoryFile: file }, { info: () => {}, error: (_details: object, message: string) => errors.push(message) } as never);
    expect(inventory!().devices.map((d) => d.id)).toEqual(['D1']);
    writeFileSync(file, 'sites: [{ id: S1, trust: RXX }]\ndevices: [{ id: D1, site: S1 }, { id: D2, site: S1, model: Laptop }]\n');
    expect(inventory!().devices.map((d) => d.id)).toEqual(['D1', 'D2']);
    writeFileSync(file, 'devices: [{ id: D3 }]\n'); // no site: invalid
    expect(inventory!().devices.map((d) => d.id)).toEqual(['D1', 'D2']);
    // Said once, with the field at fault, not at every pack built meanwhile.
    expect(errors).toEqual([expect.stringMatching(/^the inventory no longer reads; evidence packs keep the last good one until it is fixed: .*site/)]);
    expect(inventory!().source).toBe(`inventory ${file}`);
  });
});
