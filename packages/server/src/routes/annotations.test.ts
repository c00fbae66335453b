import { Hono } from 'hono';
import { SqliteRollupStore } from '@wardwatch/store';
import { afterEach, describe, expect, it } from 'vitest';
import { annotationRoutes } from './annotations.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const SSO = { trust: 'RXX', scope: 'site:RXX03', title: 'SSO live', start: '2026-09-14T08:00:00+01:00' };

describe('annotation routes', () => {
  let store: SqliteRollupStore;
  afterEach(() => store.close());
  const routes = () => {
    store = new SqliteRollupStore(':memory:');
    return annotationRoutes({ store, now: () => NOW });
  };
  const post = (app: ReturnType<typeof routes>, body: unknown) =>
    app.request('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('records a change, lists it, deletes it', async () => {
    const app = routes();
    const created = await post(app, SSO);
    expect(created.status).toBe(201);
    const annotation = await created.json();
    expect(annotation).toMatchObject({ trust: 'RXX', scope: 'site:RXX03', kind: 'change', title: 'SSO live', start: Date.parse('2026-09-14T07:00:00Z'), createdAt: NOW });
    expect(annotation.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await (await app.request('/?trust=RXX')).json()).toEqual([annotation]);
    expect(await (await app.request('/?trust=RYY')).json()).toEqual([]);
    const gone = await app.request(`/${annotation.id}`, { method: 'DELETE' });
    expect(gone.status).toBe(204);
    expect(await (await app.request('/')).json()).toEqual([]);
    const again = await app.request(`/${annotation.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect((await again.json()).error).toContain(annotation.id);
  });

  it('filters by scope, kind and time', async () => {
    const app = routes();
    await post(app, SSO);
    await post(app, { ...SSO, scope: 'site:RXX01', kind: 'maintenance', title: 'Core switch', start: '2026-10-03T06:00:00Z', end: '2026-10-03T08:00:00Z' });
    const titles = async (q: string) => ((await (await app.request(`/?${q}`)).json()) as Array<{ title: string }>).map((a) => a.title);
    expect(await titles('scope=site:RXX01')).toEqual(['Core switch']);
    expect(await titles('kind=change')).toEqual(['SSO live']);
    expect(await titles('from=2026-10-01T00:00:00Z')).toEqual(['Core switch']);
    expect(await titles(`to=${Date.parse('2026-10-01T00:00:00Z')}`)).toEqual(['SSO live']);
  });

  it.each([
    [{ ...SSO, scope: 'RXX03' }, /^scope: /],
    [{ ...SSO, start: 'yesterday' }, /^start: /],
    [{ ...SSO, kind: 'maintenance' }, /^end: is required/],
    [{ ...SSO, title: undefined }, /^title: /],
    [{ ...SSO, colour: 'red' }, /^colour: not an annotation field/],
    ['{not json', /^body: must be a JSON annotation/],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const app = routes();
    const response = await post(app, body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
    expect(await store.annotations()).toEqual([]);
  });

  it("keeps a signed-in caller to the trusts their claims name", async () => {
    store = new SqliteRollupStore(':memory:');
    const open = annotationRoutes({ store, now: () => NOW });
    const other = (await (await post(open, { ...SSO, trust: 'RYY' })).json()) as { id: string };
    await post(open, SSO);
    const app = new Hono<{ Variables: { principal: { trusts: string[] } } }>();
    app.use(async (c, next) => {
      c.set('principal', { trusts: ['RXX'] });
      await next();
    });
    app.route('/', annotationRoutes({ store, now: () => NOW }));
    expect(((await (await app.request('/')).json()) as Array<{ trust: string }>).map((a) => a.trust)).toEqual(['RXX']);
    // Another trust's list answers as one that does not exist: 404, the same words, nothing confirmed.
    const refused = await app.request('/?trust=RYY');
    expect(refused.status).toBe(404);
    expect((await refused.json()).error).toBe('no trust "RYY"');
    const posted = await app.request('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...SSO, trust: 'RYY' }) });
    expect(posted.status).toBe(404);
    expect((await posted.json()).error).toBe('no trust "RYY"');
    expect((await app.request(`/${other.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await store.annotations({ trust: 'RYY' })).toHaveLength(1);
  });

  it.each([
    ['kind=outage', /^kind: must be one of change, maintenance/],
    ['from=soon', /^from: must be epoch ms or an ISO 8601 date-time/],
  ])('answers 400 for a bad query %s', async (query, message) => {
    const response = await routes().request(`/?${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });
});
