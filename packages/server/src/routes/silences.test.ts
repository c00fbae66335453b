// Silences as Alertmanager keeps them: the server names each one (a post never overwrites another),
// one that matches every alert or runs for more than a month needs "confirm": true, a silence is at
// most 16 kB, and there are at most 1000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@wardwatch/store';
import { appFixture, type AppFixture } from '../app.fixture.ts';
import { readSharedAlertState } from '../shared-alert-state.ts';

const BASE = 'http://localhost:8080';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
let fixture: AppFixture;
beforeAll(async () => {
  fixture = await appFixture();
});
afterAll(() => fixture.close());

const post = (body: unknown) =>
  fixture.app.request(`${BASE}/api/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const error = async (res: Response) => ((await res.json()) as { error: string }).error;
const hour = { matchers: { scope: 'site:RXX01' }, startsAt: NOW, endsAt: NOW + 3_600_000 };

describe('POST /api/silences', () => {
  it('names every silence itself and refuses a posted id, so no post overwrites another', async () => {
    const a = await post(hour);
    const b = await post(hour);
    const ids = [((await a.json()) as { id: string }).id, ((await b.json()) as { id: string }).id];
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const named = await post({ ...hour, id: ids[0] });
    expect(named.status).toBe(400);
    expect(await error(named)).toMatch(/^id: is set by the server/);
    for (const id of ids) expect((await fixture.app.request(`${BASE}/api/silences/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it.each([
    ['matches every alert', { matchers: {}, startsAt: NOW, endsAt: NOW + 3_600_000 }, /confirm: this silence matches every alert; send "confirm": true/],
    ['matches every scope with "*"', { matchers: { scope: '*' }, startsAt: NOW, endsAt: NOW + 3_600_000 }, /matches every alert/],
    ['runs for years', { ...hour, endsAt: NOW + 3 * 365 * DAY }, /confirm: this silence lasts more than 31 days/],
  ])('needs "confirm": true when it %s', async (_what, silence, message) => {
    const unconfirmed = await post(silence);
    expect(unconfirmed.status).toBe(400);
    expect(await error(unconfirmed)).toMatch(message);
    const confirmed = await post({ ...silence, confirm: true });
    expect(confirmed.status).toBe(201);
    const body = (await confirmed.json()) as { id: string; confirm?: unknown };
    expect(body).not.toHaveProperty('confirm');
    expect((await fixture.app.request(`${BASE}/api/silences/${body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses a silence over 16 kB, and any write over 64 kB before reading it', async () => {
    const big = await post({ ...hour, comment: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    expect(await error(big)).toMatch(/at most 16 kB/);
    const hugeBody = JSON.stringify({ ...hour, comment: 'x'.repeat(50 * 1024 * 1024) });
    const huge = await fixture.app.request(`${BASE}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(hugeBody)) },
      body: hugeBody,
    });
    expect(huge.status).toBe(413);
    expect(await error(huge)).toMatch(/larger than 65536 bytes/);
    const alerts = (await (await fixture.app.request(`${BASE}/api/alerts`)).json()) as { silences: unknown[] };
    expect(alerts.silences).toEqual([]);
  });

  it('keeps at most 1000 silences', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const res = await post({ ...hour, comment: `window ${i}` });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const over = await post(hour);
    expect(over.status).toBe(409);
    expect(await error(over)).toMatch(/there are 1000 silences already, the most kept; delete some first/);
    expect((await fixture.app.request(`${BASE}/api/silences/${ids[0]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(hour)).status).toBe(201);
  }, 60_000);
});

describe('silences across a restart', () => {
  it('are stored when made and deleted, and put back into a new server\'s alert book', async () => {
    const kept = await openStore('sqlite::memory:');
    const before = await appFixture({ silences: kept });
    const made = await before.app.request(`${BASE}/api/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...hour, comment: 'switch swap' }) });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const gone = await before.app.request(`${BASE}/api/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hour) });
    const goneId = ((await gone.json()) as { id: string }).id;
    expect((await before.app.request(`${BASE}/api/silences/${goneId}`, { method: 'DELETE' })).status).toBe(204);
    await before.close();

    const after = await appFixture({ silences: kept });
    expect(await readSharedAlertState(after.slos, kept)).toBe(true);
    const alerts = (await (await after.app.request(`${BASE}/api/alerts`)).json()) as { silences: Array<{ id: string; comment: string }> };
    expect(alerts.silences.map((s) => [s.id, s.comment])).toEqual([[id, 'switch swap']]);
    await after.close();
    await kept.close();
  });
});
