// Two servers on one store, as behind a load balancer: a silence made or lifted, or an alert assigned
// or released, through one reaches the other's alert book at its next read of the store — its alerts
// page and what holds its notifications — and a change made on a server while it reads is not undone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertsResponse } from '@wardwatch/schema';
import { DEFAULT_SLOS, evaluateBurnRates, fingerprint } from '@wardwatch/slo';
import { openStore } from '@wardwatch/store';
import { appFixture, type AppFixture } from './app.fixture.ts';
import { readSharedAlertState } from './shared-alert-state.ts';

const BASE = 'http://localhost:8080';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const SLO = DEFAULT_SLOS.find((s) => s.name === 'site-logon-latency')!;
const PRINT = fingerprint(SLO.name, 'site:RXX01', 'page');
const dir = mkdtempSync(join(tmpdir(), 'wardwatch-shared-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Store = Awaited<ReturnType<typeof openStore>>;
let files = 0;
let kept: Store;
let one: AppFixture;
let two: AppFixture;
beforeEach(async () => {
  kept = await openStore(`sqlite:${join(dir, `shared-${files++}.db`)}`);
  [one, two] = [await appFixture({ silences: kept, assignments: kept }), await appFixture({ silences: kept, assignments: kept })];
  // The same alert firing on both: each evaluates the SLOs from the shared store.
  for (const server of [one, two]) server.slos.book.update(NOW, [evaluateBurnRates(SLO, 'site:RXX01', () => ({ valid: 100, good: 0 }), NOW)]);
  return async () => {
    await one.close();
    await two.close();
    await kept.close();
  };
});

const alerts = async (server: AppFixture) => (await (await server.app.request(`${BASE}/api/alerts`)).json()) as AlertsResponse;
const send = (server: AppFixture, method: string, path: string, body?: unknown) =>
  server.app.request(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const silence = { matchers: { scope: 'site:RXX01' }, startsAt: NOW, endsAt: NOW + 3_600_000, comment: 'WAN link swap' };

describe('silences and assignments shared through the store', () => {
  it('a silence made through one server holds the other\u2019s alert after its next read, and lifting it does too', async () => {
    const made = await send(one, 'POST', '/api/silences', silence);
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    expect((await alerts(two)).silences).toEqual([]);
    expect((await alerts(two)).firing[0]!.silencedBy).toBeNull();

    expect(await readSharedAlertState(two.slos, kept)).toBe(true);
    const seen = await alerts(two);
    expect(seen.silences.map((s) => [s.id, s.comment])).toEqual([[id, 'WAN link swap']]);
    expect(seen.firing[0]!.silencedBy).toBe(id);
    // Both servers say the same of it.
    expect(seen.firing[0]!.silencedBy).toBe((await alerts(one)).firing[0]!.silencedBy);

    expect((await send(one, 'DELETE', `/api/silences/${id}`)).status).toBe(204);
    await readSharedAlertState(two.slos, kept);
    expect((await alerts(two)).silences).toEqual([]);
    expect((await alerts(two)).firing[0]!.silencedBy).toBeNull();
  });

  it('an alert assigned through one server shows its assignee on the other after its next read, and released, none', async () => {
    expect((await send(one, 'PUT', `/api/alerts/${PRINT}/assignment`, { assignee: 'Network team' })).status).toBe(200);
    expect((await alerts(two)).firing[0]!.assignment).toBeNull();
    await readSharedAlertState(two.slos, kept);
    expect((await alerts(two)).firing[0]!.assignment).toMatchObject({ assignee: 'Network team' });

    expect((await send(one, 'DELETE', `/api/alerts/${PRINT}/assignment`)).status).toBe(204);
    await readSharedAlertState(two.slos, kept);
    expect((await alerts(two)).firing[0]!.assignment).toBeNull();
  });

  it('a change made on a server while it reads the store is kept: that read is not applied, the next has it', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // The store answers only once the change below has been made (its rows as they were when asked).
    const slow = {
      storedSilences: async (now: number) => {
        const rows = await kept.storedSilences(now);
        await held;
        return rows;
      },
      storedAssignments: () => kept.storedAssignments(),
    };
    const reading = readSharedAlertState(two.slos, slow);
    const made = await send(two, 'POST', '/api/silences', silence);
    const { id } = (await made.json()) as { id: string };
    release();
    expect(await reading).toBe(false);
    expect((await alerts(two)).silences.map((s) => s.id)).toEqual([id]);
    expect(await readSharedAlertState(two.slos, kept)).toBe(true);
    expect((await alerts(two)).silences.map((s) => s.id)).toEqual([id]);
  });
});
