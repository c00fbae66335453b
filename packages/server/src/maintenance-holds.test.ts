// A recorded maintenance window holds the notifications of the alerts it covers, through the app: a
// site's window its site's alerts, a trust-wide one its trust's sites' and, in a one-trust estate, the
// estate-wide targets'; the alerts still fire and name the window, GET /api/alerts lists it, and the
// hold ends with the window, or at once when it is deleted.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsResponse, ScopeStatus, SiteSummary } from '@wardwatch/schema';
import { DEFAULT_SLOS, evaluateBurnRates } from '@wardwatch/slo';
import { appFixture, type AppFixture } from './app.fixture.ts';
import { StatusBoard } from './status-board.ts';

const HOUR = 3_600_000;
const NOON = Date.parse('2026-11-30T12:00:00Z');
const SLO = DEFAULT_SLOS.find((s) => s.name === 'site-logon-latency')!;
const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (trust: string, id: string): ScopeStatus => ({ key: `site:${id}`, scope: 'site', id, trust, site: id, status: 'ok', reason: '', figures, since: 0, asOf: NOON });
/** The logon SLO burning fast enough to page at `scope`: every logon slow. */
const burning = (scope: string, at: number) => evaluateBurnRates(SLO, scope, () => ({ valid: 100, good: 0 }), at);

describe('recorded maintenance windows hold alerts', () => {
  let fixture: AppFixture;
  let now = NOON;
  afterEach(() => fixture.close());

  const start = async (sites: ScopeStatus[]) => {
    now = NOON;
    const board = new StatusBoard();
    board.applyAll(sites);
    fixture = await appFixture({ board, clock: () => now });
  };
  const record = async (body: Record<string, unknown>) => {
    const response = await fixture.app.request('/api/annotations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  /** One evaluation with the SLO burning at each scope: the pages it sends, by scope. */
  const evaluate = (scopes: string[]) =>
    fixture.slos.book
      .update(now, scopes.map((scope) => burning(scope, now)))
      .filter((n) => n.alert.severity === 'page')
      .map((n) => `${n.status} ${n.alert.scope}`);
  const alerts = async () => (await (await fixture.app.request('/api/alerts')).json()) as AlertsResponse;
  const heldBy = async () => Object.fromEntries((await alerts()).firing.filter((a) => a.severity === 'page').map((a) => [a.scope, a.silencedBy]));

  it('holds the pages of the site a window is recorded at while it is open, and names the window', async () => {
    await start([site('RXX', 'RXX01'), site('RXX', 'RXX02')]);
    const id = await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR });
    expect(evaluate(['site:RXX01', 'site:RXX02'])).toEqual(['firing site:RXX02']);
    expect(await heldBy()).toEqual({ 'site:RXX01': id, 'site:RXX02': null });
    const listed = await alerts();
    expect(listed.maintenance!.map((w) => [w.id, w.scope, w.title])).toEqual([[id, 'site:RXX01', 'Core switch']]);
    expect(listed.silences).toEqual([]);
    // The site list agrees: the site's page is firing, held, and the site is in planned work.
    const sites = (await (await fixture.app.request('/api/sites')).json()) as SiteSummary[];
    const one = sites.find((s) => s.id === 'RXX01')!;
    expect(one.alerts).toMatchObject({ page: 1, ticket: 1, planned: 2, plannedPages: 1 });
    expect(one.alerts!.acknowledged).toBeUndefined();
    expect(one.maintenance!.map((m) => m.title)).toEqual(['Core switch']);
    expect(sites.find((s) => s.id === 'RXX02')!.alerts).toMatchObject({ page: 1 });
    expect(sites.find((s) => s.id === 'RXX02')!.alerts!.plannedPages).toBeUndefined();
    // The site's own page says the same.
    const detail = (await (await fixture.app.request('/api/sites/RXX01')).json()) as SiteSummary;
    expect(detail.alerts).toMatchObject({ page: 1, ticket: 1, planned: 2, plannedPages: 1 });
    // The window over, the page goes out at the next evaluation.
    now = NOON + HOUR;
    expect(await heldBy()).toEqual({ 'site:RXX01': null, 'site:RXX02': null });
    expect(evaluate(['site:RXX01', 'site:RXX02'])).toEqual(['firing site:RXX01']);
  });

  it('lets the page go once the window is deleted, and holds nothing for a window not yet open, a ward’s, or a change', async () => {
    await start([site('RXX', 'RXX01')]);
    const id = await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR });
    await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'Later', start: NOON + HOUR / 2, end: NOON + 2 * HOUR });
    await record({ trust: 'RXX', scope: 'ward:RXX01/4B', kind: 'maintenance', title: 'Ward 4B APs', start: NOON - HOUR, end: NOON + HOUR });
    await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'change', title: 'SSO live', start: NOON - HOUR });
    expect(evaluate(['site:RXX01'])).toEqual([]);
    expect((await fixture.app.request(`/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(204);
    // At once on the alerts page; at the next evaluation for the notifiers.
    expect(await heldBy()).toEqual({ 'site:RXX01': null });
    expect((await alerts()).maintenance).toEqual([]);
    expect(evaluate(['site:RXX01'])).toEqual(['firing site:RXX01']);
  });

  it('holds every site of the trust for a trust-wide window, not another trust’s, nor the estate-wide targets of two trusts', async () => {
    await start([site('RXX', 'RXX01'), site('RXX', 'RXX02'), site('RYY', 'RYY01')]);
    const id = await record({ trust: 'RXX', scope: 'trust', kind: 'maintenance', title: 'Network upgrade', start: NOON - HOUR, end: NOON + HOUR });
    expect(evaluate(['site:RXX01', 'site:RXX02', 'site:RYY01', 'trust'])).toEqual(['firing site:RYY01', 'firing trust']);
    expect(await heldBy()).toEqual({ 'site:RXX01': id, 'site:RXX02': id, 'site:RYY01': null, trust: null });
  });

  it('holds the estate-wide targets too when the estate is the one trust', async () => {
    await start([site('RXX', 'RXX01'), site('RXX', 'RXX02')]);
    const id = await record({ trust: 'RXX', scope: 'trust', kind: 'maintenance', title: 'Network upgrade', start: NOON - HOUR, end: NOON + HOUR });
    expect(evaluate(['site:RXX01', 'trust', 'app:epr'])).toEqual([]);
    expect(await heldBy()).toEqual({ 'site:RXX01': id, trust: id, 'app:epr': id });
  });
});
