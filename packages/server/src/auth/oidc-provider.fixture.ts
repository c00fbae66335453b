// A real OpenID provider for sign-in tests (oidc-provider on 127.0.0.1, with its development login
// and consent pages), and the application's address registered with it. The application must listen
// before the provider starts — its callback URL is part of the client's registration — so it listens
// behind a front that forwards to whatever app the test mounts once it has built one.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import Provider from 'oidc-provider';
import { listen, type RunningServer } from '../http-server.ts';

/** What the provider says about a user: a name and the groups the roles are read from. */
export interface TestAccount {
  name: string;
  groups: string[];
}

export const TEST_CLIENT_ID = 'wardwatch';
export const TEST_CLIENT_SECRET = 'a-client-secret-for-the-test';

export interface TestProvider {
  issuer: string;
  /** The application's address, registered with the provider (`/auth/callback`, logout back to `/`). */
  app: RunningServer;
  /** Serves this app at `app.url` from now on. */
  mount(inner: Hono): void;
  close(): Promise<void>;
}

export async function startTestProvider(accounts: Record<string, TestAccount>): Promise<TestProvider> {
  const providerServer = createServer();
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  let inner: Hono | undefined;
  const front = new Hono();
  front.all('*', (c) => (inner ? inner.fetch(c.req.raw, c.env) : c.text('no application mounted yet', 503)));
  const app = await listen(front, { port: 0, host: '127.0.0.1' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [`${app.url}/auth/callback`],
        post_logout_redirect_uris: [`${app.url}/`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    conformIdTokenClaims: false, // the groups claim in the ID token, as Entra ID sends it
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) }),
    cookies: { keys: ['a-cookie-key-for-the-test'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  providerServer.on('request', provider.callback());

  return {
    issuer,
    app,
    mount: (app) => {
      inner = app;
    },
    close: async () => {
      await app.close();
      await new Promise((resolve) => providerServer.close(resolve));
      providerServer.closeAllConnections();
    },
  };
}
