// Sessions in signed cookies: HMAC-SHA256 (hono's signed-cookie helper), HttpOnly, SameSite=Lax,
// Secure (and the __Host- prefix) when users reach the server over HTTPS. The cookie carries the
// principal and two times: when the session began (absolute timeout) and when it was last used
// (idle timeout, refreshed at most once a minute). Nothing is kept on the server, so any number of
// servers share sessions through the key; the cost is that logout clears the cookie but cannot
// recall a copy taken before it (the idle timeout bounds that copy's life).
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Principal } from './claims.ts';
import { ROLES } from './roles.ts';

export interface SessionOptions {
  secret: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Users reach the server over HTTPS: Secure cookies with the __Host- prefix. */
  secure: boolean;
  /** Wall clock for the timeouts (injected by tests). */
  clock?: () => number;
}

interface SessionBody extends Principal {
  /** Session start, ms. */
  iat: number;
  /** Last use, ms. */
  seen: number;
}

/** A sign-in in progress: what the callback must find to accept the provider's answer. */
export interface LoginState {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  at: number;
}

export type SessionRead =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'expired'; why: 'idle' | 'absolute' }
  | { kind: 'active'; principal: Principal };

const SESSION = 'ww_session';
const LOGIN = 'ww_login';
const LOGIN_TTL_MS = 10 * 60_000;
const REFRESH_MS = 60_000;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isSessionBody(v: unknown): v is SessionBody {
  const s = v as SessionBody;
  return (
    typeof s === 'object' && s !== null && typeof s.sub === 'string' && typeof s.name === 'string' &&
    (ROLES as readonly string[]).includes(s.role) && Array.isArray(s.trusts) && Number.isFinite(s.iat) && Number.isFinite(s.seen)
  );
}

export class SessionCookies {
  private readonly clock: () => number;
  constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? Date.now;
  }

  private cookie(path: string, maxAgeMs: number): CookieOptions {
    return {
      path,
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.options.secure,
      maxAge: Math.max(0, Math.floor(maxAgeMs / 1000)),
      ...(this.options.secure && path === '/' ? { prefix: 'host' as const } : {}),
    };
  }

  private get prefix() {
    return this.options.secure ? ('host' as const) : undefined;
  }

  async start(c: Context, principal: Principal): Promise<void> {
    const now = this.clock();
    await this.write(c, { ...principal, iat: now, seen: now });
  }

  private async write(c: Context, body: SessionBody): Promise<void> {
    const left = body.iat + this.options.absoluteTimeoutMs - this.clock();
    await setSignedCookie(c, SESSION, encode(body), this.options.secret, this.cookie('/', left));
  }

  /** The request's session; a live one is refreshed (sliding idle timeout). */
  async read(c: Context): Promise<SessionRead> {
    const raw = await getSignedCookie(c, this.options.secret, SESSION, this.prefix);
    if (raw === undefined) return { kind: 'none' };
    const body = raw === false ? undefined : decode(raw);
    if (!isSessionBody(body)) return { kind: 'invalid' };
    const now = this.clock();
    if (now - body.iat >= this.options.absoluteTimeoutMs) return { kind: 'expired', why: 'absolute' };
    if (now - body.seen >= this.options.idleTimeoutMs) return { kind: 'expired', why: 'idle' };
    if (now - body.seen >= Math.min(REFRESH_MS, this.options.idleTimeoutMs / 2)) await this.write(c, { ...body, seen: now });
    const { iat: _iat, seen: _seen, ...principal } = body;
    return { kind: 'active', principal };
  }

  end(c: Context): void {
    deleteCookie(c, SESSION, { path: '/', secure: this.options.secure, ...(this.prefix ? { prefix: this.prefix } : {}) });
  }

  async startLogin(c: Context, state: Omit<LoginState, 'at'>): Promise<void> {
    await setSignedCookie(c, LOGIN, encode({ ...state, at: this.clock() }), this.options.secret, { ...this.cookie('/auth', LOGIN_TTL_MS), prefix: undefined });
  }

  /** The sign-in in progress, once: the cookie is cleared whatever it held. */
  async takeLogin(c: Context): Promise<LoginState | undefined> {
    const raw = await getSignedCookie(c, this.options.secret, LOGIN);
    deleteCookie(c, LOGIN, { path: '/auth', secure: this.options.secure });
    if (!raw) return undefined;
    const state = decode(raw) as LoginState | undefined;
    if (!state || typeof state.verifier !== 'string' || typeof state.state !== 'string' || typeof state.nonce !== 'string') return undefined;
    if (this.clock() - state.at > LOGIN_TTL_MS) return undefined;
    return state;
  }
}
