// API tokens beside the rollups (see ApiToken in @wardwatch/schema), found by the SHA-256 of their
// secret; the secret itself is never stored. Implemented by both stores; tested by the shared contract.
import type { ApiToken } from '@wardwatch/schema';

export interface ApiTokenStore {
  addApiToken(token: ApiToken, sha256: string): Promise<void>;
  /** The token whose secret hashes to `sha256`, revoked or expired ones included (the caller judges). */
  apiTokenByHash(sha256: string): Promise<ApiToken | undefined>;
  apiTokens(): Promise<ApiToken[]>;
  /** Marks it revoked at `at`; false when there is no such token or it was revoked already. */
  revokeApiToken(id: string, at: number): Promise<boolean>;
}

export interface ApiTokenRow {
  id: string;
  sha256: string;
  name: string;
  role: string;
  trusts: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export const toApiTokenRow = (t: ApiToken, sha256: string): ApiTokenRow => ({
  id: t.id,
  sha256,
  name: t.name,
  role: t.role,
  trusts: JSON.stringify(t.trusts),
  created_by: t.createdBy,
  created_at: t.createdAt,
  expires_at: t.expiresAt,
  revoked_at: t.revokedAt,
});

export const fromApiTokenRow = (r: ApiTokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiToken['role'],
  trusts: JSON.parse(r.trusts) as string[],
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});
