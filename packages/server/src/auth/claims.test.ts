import { describe, expect, it } from 'vitest';
import { claimValues, mapClaims } from './claims.ts';

const roles = { claim: 'groups', viewer: ['ww-view'], operator: ['ww-ops'], admin: ['ww-admin'], default: 'none' as const };

describe('mapClaims', () => {
  it.each([
    // [claims, expected role or refusal]
    [{ sub: 'a', groups: ['ww-view'] }, 'viewer'],
    [{ sub: 'a', groups: ['ww-ops'] }, 'operator'],
    [{ sub: 'a', groups: ['ww-view', 'ww-admin', 'ww-ops'] }, 'admin'],
    [{ sub: 'a', groups: 'ww-ops other' }, 'operator'],
    [{ sub: 'a', groups: ['finance'] }, /no wardwatch role is granted by the "groups" claim/],
    [{ sub: 'a' }, /no wardwatch role/],
    [{ groups: ['ww-admin'] }, /no subject/],
  ] as const)('%j → %s', (claims, expected) => {
    const result = mapClaims(claims as Record<string, unknown>, { roles, nameClaim: 'name' });
    if (typeof expected === 'string') {
      expect(result).toMatchObject({ ok: true, principal: { role: expected, sub: 'a', trusts: ['*'] } });
    } else {
      expect(result.ok).toBe(false);
      expect((result as { reason: string }).reason).toMatch(expected);
    }
  });

  it('grants the default role when configured, and takes the name claim', () => {
    const result = mapClaims({ sub: 'a', name: 'Dr A', groups: [] }, { roles: { ...roles, default: 'viewer' }, nameClaim: 'name' });
    expect(result).toEqual({ ok: true, principal: { sub: 'a', name: 'Dr A', role: 'viewer', trusts: ['*'] } });
  });

  it.each([
    // [trust config, claims, trusts]
    [{ claim: 'trusts' }, { trusts: ['RXX', 'RYY'] }, ['RXX', 'RYY']],
    [{ claim: 'groups', map: { 'ww-ops': ['RXX'], 'ww-north': ['RYY', 'RZZ'] } }, { groups: ['ww-ops', 'ww-north'] }, ['RXX', 'RYY', 'RZZ']],
    [{ claim: 'groups', map: { 'ww-ops': ['*'] } }, { groups: ['ww-ops'] }, ['*']],
    [{ claim: 'trusts' }, {}, []],
  ] as const)('trusts %j from %j → %j', (trusts, claims, expected) => {
    const result = mapClaims({ sub: 'a', groups: ['ww-ops'], ...claims }, { roles, trusts: trusts as never, nameClaim: 'name' });
    expect(result.ok && result.principal.trusts).toEqual(expected);
  });
});

describe('claimValues', () => {
  it('reads CIS2 role objects as their string fields', () => {
    expect(claimValues({ nhsid_nrbac_roles: [{ person_roleid: '5555', role_code: 'S8000:G8000:R8000', org_code: 'RXX', activity_codes: ['B0825'] }] }, 'nhsid_nrbac_roles')).toEqual([
      '5555',
      'S8000:G8000:R8000',
      'S8000',
      'G8000',
      'R8000',
      'RXX',
    ]);
  });

  it('maps a CIS2 user by job role code and organisation', () => {
    const claims = { sub: '5555', nhsid_nrbac_roles: [{ person_roleid: '1', role_code: 'S8000:G8000:R8015', org_code: 'RXX' }] };
    const result = mapClaims(claims, {
      roles: { claim: 'nhsid_nrbac_roles', viewer: ['R8000'], operator: ['R8015'], admin: [], default: 'none' },
      trusts: { claim: 'nhsid_nrbac_roles', map: { RXX: ['RXX'], RYY: ['RYY'] } },
      nameClaim: 'name',
    });
    expect(result).toEqual({ ok: true, principal: { sub: '5555', name: '5555', role: 'operator', trusts: ['RXX'] } });
  });
});
