// API tokens for automation: an admin issues one with a role, trusts and an expiry (the secret is
// shown once, the store keeps its SHA-256), lists and revokes them; a request with
// `Authorization: Bearer wwt_…` then acts as that token — the same role table and trust scoping as a
// signed-in user, no cookie, no CSRF exposure (a page cannot attach the header cross-origin).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { parseConfig, type ApiToken } from '@wardwatch/schema';
import type { ApiTokenStore } from '@wardwatch/store';
import type { Principal } from './claims.ts';
import { ROLES } from './roles.ts';
import { TrustScope, trustScopeOf } from './trust-scope.ts';

export const API_TOKEN_PREFIX = 'wwt_';

export const hashApiToken = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; why: 'unknown' | 'expired' | 'revoked' };

const issueSchema = z.strictObject({
  name: z.string().trim().min(1, 'must name what the token is for').max(100),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  trusts: z.array(z.string().min(1).max(64)).min(1, 'must name at least one trust (or "*")').max(200).default(['*']),
  expiresInDays: z.number().int().min(1).max(366, 'must be at most 366: tokens expire within a year').default(90),
});

export class ApiTokens {
  constructor(
    private readonly store: ApiTokenStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Who a presented secret is; expired and revoked tokens are refused by name. */
  async check(secret: string): Promise<TokenCheck> {
    if (!secret.startsWith(API_TOKEN_PREFIX)) return { ok: false, why: 'unknown' };
    const token = await this.store.apiTokenByHash(hashApiToken(secret));
    if (!token) return { ok: false, why: 'unknown' };
    if (token.revokedAt !== null) return { ok: false, why: 'revoked' };
    if (this.clock() >= token.expiresAt) return { ok: false, why: 'expired' };
    return { ok: true, principal: { sub: `token:${token.id}`, name: `API token "${token.name}"`, role: token.role, trusts: token.trusts } };
  }

  /** POST /tokens, GET /tokens, DELETE /tokens/:id (admin, by the route table). */
  routes(): Hono {
    const app = new Hono();
    app.post('/tokens', async (c) => {
      const parsed = parseConfig(issueSchema, await c.req.json().catch(() => undefined));
      if (!parsed.ok) return c.json({ error: `invalid token request: ${parsed.problems.join('; ')}` }, 400);
      const { name, role, trusts, expiresInDays } = parsed.value;
      const issuer = trustScopeOf(c);
      // An admin of some trusts cannot mint a token that sees more than they do.
      if (!issuer.all && (trusts.includes('*') || !trusts.every((t) => issuer.sees(t)))) {
        return c.json({ error: 'trusts: a token may see only trusts you see' }, 403);
      }
      const now = this.clock();
      const principal = c.get('principal') as Principal | undefined;
      const token: ApiToken = { id: randomUUID(), name, role, trusts, createdBy: principal?.name ?? '', createdAt: now, expiresAt: now + expiresInDays * 86_400_000, revokedAt: null };
      const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      await this.store.addApiToken(token, hashApiToken(secret));
      return c.json({ ...token, token: secret, note: 'the token is shown this once; keep it in your secret store' }, 201);
    });
    app.get('/tokens', async (c) => {
      const viewer = trustScopeOf(c);
      const tokens = await this.store.apiTokens();
      return c.json(tokens.filter((t) => visibleTo(viewer, t)));
    });
    app.delete('/tokens/:id', async (c) => {
      const id = c.req.param('id');
      const token = (await this.store.apiTokens()).find((t) => t.id === id);
      if (!token || !visibleTo(trustScopeOf(c), token) || !(await this.store.revokeApiToken(id, this.clock()))) return c.json({ error: `no live token with id "${id}"` }, 404);
      return c.body(null, 204);
    });
    return app;
  }
}

function visibleTo(viewer: TrustScope, token: ApiToken): boolean {
  return viewer.all || (!token.trusts.includes('*') && token.trusts.every((t) => viewer.sees(t)));
}
