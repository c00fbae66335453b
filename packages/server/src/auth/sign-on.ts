// OpenID Connect sign-in, authorisation code flow with PKCE, through openid-client (the certified
// relying-party library): GET /auth/login sends the browser to the provider, GET /auth/callback
// checks the answer (state, nonce, PKCE, the ID token's signature, issuer, audience and times, all
// by openid-client), maps the claims to a role and trusts and starts a session; POST /auth/logout
// ends the session and answers the provider's end-session URL (RP-initiated logout) to go to.
import { Hono, type Context } from 'hono';
import * as oidc from 'openid-client';
import { mapClaims } from './claims.ts';
import { clientAddress } from './client-address.ts';
import type { AuthConfig } from './config.ts';
import { SessionCookies } from './session.ts';

/** Sign-ins, refusals and logouts, for the log (and the audit trail when it exists). */
export interface AuthEvent {
  event: 'login' | 'login-refused' | 'login-failed' | 'logout';
  sub?: string;
  name?: string;
  role?: string;
  reason?: string;
  ip?: string;
  /** Epoch ms, on the sign-on's clock. */
  at?: number;
}

export interface SignOnOptions {
  config: AuthConfig;
  /** Users reach the server over HTTPS (Secure cookies); default: the redirect URL is https. */
  secure?: boolean;
  /** Wall clock for session timeouts (injected by tests). */
  clock?: () => number;
  onEvent?: (event: AuthEvent) => void;
  /** The detail of a failure answered generically. */
  onError?: (error: unknown, context: string) => void;
}

export class SignOn {
  readonly sessions: SessionCookies;
  readonly config: AuthConfig;
  private discovered?: Promise<oidc.Configuration>;
  private readonly clock: () => number;

  constructor(private readonly options: SignOnOptions) {
    this.config = options.config;
    this.clock = options.clock ?? Date.now;
    this.sessions = new SessionCookies({
      secret: options.config.session.secret,
      idleTimeoutMs: options.config.session.idleTimeout,
      absoluteTimeoutMs: options.config.session.absoluteTimeout,
      secure: options.secure ?? new URL(options.config.redirectUrl).protocol === 'https:',
      clock: options.clock,
    });
  }

  /** The provider's metadata, read once at first use (a provider down at start does not stop the server). */
  private provider(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret } = this.config;
      const insecure = new URL(issuer).protocol === 'http:'; // loopback only, enforced by the config schema
      this.discovered = oidc
        .discovery(new URL(issuer), clientId, undefined, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
        .catch((error: unknown) => {
          this.discovered = undefined; // try again at the next sign-in
          throw error;
        });
    }
    return this.discovered;
  }

  private event(c: Context, event: AuthEvent): void {
    const ip = clientAddress(c);
    this.options.onEvent?.({ ...event, ...(ip ? { ip } : {}), at: this.clock() });
  }

  routes(): Hono {
    const app = new Hono();

    app.get('/login', async (c) => {
      let provider: oidc.Configuration;
      try {
        provider = await this.provider();
      } catch (error) {
        this.options.onError?.(error, 'OpenID Connect discovery');
        return c.json({ error: 'the sign-in provider cannot be reached; try again shortly' }, 503);
      }
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await this.sessions.startLogin(c, { verifier, state, nonce, returnTo: localPath(c.req.query('returnTo')) });
      const url = oidc.buildAuthorizationUrl(provider, {
        redirect_uri: this.config.redirectUrl,
        scope: this.config.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return c.redirect(url.href, 302);
    });

    app.get('/callback', async (c) => {
      const login = await this.sessions.takeLogin(c);
      if (!login) {
        this.event(c, { event: 'login-failed', reason: 'no sign-in in progress' });
        return c.json({ error: 'no sign-in in progress here (it expired, or began in another browser): start again at /auth/login' }, 400);
      }
      // The URL the provider redirected to, as the user's browser saw it (behind a proxy the request
      // arrives as plain http on another name).
      const current = new URL(this.config.redirectUrl);
      current.search = new URL(c.req.url).search;
      let claims: Record<string, unknown>;
      try {
        const provider = await this.provider();
        const tokens = await oidc.authorizationCodeGrant(provider, current, {
          pkceCodeVerifier: login.verifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        claims = { ...tokens.claims() };
        if (this.config.userinfo && tokens.access_token) {
          claims = { ...claims, ...(await oidc.fetchUserInfo(provider, tokens.access_token, String(claims.sub))) };
        }
      } catch (error) {
        const code = error instanceof oidc.AuthorizationResponseError ? error.error : undefined;
        this.event(c, { event: 'login-failed', reason: code ?? (error as Error).name });
        if (code) return c.json({ error: `the provider did not sign you in (${code}): start again at /auth/login` }, 401);
        this.options.onError?.(error, 'OpenID Connect callback');
        return c.json({ error: 'the sign-in could not be completed with the provider: start again at /auth/login' }, 401);
      }
      const mapped = mapClaims(claims, this.config);
      if (!mapped.ok) {
        this.event(c, { event: 'login-refused', sub: typeof claims.sub === 'string' ? claims.sub : undefined, reason: mapped.reason });
        return c.json({ error: `${mapped.reason}; ask your wardwatch administrator for access` }, 403);
      }
      await this.sessions.start(c, mapped.principal);
      this.event(c, { event: 'login', sub: mapped.principal.sub, name: mapped.principal.name, role: mapped.principal.role });
      return c.redirect(login.returnTo, 302);
    });

    // POST (JSON, same-origin by the middleware in front): a page elsewhere cannot sign users out.
    app.post('/logout', async (c) => {
      const session = await this.sessions.read(c);
      this.sessions.end(c);
      if (session.kind === 'active') this.event(c, { event: 'logout', sub: session.principal.sub, name: session.principal.name, role: session.principal.role });
      let redirect = '/';
      try {
        const provider = await this.provider();
        if (provider.serverMetadata().end_session_endpoint) {
          redirect = oidc.buildEndSessionUrl(provider, {
            client_id: this.config.clientId,
            post_logout_redirect_uri: this.config.postLogoutRedirectUrl ?? new URL('/', this.config.redirectUrl).href,
          }).href;
        }
      } catch (error) {
        this.options.onError?.(error, 'OpenID Connect discovery at logout');
      }
      return c.json({ loggedOut: true, redirect });
    });

    return app;
  }
}

/** Only a path on this server: an absolute or protocol-relative URL would make login an open redirect. */
function localPath(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}
