import { describe, expect, it } from 'vitest';
import { EstateRegister } from './estate-register.ts';
import { grantRefusal, IngestAdmission, registerRefusal } from './ingest-admission.ts';

const place = (site: string, ward: string, device: string, trust = 'RXX') => ({ trust, site, ward, device });
const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

describe('grantRefusal', () => {
  it.each([
    ['device token, its own place', { device: 'D1', site: 'S1', trust: 'RXX' }, place('S1', 'W9', 'D1'), undefined],
    ['device token, another device', { device: 'D1', site: 'S1', trust: 'RXX' }, place('S1', 'W1', 'D2'), 'device-mismatch'],
    ['device token, another site', { device: 'D1', site: 'S1', trust: 'RXX' }, place('S2', 'W1', 'D1'), 'site-mismatch'],
    ['device token, another trust', { device: 'D1', site: 'S1', trust: 'RXX' }, place('S1', 'W1', 'D1', 'RYY'), 'trust-mismatch'],
    ['old device token, another site', { device: 'D1' }, place('S2', 'W1', 'D1', 'RYY'), undefined],
    ['site token, any device of the site', { site: 'S1' }, place('S1', 'W1', 'D7', 'RYY'), undefined],
    ['site token with trust, another trust', { site: 'S1', trust: 'RXX' }, place('S1', 'W1', 'D7', 'RYY'), 'trust-mismatch'],
    ['site token, another site', { site: 'S1' }, place('S2', 'W1', 'D7'), 'site-mismatch'],
  ])('%s', (_name, grant, event, reason) => {
    expect(grantRefusal(grant, event)?.reason).toBe(reason);
  });
});

describe('registerRefusal', () => {
  const sitesOnly = EstateRegister.of([{ id: 'S1', trust: 'RXX' }]);
  const withDevices = EstateRegister.of([{ id: 'S1', trust: 'RXX' }, { id: 'S2', trust: 'RXX' }], [{ id: 'D1', site: 'S1' }]);
  it.each([
    ['a listed site, devices not listed', sitesOnly, place('S1', 'W1', 'ANY'), undefined],
    ['an unlisted site', sitesOnly, place('constructor', 'W1', 'D1'), 'unknown-site'],
    ['a listed site in another trust', sitesOnly, place('S1', 'W1', 'D1', 'RYY'), 'trust-mismatch'],
    ['a listed device at its site', withDevices, place('S1', 'W5', 'D1'), undefined],
    ['an unlisted device', withDevices, place('S1', 'W1', 'D2'), 'unknown-device'],
    ['a listed device at another listed site', withDevices, place('S2', 'W1', 'D1'), 'site-mismatch'],
  ])('%s', (_name, register, event, reason) => {
    expect(registerRefusal(register, event)?.reason).toBe(reason);
  });
});

describe('IngestAdmission scope cap', () => {
  it('counts sites, wards and devices never seen, per token, and starts again each hour', () => {
    const admission = new IngestAdmission({ scopeCapPerHour: 4 });
    const token = { site: 'S1' };
    expect(admission.refusal(token, place('S1', 'W1', 'D1'), NOW)).toBeUndefined(); // 3 new
    expect(admission.refusal(token, place('S1', 'W1', 'D1'), NOW)).toBeUndefined(); // 0 new
    expect(admission.refusal(token, place('S1', 'W1', 'D2'), NOW)).toBeUndefined(); // 1 new: 4
    expect(admission.refusal(token, place('S1', 'W1', 'D3'), NOW + 1000)?.reason).toBe('scope-cap');
    // Open ingest has a budget of its own, and sees what the token brought as known.
    expect(admission.refusal(undefined, place('S1', 'W1', 'D2'), NOW)).toBeUndefined();
    expect(admission.refusal(token, place('S1', 'W1', 'D3'), NOW + 3_600_000)).toBeUndefined();
  });

  it('never counts what the register lists, only the wards it does not', () => {
    const register = EstateRegister.of([{ id: 'S1', trust: 'RXX' }], [{ id: 'D1', site: 'S1' }, { id: 'D2', site: 'S1' }]);
    const admission = new IngestAdmission({ register, scopeCapPerHour: 1 });
    expect(admission.refusal(undefined, place('S1', 'W1', 'D1'), NOW)).toBeUndefined();
    expect(admission.refusal(undefined, place('S1', 'W1', 'D2'), NOW)).toBeUndefined();
    expect(admission.refusal(undefined, place('S1', 'W2', 'D2'), NOW)?.reason).toBe('scope-cap');
  });

  it('forgets the oldest scopes past its bound, so a sender inventing at the cap cannot grow it forever', () => {
    const admission = new IngestAdmission({ scopeCapPerHour: 3, maxRememberedScopes: 10 });
    for (let hour = 0; hour < 50; hour++) {
      expect(admission.refusal({ device: 'D1' }, place('S1', `W${hour}`, 'D1'), NOW + hour * 3_600_000)).toBeUndefined();
    }
    expect(admission.remembered).toEqual({ sites: 1, wards: 10, devices: 1 });
  });
});
