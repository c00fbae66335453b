// Signing in and out of the dashboard in Chromium, against a real OpenID provider started here
// (oidc-provider on 127.0.0.1, its development login pages): the header names the signed-in user and
// offers Sign out, which ends the session here and at the provider, so the next visit asks for
// credentials again. Without sign-in configured the header offers no sign-out.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createMetrics, listen, parseAuthConfig, SignOn, StatusBoard, type AuthEvent, type RunningServer } from '@wardwatch/server';
import { dashboardDistDir } from '@wardwatch/dashboard';
import { openStore, type RollupStore } from '@wardwatch/store';
import { startTestProvider, type TestProvider } from '../packages/server/src/auth/oidc-provider.fixture.ts';
import { launchChromium } from './helpers/browser.ts';

let provider: TestProvider;
let issuer: string;
let signedServer: RunningServer;
let openServer: RunningServer;
let store: RollupStore;
let browser: Browser;
const events: AuthEvent[] = [];

beforeAll(async () => {
  provider = await startTestProvider({ alice: { name: 'Alice Operator', groups: ['ww-operators'] } });
  ({ issuer, app: signedServer } = provider);
  const config = parseAuthConfig(`
issuer: ${issuer}
clientId: wardwatch
clientSecret: a-client-secret-for-the-test
redirectUrl: ${signedServer.url}/auth/callback
scopes: [openid, profile, groups]
roles: { claim: groups, viewer: [ww-viewers], operator: [ww-operators], admin: [ww-admins] }
session: { secret: ${'s'.repeat(48)} }
`);
  store = await openStore('sqlite::memory:');
  const board = new StatusBoard();
  const metrics = createMetrics(board, { defaultMetrics: false });
  const signOn = new SignOn({ config, onEvent: (e) => events.push(e) });
  provider.mount(createApp({ board, store, metrics, signOn, dashboardDir: dashboardDistDir, logError: () => {} }));
  openServer = await listen(createApp({ board, store, metrics, dashboardDir: dashboardDistDir, logError: () => {} }), { port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await openServer?.close();
  await store?.close();
});

/** Fills the provider's development login page, then its consent page, and lands back on the dashboard. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').click()]);
  // The first sign-in of this account to this client asks for consent on a page of its own.
  if (page.url().startsWith(`${issuer}/interaction/`)) await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.href.startsWith(signedServer.url));
}

describe('the dashboard with sign-in', () => {
  it('names the signed-in user, and Sign out ends the session here and at the provider', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${signedServer.url}/`);
      await signInAtProvider(page, 'alice');
      await expect.poll(() => page.locator('ww-account [data-user]').textContent().catch(() => null), { timeout: 30_000 }).toMatch(/Signed in as Alice Operator\s*\(operator\)/);
      const signOut = page.getByRole('button', { name: 'Sign out' });
      expect(await signOut.isVisible()).toBe(true);

      await signOut.click();
      // The provider asks to confirm its own sign-out, then sends the browser back here.
      await page.waitForURL((url) => url.href.startsWith(`${issuer}/session/end`));
      await page.locator('button[name="logout"][value="yes"], button[value="yes"]').first().click();
      // Back here with no session: the dashboard sends the browser to sign in, and the provider, its
      // session ended too, asks for credentials again instead of signing straight back in.
      await page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`), { timeout: 30_000 });
      expect(await page.locator('input[name="login"]').count()).toBe(1);
      const me = await context.request.get(`${signedServer.url}/api/me`);
      expect(me.status()).toBe(401);
      expect(events.map((e) => e.event)).toEqual(['login', 'logout']);
      expect(events[1]).toMatchObject({ sub: 'alice', name: 'Alice Operator' });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('offers no sign-out without sign-in configured (every caller is the local administrator)', async () => {
    const page = await browser.newPage();
    try {
      // The account element asks who the caller is, and draws nothing for the local administrator.
      const me = page.waitForResponse((res) => res.url().endsWith('/api/me'));
      await page.goto(`${openServer.url}/`);
      expect(await (await me).json()).toMatchObject({ sub: 'local', signOn: false });
      await page.locator('ww-site-grid').waitFor({ state: 'attached' });
      // Drawn from that answer: the element's update after it has settled.
      await page.evaluate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await (document.querySelector('ww-app')!.shadowRoot!.querySelector('ww-account') as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      });
      expect(await page.locator('ww-account [data-sign-out]').count()).toBe(0);
      expect(await page.locator('ww-account [data-user]').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
