// From a provider's claims to a wardwatch principal: the role (highest granted by the role claim's
// values) and the trusts (the trust claim's values, or what they map to). Pure: table-tested.
import type { AuthConfig } from './config.ts';
import { ROLES, type Role } from './roles.ts';

export interface Principal {
  /** The provider's subject, or `local` on a loopback server without sign-in. */
  sub: string;
  name: string;
  role: Role;
  /** Trust codes this principal may see; `*` is every trust. */
  trusts: string[];
}

/** A claim's values as strings: a string, an array of strings, or (Entra, CIS2) space-separated. */
export function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const value = claims[name];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) {
    return value.flatMap((v) => {
      if (typeof v === 'string') return [v];
      // CIS2's nhsid_nrbac_roles: objects whose string fields (org_code, role_code as
      // "S8000:G8000:R8000", person_roleid) all count, and so does each part of a role code.
      if (v && typeof v === 'object') {
        return Object.values(v)
          .filter((x): x is string => typeof x === 'string')
          .flatMap((x) => (x.includes(':') ? [x, ...x.split(':')] : [x]));
      }
      return [];
    });
  }
  return [];
}

export type MappedClaims = { ok: true; principal: Principal } | { ok: false; reason: string };

export function mapClaims(claims: Record<string, unknown>, config: Pick<AuthConfig, 'roles' | 'trusts' | 'nameClaim'>): MappedClaims {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  if (!sub) return { ok: false, reason: 'the ID token has no subject' };
  const values = new Set(claimValues(claims, config.roles.claim));
  let role: Role | undefined;
  for (const candidate of ROLES) {
    if (config.roles[candidate].some((v) => values.has(v))) role = candidate; // ROLES runs lowest to highest
  }
  if (!role && config.roles.default !== 'none') role = config.roles.default;
  const nameValue = claims[config.nameClaim];
  const name = typeof nameValue === 'string' && nameValue ? nameValue : sub;
  if (!role) return { ok: false, reason: `${name} is signed in, but no wardwatch role is granted by the "${config.roles.claim}" claim` };
  let trusts: string[] = ['*'];
  if (config.trusts) {
    const raw = claimValues(claims, config.trusts.claim);
    const map = config.trusts.map;
    trusts = [...new Set(map ? raw.flatMap((v) => map[v] ?? []) : raw)];
  }
  return { ok: true, principal: { sub, name, role, trusts } };
}
