// For tests of what a signed-in caller may do: a sign-on whose sessions the test mints directly (its
// issuer is never contacted — sign-in itself is tested against a real provider in sign-on.test.ts),
// a session cookie for any principal, and requests sent with it.
import { Hono } from 'hono';
import type { Principal } from './claims.ts';
import { parseAuthConfig } from './config.ts';
import { SignOn } from './sign-on.ts';

export const TEST_BASE = 'http://localhost:8080';

export interface TestSignOnOptions {
  /** Read trusts from a `trusts` claim (otherwise every session sees every trust). */
  trustClaim?: boolean;
  /** More lines of the auth config (e.g. `metrics: …`). */
  extra?: string;
}

export function testSignOn(clock: () => number, options: TestSignOnOptions = {}): SignOn {
  const config = parseAuthConfig(`
issuer: http://127.0.0.1:1/
clientId: wardwatch
redirectUrl: ${TEST_BASE}/auth/callback
roles: { claim: groups, viewer: [v], operator: [o], admin: [a] }
${options.trustClaim ? 'trusts: { claim: trusts }' : ''}
${options.extra ?? ''}
session: { secret: ${'k'.repeat(40)} }
`);
  return new SignOn({ config, clock });
}

/** The `name=value` of a session cookie for this principal, as the sign-on would set it after sign-in. */
export async function sessionCookie(signOn: SignOn, principal: Principal): Promise<string> {
  const minter = new Hono();
  minter.get('/', async (c) => {
    await signOn.sessions.start(c, principal);
    return c.body(null, 204);
  });
  return (await minter.request('/')).headers.get('set-cookie')!.split(';')[0]!;
}

/** A request to the app with a cookie, a JSON body when given, and any more headers. */
export function requestWith(
  app: { request(url: string, init: RequestInit): Response | Promise<Response> },
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(`${TEST_BASE}${path}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}
