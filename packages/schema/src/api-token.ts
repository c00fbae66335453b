// API tokens for automation (scripts, Grafana's JSON data sources): a role and trusts like a signed-in
// user's, an expiry, revocable. The secret is shown once when issued; the store keeps its SHA-256.

export interface ApiToken {
  id: string;
  /** What it is for, e.g. "grafana-north". */
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  /** Trust codes it may see; `*` is every trust. */
  trusts: string[];
  createdBy: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  /** Epoch ms when revoked, or null. */
  revokedAt: number | null;
}
