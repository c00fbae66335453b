// Trust scoping: two trusts on one server, a user of each. Neither sees the other's silences or
// alerts, nor can silence, overwrite or delete the other's; another trust's scope answers 404 (as if
// it did not exist), never 403. A user granted every trust sees both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { listen } from '../http-server.ts';
import { StatusBoard } from '../status-board.ts';
import { requestWith, sessionCookie, testSignOn } from './sessions.fixture.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const signOn = testSignOn(() => NOW, { trustClaim: true });

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
function status(key: string, trust: string, site: string, health: ScopeStatus['status'] = 'ok', extra: Partial<ScopeStatus> = {}): ScopeStatus {
  const [scope, id] = key.split(/:(.*)/s) as [ScopeStatus['scope'], string];
  return { key, scope, id, trust, site, status: health, reason: health === 'ok' ? '' : 'slow', figures, since: 0, asOf: NOW, ...extra };
}
/** A site with six devices on one ward, one of them slow with its CPU pinned: attribution blames it. */
const device = (trust: string, site: string, n: number, slow: boolean) =>
  status(`device:${site}-D${n}`, trust, site, slow ? 'degraded' : 'ok', {
    ward: 'W1',
    figures: { ...figures, appChecks: 60, p95Ms: slow ? 4000 : 700, cpuPct: slow ? 96 : 20 },
  });
const estate = (trust: string, site: string) => [
  status(`site:${site}`, trust, site),
  status(`ward:${site}/W1`, trust, site, 'ok', { ward: 'W1' }),
  ...[1, 2, 3, 4, 5, 6].map((n) => device(trust, site, n, n === 6)),
];

let fixture: AppFixture;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  const board = new StatusBoard();
  board.applyAll([...estate('RXX', 'RXX01'), ...estate('RYY', 'RYY01')]);
  fixture = await appFixture({ signOn, board });
  for (const [name, trusts, role] of [['xena', ['RXX'], 'operator'], ['yuri', ['RYY'], 'operator'], ['ada', ['*'], 'admin']] as const) {
    cookies[name] = await sessionCookie(signOn, { sub: name, name, role, trusts: [...trusts] });
  }
});
afterAll(() => fixture.close());

const send = (who: string, method: string, path: string, body?: unknown) => requestWith(fixture.app, cookies[who]!, method, path, body);
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

  it('answers 404 for another trust\'s annotations, exactly as for a trust that does not exist', async () => {
    const note = (trust: string) => ({ trust, scope: `site:${trust}01`, title: 'Switch replaced', start: NOW });
    const theirs = await send('yuri', 'POST', '/api/annotations', note('RYY'));
    expect(theirs.status).toBe(201);
    const { id } = (await theirs.json()) as { id: string };
    for (const [foreign, absent] of [
      [await send('xena', 'GET', '/api/annotations?trust=RYY'), await send('xena', 'GET', '/api/annotations?trust=RZZ')],
      [await send('xena', 'POST', '/api/annotations', note('RYY')), await send('xena', 'POST', '/api/annotations', note('RZZ'))],
      [await send('xena', 'DELETE', `/api/annotations/${id}`), await send('xena', 'DELETE', '/api/annotations/no-such')],
    ]) {
      expect(foreign.status).toBe(404);
      const text = await foreign.text();
      expect(text).not.toMatch(/not one of yours|forbidden|permission/i);
      expect(text.replace(/RYY|[\w-]{36}/g, '…')).toBe((await absent.text()).replace(/RZZ|no-such/g, '…'));
    }
    expect(((await (await send('xena', 'GET', '/api/annotations')).json()) as unknown[])).toEqual([]);
    expect(((await (await send('yuri', 'GET', '/api/annotations')).json()) as Array<{ id: string }>).map((a) => a.id)).toEqual([id]);
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

const json = async <T>(who: string, path: string): Promise<{ status: number; body: T }> => {
  const res = await send(who, 'GET', path);
  return { status: res.status, body: (await res.json()) as T };
};

describe('trust scoping: the estate', () => {
  it('lists only the caller\'s sites, devices and causes', async () => {
    for (const [who, own, other] of [['xena', 'RXX', 'RYY'], ['yuri', 'RYY', 'RXX']] as const) {
      const sites = await json<Array<{ id: string; trust: string }>>(who, '/api/sites');
      expect(sites.body.map((s) => s.trust)).toEqual([own]);
      const devices = await json<Array<{ trust: string }>>(who, '/api/devices');
      expect(devices.body.length).toBe(6);
      expect(devices.body.every((d) => d.trust === own)).toBe(true);
      const causes = await json<Array<{ siteIds: string[] }>>(who, '/api/causes');
      expect(causes.body.length).toBeGreaterThan(0);
      expect(causes.body.flatMap((c) => c.siteIds)).not.toContain(`${other}01`);
    }
    expect((await json<unknown[]>('ada', '/api/sites')).body).toHaveLength(2);
    expect((await json<unknown[]>('ada', '/api/devices')).body).toHaveLength(12);
  });

  it.each([
    ['a site', '/api/sites/RYY01'],
    ['a site\'s uptime history', '/api/sites/RYY01/uptime'],
    ['a ward', '/api/scopes/ward:RYY01/W1'],
    ['a device', '/api/scopes/device:RYY01-D1'],
    ['a report', '/api/reports/RYY/2026-10'],
    ['an export', '/api/export?scope=site:RYY01&metric=app.responseMs'],
    ['an export by prefix', '/api/export?scope=ward:RYY01/*&metric=app.responseMs'],
  ])('answers 404 for another trust\'s %s, exactly as for one that does not exist', async (_what, path) => {
    const foreign = await send('xena', 'GET', path);
    expect(foreign.status).toBe(404);
    const text = await foreign.text();
    expect(text).not.toMatch(/not one of yours|forbidden|permission/i);
    const own = await send('yuri', 'GET', path);
    expect([200, 400]).toContain(own.status);
  });

  it('keeps the other trust off the live stream', async () => {
    const server = await listen(fixture.app, { port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    try {
      const res = await fetch(`${server.url}/api/stream`, { headers: { cookie: cookies.xena! }, signal: controller.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      const readUntil = async (done: () => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!done() && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
        expect(done()).toBe(true);
      };
      await readUntil(() => /event: sites\ndata: (.*)\n/.test(text));
      const sites = JSON.parse(/event: sites\ndata: (.*)\n/.exec(text)![1]!) as Array<{ trust: string }>;
      expect(sites.map((s) => s.trust)).toEqual(['RXX']);
      fixture.board.applyAll([status('device:RYY01-D9', 'RYY', 'RYY01', 'down', { ward: 'W1' }), status('device:RXX01-D9', 'RXX', 'RXX01', 'down', { ward: 'W1' })]);
      await readUntil(() => text.includes('RXX01-D9'));
      expect(text).not.toContain('RYY');
    } finally {
      controller.abort();
      await server.close();
    }
  });
});
