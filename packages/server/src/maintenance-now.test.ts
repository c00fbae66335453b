import type { SiteDetail, SiteSummary } from '@wardwatch/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRollupStore } from '@wardwatch/store';
import { appFixture, type AppFixture } from './app.fixture.ts';
import { MaintenanceNow } from './maintenance-now.ts';
import { StatusBoard } from './status-board.ts';

const HOUR = 3_600_000;
const NOON = Date.parse('2026-11-30T12:00:00Z');

describe('maintenance windows on the site list', () => {
  let fixture: AppFixture;
  let now = NOON;
  afterEach(() => fixture.close());

  const start = async () => {
    now = NOON;
    const board = new StatusBoard(
      new Map([
        ['RXX01', { name: 'One', trust: 'RXX' }],
        ['RXX02', { name: 'Two', trust: 'RXX' }],
        ['RYY01', { name: 'Other trust', trust: 'RYY' }],
      ]),
    );
    fixture = await appFixture({ board, clock: () => now });
    return fixture.app;
  };
  const record = async (body: Record<string, unknown>) => {
    const response = await fixture.app.request('/api/annotations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const marked = async () => {
    const sites = (await (await fixture.app.request('/api/sites')).json()) as SiteSummary[];
    return Object.fromEntries(sites.map((s) => [s.id, s.maintenance?.map((m) => m.title) ?? []]));
  };

  it('marks the site a window is recorded at while it is open, and its page says the same', async () => {
    await start();
    await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR });
    expect(await marked()).toEqual({ RXX01: ['Core switch'], RXX02: [], RYY01: [] });
    // The same on /metrics, for a rule that should hold its fire while the work lasts.
    const metrics = await (await fixture.app.request('/metrics')).text();
    expect(metrics).toContain('wardwatch_site_maintenance{site="RXX01",trust="RXX"} 1');
    expect(metrics).toContain('wardwatch_site_maintenance{site="RXX02",trust="RXX"} 0');
    const page = (await (await fixture.app.request('/api/sites/RXX01')).json()) as SiteDetail;
    expect(page.maintenance).toEqual([{ title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR }]);
    // The status is still what the figures earn: planned work explains it, it does not change it.
    expect(page.status).toBe('unknown');
  });

  it('marks every site of the trust for a trust-wide window, and no other trust’s', async () => {
    await start();
    await record({ trust: 'RXX', scope: 'trust', kind: 'maintenance', title: 'Network upgrade', start: NOON - HOUR, end: NOON + HOUR });
    await record({ trust: 'RXX', scope: 'site:RXX02', kind: 'maintenance', title: 'Wi-Fi survey', start: NOON, end: NOON + HOUR / 2 });
    // The soonest to close first.
    expect(await marked()).toEqual({ RXX01: ['Network upgrade'], RXX02: ['Wi-Fi survey', 'Network upgrade'], RYY01: [] });
  });

  it('opens and closes a window on the times it gives, and drops it once deleted', async () => {
    await start();
    const id = await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance', title: 'PACS upgrade', start: NOON + 10 * 60_000, end: NOON + HOUR });
    expect((await marked()).RXX01).toEqual([]);
    now = NOON + 10 * 60_000;
    expect((await marked()).RXX01).toEqual(['PACS upgrade']);
    now = NOON + HOUR;
    expect((await marked()).RXX01).toEqual([]);
    now = NOON + 30 * 60_000;
    expect((await marked()).RXX01).toEqual(['PACS upgrade']);
    expect((await fixture.app.request(`/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await marked()).RXX01).toEqual([]);
  });

  it('marks nothing for a change, a ward’s window or a window that has closed', async () => {
    await start();
    await record({ trust: 'RXX', scope: 'site:RXX01', kind: 'change', title: 'SSO live', start: NOON - HOUR });
    await record({ trust: 'RXX', scope: 'ward:RXX01/4B', kind: 'maintenance', title: 'Ward 4B access points', start: NOON - HOUR, end: NOON + HOUR });
    await record({ trust: 'RXX', scope: 'site:RXX02', kind: 'maintenance', title: 'Last week', start: NOON - 7 * 24 * HOUR, end: NOON - 6 * 24 * HOUR });
    expect(await marked()).toEqual({ RXX01: [], RXX02: [], RYY01: [] });
  });
});

describe('MaintenanceNow', () => {
  it('tells its listeners the trusts whose windows a read found added, changed or removed, and nothing when none moved', async () => {
    const store = new SqliteRollupStore(':memory:');
    const windows = new MaintenanceNow(store, () => NOON);
    const heard: string[][] = [];
    windows.subscribe((trusts) => heard.push([...trusts].sort()));
    const window = { id: 'w1', trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance' as const, title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR, createdAt: NOON };
    await store.addAnnotation(window);
    await store.addAnnotation({ ...window, id: 'w2', trust: 'RYY', scope: 'trust', title: 'Later', start: NOON + 2 * HOUR, end: NOON + 3 * HOUR });
    await windows.refresh();
    await windows.refresh();
    await store.addAnnotation({ ...window, end: NOON + 2 * HOUR });
    await windows.refresh();
    await store.deleteAnnotation('w1');
    await windows.refresh();
    // The window two hours off is past the look-ahead: read (and told) once it comes within the hour.
    expect(heard).toEqual([['RXX'], ['RXX'], ['RXX']]);
    store.close();
  });

  it('keeps the answer of the latest read begun when an older read answers after it (a store whose reads overtake each other)', async () => {
    const window = { id: 'w1', trust: 'RXX', scope: 'site:RXX01', kind: 'maintenance' as const, title: 'Core switch', start: NOON - HOUR, end: NOON + HOUR, createdAt: NOON };
    // Each read answers when the test says: the first (begun before the window was recorded) last.
    const answers: Array<(found: (typeof window)[]) => void> = [];
    const store = { annotations: () => new Promise<(typeof window)[]>((resolve) => answers.push(resolve)) };
    const windows = new MaintenanceNow(store, () => NOON);
    const site = [{ id: 'RXX01', trust: 'RXX' }] as SiteSummary[];
    const second = windows.refresh();
    let secondDone = false;
    void second.then(() => (secondDone = true));
    expect(answers).toHaveLength(2); // the constructor's read, then this one
    answers[1]!([window]);
    await new Promise((resolve) => setImmediate(resolve));
    // The second read has answered, but the first is still out: refresh waits for nothing older, so it has resolved.
    expect(secondDone).toBe(true);
    expect(windows.mark(site)[0]!.maintenance?.map((m) => m.title)).toEqual(['Core switch']);
    answers[0]!([]); // the older answer, without the window, comes last
    await windows.settled();
    expect(windows.mark(site)[0]!.maintenance?.map((m) => m.title)).toEqual(['Core switch']);
  });
});
