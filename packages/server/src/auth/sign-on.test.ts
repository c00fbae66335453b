// Sign-in against a real OpenID provider the test starts on 127.0.0.1 (oidc-provider, with its
// development login and consent pages), driven with fetch and cookie jars as a browser would:
// login with PKCE, the role from a group claim, a user with no role refused, a forged state refused,
// the idle timeout on an injected clock, and logout at the provider too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import type { RunningServer } from '../http-server.ts';
import { parseAuthConfig } from './config.ts';
import { startTestProvider, TEST_CLIENT_SECRET, type TestProvider } from './oidc-provider.fixture.ts';
import { SignOn, type AuthEvent } from './sign-on.ts';

const ACCOUNTS = {
  alice: { name: 'Alice Operator', groups: ['staff', 'ww-operators'] },
  bob: { name: 'Bob Viewer', groups: ['ww-viewers'] },
  dave: { name: 'Dave Finance', groups: ['finance'] },
};

let provider: TestProvider;
let issuer: string;
let app: RunningServer;
let fixture: AppFixture;
let now = Date.parse('2026-11-30T12:00:00Z');
const events: AuthEvent[] = [];
let signOn: SignOn;

beforeAll(async () => {
  provider = await startTestProvider(ACCOUNTS);
  ({ issuer, app } = provider);
  const config = parseAuthConfig(`
issuer: ${issuer}
clientId: wardwatch
clientSecret: \${TEST_CLIENT_SECRET}
redirectUrl: ${app.url}/auth/callback
scopes: [openid, profile, groups]
roles: { claim: groups, viewer: [ww-viewers], operator: [ww-operators], admin: [ww-admins] }
session:
  secret: \${TEST_SESSION_SECRET}
  idleTimeout: 15m
  absoluteTimeout: 8h
`, 'auth.yaml', { TEST_CLIENT_SECRET, TEST_SESSION_SECRET: 's'.repeat(48) });
  signOn = new SignOn({ config, clock: () => now, onEvent: (e) => events.push(e) });
  fixture = await appFixture({ signOn });
  provider.mount(fixture.app);
});

afterAll(async () => {
  await provider?.close();
  await fixture?.close();
});

/** A browser's cookies, one jar per origin; follows redirects itself so each hop's cookies are kept. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  cookieHeader(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  set(url: string, name: string, value: string) {
    const origin = new URL(url).origin;
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    this.jars.get(origin)!.set(name, value);
  }

  async go(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; follow?: boolean } = {}): Promise<{ res: Response; url: string }> {
    let current = url;
    let method = init.method ?? (init.form || init.json !== undefined ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
    for (let hop = 0; hop < 20; hop++) {
      this.visited.push(`${method} ${current}`);
      const headers: Record<string, string> = { cookie: this.cookieHeader(current) };
      if (init.form && body) headers['content-type'] = 'application/x-www-form-urlencoded';
      if (init.json !== undefined && body) Object.assign(headers, { 'content-type': 'application/json', origin: new URL(current).origin });
      const res = await fetch(current, { method, headers, body, redirect: 'manual' });
      const origin = new URL(current).origin;
      if (!this.jars.has(origin)) this.jars.set(origin, new Map());
      const jar = this.jars.get(origin)!;
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq).trim();
        const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
        if (expired) jar.delete(name);
        else jar.set(name, pair!.slice(eq + 1).trim());
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && init.follow !== false) {
        await res.body?.cancel();
        current = new URL(location, current).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { res, url: current };
    }
    throw new Error('too many redirects');
  }

  /** Submits the first form of an HTML page with the given fields (hidden fields included). */
  async submit(page: { res: Response; url: string }, fields: Record<string, string>) {
    const html = await page.res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new Error(`no form on ${page.url}: ${html.slice(0, 300)}`);
    const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    return this.go(new URL(form[1]!.replace(/&amp;/g, '&'), page.url).href, { form: { ...hidden, ...fields } });
  }
}

