// Trust scoping: two trusts on one server, a user of each. Neither sees the other's silences or
// alerts, nor can silence, overwrite or delete the other's; another trust's scope answers 404 (as if
// it did not exist), never 403. A user granted every trust sees both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { ScopeStatus } from '@wardwatch/schema';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { StatusBoard } from '../status-board.ts';
import { parseAuthConfig } from './config.ts';
import { SignOn } from './sign-on.ts';

const BASE = 'http://localhost:8080';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const signOn = new SignOn({
  config: parseAuthConfig(`
issuer: http://127.0.0.1:1/
clientId: wardwatch
redirectUrl: http://localhost:8080/auth/callback
roles: { claim: groups, operator: [o], admin: [a] }
trusts: { claim: trusts }
session: { secret: ${'k'.repeat(40)} }
`),
  clock: () => NOW,
});

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
function status(key: string, trust: string, site: string): ScopeStatus {
  const [scope, id] = key.split(/:(.*)/s) as [ScopeStatus['scope'], string];
  return { key, scope, id, trust, site, status: 'ok', reason: '', figures, since: 0, asOf: NOW };
}

let fixture: AppFixture;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  const board = new StatusBoard();
  board.applyAll([status('site:RXX01', 'RXX', 'RXX01'), status('ward:RXX01/W1', 'RXX', 'RXX01'), status('site:RYY01', 'RYY', 'RYY01'), status('ward:RYY01/W1', 'RYY', 'RYY01')]);
  fixture = await appFixture({ signOn, board });
  for (const [name, trusts, role] of [['xena', ['RXX'], 'operator'], ['yuri', ['RYY'], 'operator'], ['ada', ['*'], 'admin']] as const) {
    const minter = new Hono();
    minter.get('/', async (c) => {
      await signOn.sessions.start(c, { sub: name, name, role, trusts: [...trusts] });
      return c.body(null, 204);
    });
    cookies[name] = (await minter.request('/')).headers.get('set-cookie')!.split(';')[0]!;
  }
});
afterAll(() => fixture.close());

const send = (who: string, method: string, path: string, body?: unknown) =>
  fixture.app.request(`${BASE}${path}`, {
    method,
    headers: { cookie: cookies[who]!, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const silenceOn = (scope: string | undefined, confirm?: boolean) => ({ matchers: scope ? { scope } : {}, startsAt: NOW, endsAt: NOW + 3_600_000, ...(confirm ? { confirm } : {}) });
const ids: Record<string, string> = {};
const made = async (res: Response, name: string) => {
  expect(res.status).toBe(201);
  ids[name] = ((await res.json()) as { id: string }).id;
};
const silences = async (who: string) => ((await (await send(who, 'GET', '/api/alerts')).json()) as { silences: Array<{ id: string }> }).silences.map((s) => s.id);

describe('trust scoping: silences and alerts', () => {
  it('lets each user silence only scopes of their own trust, and see only their own silences', async () => {
    await made(await send('xena', 'POST', '/api/silences', silenceOn('site:RXX01')), 'x');
    await made(await send('yuri', 'POST', '/api/silences', silenceOn('ward:RYY01/W1')), 'y');
    expect(await silences('xena')).toEqual([ids.x]);
    expect(await silences('yuri')).toEqual([ids.y]);
    expect((await silences('ada')).sort()).toEqual([ids.x, ids.y].sort());
  });

  it('answers 404 for another trust\'s scope or silence, as if it did not exist', async () => {
    const foreign = await send('yuri', 'POST', '/api/silences', silenceOn('site:RXX01'));
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toMatch(/RXX.*trust|not yours|forbidden/i);
    expect((await send('yuri', 'DELETE', `/api/silences/${ids.x}`)).status).toBe(404);
    expect((await send('yuri', 'DELETE', '/api/silences/no-such')).status).toBe(404);
    expect(await silences('xena')).toEqual([ids.x]);
  });

  it('keeps silences that would reach other trusts (no scope, a pattern, the estate) for users of every trust', async () => {
    expect((await send('xena', 'POST', '/api/silences', silenceOn(undefined, true))).status).toBe(403);
    expect((await send('xena', 'POST', '/api/silences', silenceOn('site:*'))).status).toBe(403);
    expect((await send('xena', 'POST', '/api/silences', silenceOn('trust'))).status).toBe(404);
    await made(await send('ada', 'POST', '/api/silences', silenceOn('site:*')), 'estate');
    expect(await silences('xena')).toEqual([ids.x]);
    expect((await send('xena', 'DELETE', `/api/silences/${ids.x}`)).status).toBe(204);
  });
});
