import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EstateRegister, EstateRegisterError, parseEstateCsv, parseEstateYaml } from './estate-register.ts';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EstateRegisterError) return error.problems;
    throw error;
  }
  throw new Error('expected an EstateRegisterError');
};

describe('the estate register, YAML', () => {
  it('knows its sites, their trusts and, when listed, the devices', () => {
    const register = parseEstateYaml(`
sites:
  - { id: RXX01, trust: RXX, name: Royal Infirmary }
  - { id: RXX02, trust: RXX }
devices:
  - { id: RXX01-W03-D07, site: RXX01, ward: W03 }
`);
    expect([register.siteCount, register.deviceCount, register.checksDevices]).toEqual([2, 1, true]);
    expect(register.trustOfSite('RXX02')).toBe('RXX');
    expect(register.trustOfSite('__proto__')).toBeUndefined();
    expect(register.siteOfDevice('RXX01-W03-D07')).toBe('RXX01');
  });

  it('is the site directory: each site’s name (its id when none), trust, type and area', () => {
    const register = parseEstateYaml(`
sites:
  - { id: RXX01, trust: RXX, name: Royal Infirmary, type: Acute hospital, area: Northfield }
  - { id: RXX02, trust: RXX, type: "GP practice" }
`);
    expect(register.directory.get('RXX01')).toEqual({ name: 'Royal Infirmary', trust: 'RXX', type: 'Acute hospital', area: 'Northfield' });
    expect(register.directory.get('RXX02')).toEqual({ name: 'RXX02', trust: 'RXX', type: 'GP practice' });
    expect([...register.directory.keys()]).toEqual(['RXX01', 'RXX02']);
  });

  it('checks no device when it lists none', () => {
    const register = parseEstateYaml('sites: [{ id: S1, trust: T }]');
    expect([register.checksDevices, register.deviceCount]).toEqual([false, undefined]);
  });

  it.each([
    ['a site without trust', 'sites: [{ id: S1 }]', /^sites\[0\]\.trust: /],
    ['an unknown field', 'sites: [{ id: S1, trust: T, beds: 3 }]', /^sites\[0\]: .*beds/],
    ['no sites', 'devices: []', /^sites: /],
    ['a bad identifier', 'sites: [{ id: "S 1", trust: T }]', /^sites\[0\]\.id: may hold only/],
    ['a site twice', 'sites: [{ id: S1, trust: T }, { id: S1, trust: T }]', /^sites\[1\]: site S1 is listed twice/],
    ['a device at an unlisted site', 'sites: [{ id: S1, trust: T }]\ndevices: [{ id: D1, site: S2 }]', /^devices\[0\]: device D1 is at site S2, which the register does not list/],
    ['a device twice', 'sites: [{ id: S1, trust: T }]\ndevices: [{ id: D1, site: S1 }, { id: D1, site: S1 }]', /^devices\[1\]: device D1 is listed twice/],
    ['broken YAML', 'sites: [', /^YAML: /],
    ['an empty type', 'sites: [{ id: S1, trust: T, type: " " }]', /^sites\[0\]\.type: must not be empty/],
    ['an area too long', `sites: [{ id: S1, trust: T, area: ${'x'.repeat(101)} }]`, /^sites\[0\]\.area: at most 100 characters/],
  ])('refuses %s, naming the field', (_name, text, problem) => {
    expect(problemsOf(() => parseEstateYaml(text))).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe('the estate register, CSV', () => {
  it('reads one row per device, sites from the rows, columns in any order', () => {
    const register = parseEstateCsv('# exported from the CMDB\nsite,ward,device,trust\nRXX01,W03,RXX01-W03-D07,RXX\r\nRXX01,W04,RXX01-W04-D01,RXX\nRXX02,,,RXX\n');
    expect([register.siteCount, register.deviceCount]).toEqual([2, 2]);
    expect(register.siteOfDevice('RXX01-W04-D01')).toBe('RXX01');
    expect(register.trustOfSite('RXX02')).toBe('RXX');
  });

  it('takes each site’s name, type and area from any of its rows, the columns optional', () => {
    const register = parseEstateCsv('trust,site,device,name,type,area\nRXX,RXX01,D1,Royal Infirmary,Acute hospital,\nRXX,RXX01,D2,,,Northfield\nRXX,RXX02,,,Mental health unit,Westmoor\n');
    expect(register.directory.get('RXX01')).toEqual({ name: 'Royal Infirmary', trust: 'RXX', type: 'Acute hospital', area: 'Northfield' });
    expect(register.directory.get('RXX02')).toEqual({ name: 'RXX02', trust: 'RXX', type: 'Mental health unit', area: 'Westmoor' });
    expect(parseEstateCsv('trust,site,device\nRXX,RXX01,\n').directory.get('RXX01')).toEqual({ name: 'RXX01', trust: 'RXX' });
  });

  it.each([
    ['no header', '', /the file is empty/],
    ['two types for one site', 'trust,site,device,type\nT,S1,D1,Acute hospital\nT,S1,D2,Clinic', /^line 3: site S1 has type "Acute hospital" on an earlier line, here "Clinic"/],
    ['a header without device', 'trust,site\nRXX,S1', /^line 1: the header row must name the columns trust, site and device/],
    ['a site in two trusts', 'trust,site,device\nT1,S1,D1\nT2,S1,D2', /^line 3: site S1 is in trust T1 on line 2, here in T2/],
    ['a bad device id', 'trust,site,device\nT1,S1,D 1', /^line 2: device "D 1" must be/],
    ['a device twice', 'trust,site,device\nT1,S1,D1\nT1,S1,D1', /^line 3: device D1 is listed twice/],
  ])('refuses %s, naming the line', (_name, text, problem) => {
    expect(problemsOf(() => parseEstateCsv(text))).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe('EstateRegister.load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-estate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .csv as CSV and anything else as YAML, and names the file in errors', () => {
    writeFileSync(join(dir, 'estate.csv'), 'trust,site,device\nT,S1,D1\n');
    writeFileSync(join(dir, 'estate.yaml'), 'sites: [{ id: S1, trust: T }]\n');
    expect(EstateRegister.load(join(dir, 'estate.csv')).deviceCount).toBe(1);
    expect(EstateRegister.load(join(dir, 'estate.yaml')).siteCount).toBe(1);
    expect(() => EstateRegister.load(join(dir, 'absent.yaml'))).toThrow(/absent\.yaml: invalid estate register.*\n.*cannot read the file/);
  });
});
