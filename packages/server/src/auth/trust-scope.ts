// What of the estate a caller may see: the trusts of their principal. Every read route filters with
// it, and a scope of another trust answers 404 as if it did not exist (a 403 would confirm that it
// does). Scopes that belong to no one trust (the estate-wide "trust" SLO scope, an application across
// trusts) are for callers granted every trust.
import type { Context } from 'hono';
import type { Principal } from './claims.ts';

export class TrustScope {
  private readonly trusts: ReadonlySet<string>;
  readonly all: boolean;
  constructor(trusts: readonly string[]) {
    this.all = trusts.includes('*');
    this.trusts = new Set(trusts);
  }

  sees(trust: string | undefined): boolean {
    return this.all || (trust !== undefined && this.trusts.has(trust));
  }
}

const EVERYTHING = new TrustScope(['*']);

/** The caller's scope; a route with no principal (public, or an app without the guard) sees all. */
export function trustScopeOf(c: Context): TrustScope {
  const principal = c.get('principal') as Principal | undefined;
  return principal ? new TrustScope(principal.trusts) : EVERYTHING;
}