/** Signs in at the provider as `account`; answers the last page reached. */
async function signIn(browser: Browser, account: string, returnTo = '/') {
  const loginPage = await browser.go(`${app.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(loginPage.url.startsWith(issuer)).toBe(true);
  const consent = await browser.submit(loginPage, { login: account, password: 'any' });
  if (!consent.url.startsWith(issuer)) return consent;
  return browser.submit(consent, {});
}

describe('sign-in with OpenID Connect against a real provider', () => {
  it('signs an operator in with PKCE, takes the role from the group claim, and lets them silence but not administer', async () => {
    const browser = new Browser();
    const landed = await signIn(browser, 'alice', '/index.html');
    expect(landed.url).toBe(`${app.url}/index.html`);
    expect(landed.res.status).toBe(200);
    const authorize = browser.visited.find((v) => v.startsWith(`GET ${issuer}/auth?`))!;
    expect(authorize).toMatch(/code_challenge_method=S256/);
    expect(authorize).toMatch(/code_challenge=[\w-]{43}/);

    const me = await browser.go(`${app.url}/api/me`);
    expect(await me.res.json()).toEqual({ sub: 'alice', name: 'Alice Operator', role: 'operator', trusts: ['*'], signOn: true });
    const silence = await browser.go(`${app.url}/api/silences`, { json: { matchers: { slo: 'site-app-latency' }, startsAt: now, endsAt: now + 3_600_000, comment: 'change window' } });
    expect(silence.res.status).toBe(201);
    expect((await browser.go(`${app.url}/api/auth/roles`)).res.status).toBe(403);
    expect(events).toContainEqual(expect.objectContaining({ event: 'login', sub: 'alice', role: 'operator' }));
  });

  it('signs a viewer in who may read but not silence', async () => {
    const browser = new Browser();
    await signIn(browser, 'bob');
    expect((await browser.go(`${app.url}/api/sites`)).res.status).toBe(200);
    const silence = await browser.go(`${app.url}/api/silences`, { json: { matchers: {}, startsAt: now, endsAt: now + 60_000 } });
    expect(silence.res.status).toBe(403);
  });

  it('refuses a user whom no group grants a role, with no session', async () => {
    const browser = new Browser();
    const refused = await signIn(browser, 'dave');
    expect(refused.res.status).toBe(403);
    expect(((await refused.res.json()) as { error: string }).error).toMatch(/Dave Finance is signed in, but no wardwatch role is granted by the "groups" claim/);
    expect((await browser.go(`${app.url}/api/me`)).res.status).toBe(401);
    expect(events).toContainEqual(expect.objectContaining({ event: 'login-refused', sub: 'dave' }));
  });

  it('refuses a callback whose state was changed (a forged or replayed answer)', async () => {
    const browser = new Browser();
    const loginPage = await browser.go(`${app.url}/auth/login`);
    const consent = await browser.submit(loginPage, { login: 'alice', password: 'any' });
    const html = await consent.res.text();
    const form = /action="([^"]+)"/.exec(html)![1]!;
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    // Stop at the redirect back to the application and change its state.
    let hop = await browser.go(new URL(form, consent.url).href, { form: hidden, follow: false });
    while (!hop.res.headers.get('location')!.startsWith(`${app.url}/auth/callback`)) {
      hop = await browser.go(new URL(hop.res.headers.get('location')!, hop.url).href, { follow: false });
    }
    const callback = new URL(hop.res.headers.get('location')!);
    callback.searchParams.set('state', 'forged-state');
    const answer = await browser.go(callback.href);
    expect(answer.res.status).toBe(401);
    expect((await browser.go(`${app.url}/api/me`)).res.status).toBe(401);
  });

  it('ends a session left idle past its timeout (injected clock), and refuses a tampered cookie', async () => {
    const browser = new Browser();
    await signIn(browser, 'alice');
    expect((await browser.go(`${app.url}/api/me`)).res.status).toBe(200);
    const cookie = browser.cookieHeader(app.url);
    const tampered = cookie.replace(/(ww_session=[^;]*?)(.)(%3D|;|$)/, (_m, head: string, last: string, tail: string) => `${head}${last === 'A' ? 'B' : 'A'}${tail}`);
    expect(tampered).not.toBe(cookie);
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie: tampered } })).status).toBe(401);
    const start = now;
    now += 16 * 60_000;
    const idle = await browser.go(`${app.url}/api/me`);
    expect(idle.res.status).toBe(401);
    expect(((await idle.res.json()) as { error: string }).error).toMatch(/idle too long/);
    now = start;
  });

  it('logs out here and at the provider (RP-initiated logout): the next sign-in asks for credentials again', async () => {
    const browser = new Browser();
    await signIn(browser, 'alice');
    // A second sign-in while the provider's session lives goes straight back, without a login page.
    const again = await browser.go(`${app.url}/auth/login`);
    expect(again.url.startsWith(app.url)).toBe(true);

    const logout = await browser.go(`${app.url}/auth/logout`, { json: {} });
    expect(logout.res.status).toBe(200);
    const { redirect } = (await logout.res.json()) as { redirect: string };
    expect(redirect.startsWith(`${issuer}/session/end`)).toBe(true);
    expect(new URL(redirect).searchParams.get('post_logout_redirect_uri')).toBe(`${app.url}/`);
    expect((await browser.go(`${app.url}/api/me`)).res.status).toBe(401);
    expect(events).toContainEqual(expect.objectContaining({ event: 'logout', sub: 'alice', role: 'operator' }));

    const confirm = await browser.go(redirect);
    const done = await browser.submit(confirm, { logout: 'yes' });
    expect(done.url.startsWith(app.url)).toBe(true);
    const fresh = await browser.go(`${app.url}/auth/login`);
    expect(fresh.url.startsWith(`${issuer}/interaction/`)).toBe(true);
    expect(await fresh.res.text()).toMatch(/name="login"/);
  });
});
