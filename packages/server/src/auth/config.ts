// The auth file (`--auth-config FILE`, YAML): the OpenID Connect provider, the client registered
// there, and how the provider's claims map to wardwatch roles and trusts. Validated with zod; every
// problem names its field. Secrets may be given as `${ENV_NAME}` so the file can be kept in
// configuration management without them.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseConfig } from '@wardwatch/schema';
import { ROLES } from './roles.ts';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code = 'AUTH_CONFIG_INVALID';
  /** One line per problem, each naming its field: `session.secret: must be at least 32 characters`. */
  readonly problems: string[];
  constructor(problems: string[], source?: string) {
    super(`${source ? `${source}: ` : ''}invalid auth configuration (see docs/security.md):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const duration = z
  .string()
  .regex(DURATION, { error: 'must be a duration like 30m, 8h or 1d' })
  .transform((text) => {
    const [, n, unit] = DURATION.exec(text)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const names = z.array(z.string().min(1)).default([]);

/** Words of an example's placeholder ("change-me-to-48-random-bytes…"), never of random bytes in base64. */
const PLACEHOLDER_SECRET = /change.?me|placeholder|example|openssl|random.?bytes/i;

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export const authConfigSchema = z.strictObject({
  /** The provider's issuer identifier; its /.well-known/openid-configuration is read at first sign-in. */
  issuer: httpUrl.refine((u) => new URL(u).protocol === 'https:' || LOOPBACK_HOST.test(new URL(u).hostname), {
    error: 'must be an https URL (plain http only for a provider on this machine)',
  }),
  clientId: z.string().min(1, { error: 'must name the client registered at the provider' }),
  /** Absent → a public client (PKCE only), for providers that allow it. */
  clientSecret: z.string().min(1).optional(),
  /** Where the provider sends the browser back: this server's /auth/callback as users reach it. */
  redirectUrl: httpUrl.refine((u) => new URL(u).pathname.endsWith('/auth/callback'), { error: 'must end in /auth/callback' }),
  /** Where the provider sends the browser after logout (default: the redirect URL's origin). */
  postLogoutRedirectUrl: httpUrl.optional(),
  scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']).refine((s) => s.includes('openid'), { error: 'must include openid' }),
  /** Also read the UserInfo endpoint and merge its claims over the ID token's (CIS2 puts RBAC roles there). */
  userinfo: z.boolean().default(false),
  /** Claim naming the user in the audit trail and /api/me. */
  nameClaim: z.string().min(1).default('name'),
  roles: z.strictObject({
    /** Claim holding the user's groups or app roles: a string or an array of strings. */
    claim: z.string().min(1),
    /** Claim values granting each role; the highest granted role wins. */
    viewer: names,
    operator: names,
    admin: names,
    /** Role of a signed-in user whom no value matches; `none` refuses them. */
    default: z.enum(['none', ...ROLES], { error: `must be none or one of ${ROLES.join(', ')}` }).default('none'),
  }),
  trusts: z
    .strictObject({
      /** Claim holding trust codes (or, with `map`, values to map to trust codes). */
      claim: z.string().min(1),
      /** Claim value → trust codes; `*` grants every trust. Absent → the values are trust codes. */
      map: z.record(z.string(), z.array(z.string().min(1))).optional(),
    })
    .optional(),
  /**
   * `token` (default): GET /metrics needs an API token (or a session) granted every trust, since its
   * gauges name every trust's sites; `public`: open to anyone who reaches the port, by choice.
   */
  metrics: z.enum(['public', 'token'], { error: 'must be public or token' }).default('token'),
  session: z.strictObject({
    /** HMAC key for the session cookies: 32 characters or more, e.g. `${WARDWATCH_SESSION_SECRET}`. */
    secret: z
      .string()
      .min(32, { error: 'must be at least 32 characters (e.g. openssl rand -base64 48)' })
      // The shipped examples' placeholder is public: a server keyed with it takes forged session cookies.
      .refine((secret) => !PLACEHOLDER_SECRET.test(secret), { error: 'is a placeholder, not a secret: make one with openssl rand -base64 48' }),
    idleTimeout: duration.default(30 * 60_000),
    absoluteTimeout: duration.default(12 * 3_600_000),
  }),
});

export type AuthConfig = z.output<typeof authConfigSchema>;

/** Replaces `${NAME}` in every string with the environment's value; a missing one is a problem. */
function expandEnvironment(value: unknown, env: Record<string, string | undefined>, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') problems.push(`${path}: environment variable ${name} is not set`);
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnvironment(v, env, `${path}[${i}]`, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnvironment(v, env, path ? `${path}.${k}` : k, problems)]));
  }
  return value;
}

/** Parses and validates auth YAML; `source` (a file name) only labels errors. */
export function parseAuthConfig(text: string, source?: string, env: Record<string, string | undefined> = process.env): AuthConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new AuthConfigError(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`), source);
  const problems: string[] = [];
  const input = expandEnvironment(document.toJS(), env, '', problems);
  // The client's and the session's secrets: say that one is wrong, never what it is.
  const result = parseConfig(authConfigSchema, input, { secret: (path) => path.includes('clientSecret') || path.includes('secret') });
  if (!result.ok) problems.push(...result.problems);
  if (problems.length > 0 || !result.ok) throw new AuthConfigError(problems, source);
  return result.value;
}

export function loadAuthFile(path: string, env: Record<string, string | undefined> = process.env): AuthConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AuthConfigError([`cannot read the file (${(error as Error).message}); check the path`], path);
  }
  return parseAuthConfig(text, path, env);
}
