import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EstateRegisterError } from './estate-register.ts';
import { EstateRegisterFile } from './estate-register-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-estate-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EstateRegisterFile', () => {
  it('follows its file: a valid change applies, an invalid one is reported and the last valid stays', async () => {
    const file = join(dir, 'estate.yaml');
    writeFileSync(file, 'sites: [{ id: S1, trust: T }]\n');
    const logs: Array<[string, string]> = [];
    const register = EstateRegisterFile.load(file, { log: { info: (_d, m) => logs.push(['info', m]), error: (_d, m) => logs.push(['error', m]) } });
    expect(register.trustOfSite('S2')).toBeUndefined();

    // A longer file: size differs, so the change is seen whatever the file system's time resolution.
    writeFileSync(file, 'sites: [{ id: S1, trust: T }, { id: S2, trust: T }]\ndevices: [{ id: D1, site: S2 }]\n');
    await register.refresh();
    expect([register.trustOfSite('S2'), register.siteOfDevice('D1'), register.checksDevices]).toEqual(['T', 'S2', true]);
    // As the status board's site directory, it follows the file too.
    expect([...register.keys()]).toEqual(['S1', 'S2']);
    expect(register.get('S2')).toEqual({ name: 'S2', trust: 'T' });
    expect(logs.at(-1)).toEqual(['info', 'estate register reloaded: 2 sites, 1 devices']);

    writeFileSync(file, 'sites: [{ id: S1 }]\n');
    await register.refresh();
    await register.refresh(); // reported once, not on every request
    expect(register.trustOfSite('S2')).toBe('T');
    expect(logs.filter(([level]) => level === 'error')).toHaveLength(1);
    expect(logs.at(-1)![1]).toMatch(/^estate register not reloaded, the previous one stays in force: sites\[0\]\.trust/);

    unlinkSync(file);
    await register.refresh();
    expect(register.trustOfSite('S1')).toBe('T');
    expect(logs.at(-1)![1]).toMatch(/cannot read the file/);
  });

  it('throws naming the file when it cannot be read at start', () => {
    expect(() => EstateRegisterFile.load(join(dir, 'absent.csv'))).toThrow(EstateRegisterError);
  });
});
