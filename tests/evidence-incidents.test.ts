// Incidents past a restart, on SQLite and on PostgreSQL: the server evaluates a simulated trust's
// November up to the 20th, stops, and a new server on the same store evaluates the rest. The month's
// pack then lists every alert either server showed firing in November — those resolved before the
// restart too (the alert book kept them in memory, a day at most) — and an alert firing across the
// restart once, from its first start to its end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidencePack } from '@wardwatch/schema';
import { DEFAULT_SLOS } from '@wardwatch/slo';
import { openStore, PostgresRollupStore } from '@wardwatch/store';
import { createApp, createMetrics, SloEvaluator, StatusBoard } from '@wardwatch/server';
import { londonMonth } from '@wardwatch/evidence';
import { trustDirectory, writeTrust } from './helpers/evidence-trust.ts';
import { alertSteps } from './helpers/alert-steps.ts';

const HOUR = 3_600_000;
const NOV = londonMonth('2026-11');
// Friday 20 November, 12:00 UTC: S1's slow logons have an alert firing.
const RESTART = Date.UTC(2026, 10, 20, 12);
const OUTAGE = { from: Date.UTC(2026, 10, 10, 10), to: Date.UTC(2026, 10, 10, 12) };

const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-incidents-'));
const pgBase = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = `ww_incidents_${process.pid}_${Date.now() % 1_000_000}`;
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  const store = await PostgresRollupStore.open({ connectionString: pgBase, schema: pgSchema });
  await store.dropSchema();
  await store.close();
});

type Store = Awaited<ReturnType<typeof openStore>>;

describe.each([
  ['SQLite', `sqlite:${join(scratch, 'trust.db')}`],
  ['PostgreSQL', `${pgBase}?schema=${pgSchema}`],
])('incidents after a restart (%s)', (_name, url) => {
  it('lists every alert fired in the month, an alert firing across the restart once', async () => {
    let store: Store = await openStore(url);
    await writeTrust(store, {
      from: NOV.from,
      to: NOV.to,
      s1LogonMedianMs: () => 27_000,
      appDown: (site, application, start) => site === 'S2' && application === 'epr' && start >= OUTAGE.from && start < OUTAGE.to,
      seed: 11,
    });
    let clockAt = NOV.from;
    const server = async (s: Store) => {
      const board = new StatusBoard();
      const metrics = createMetrics(board, { defaultMetrics: false });
      const slos = new SloEvaluator({ store: s, slos: DEFAULT_SLOS, clock: () => clockAt, metrics, alertHistory: s, firing: await s.openAlerts() });
      const directory = trustDirectory();
      return { slos, app: createApp({ board, store: s, metrics, slos, annotations: s, clock: () => clockAt, evidenceDirectory: () => directory }) };
    };

    // The first server: up to the restart.
    let running = await server(store);
    const steps = alertSteps((path) => Promise.resolve(running.app.request(path)), (ms) => (clockAt = ms));
    await steps.run(running.slos, NOV.from, RESTART, 2 * HOUR);
    const firingAtRestart = (await (await running.app.request('/api/alerts')).json()) as { firing: Array<{ fingerprint: string; startsAt: number; scope: string; severity: string; slo: string }> };
    expect(firingAtRestart.firing.length).toBeGreaterThan(0);
    await running.slos.stop();
    await store.close();

    // The second: a new process on the same store, for the rest of the month.
    store = await openStore(url);
    running = await server(store);
    // It took back the alerts still firing, with their starts.
    const restored = (await (await running.app.request('/api/alerts')).json()) as { firing: Array<{ fingerprint: string; startsAt: number }> };
    expect(restored.firing.map((a) => `${a.fingerprint}|${a.startsAt}`).sort()).toEqual(firingAtRestart.firing.map((a) => `${a.fingerprint}|${a.startsAt}`).sort());
    await steps.run(running.slos, RESTART, NOV.to, 2 * HOUR);

    try {
      const res = await running.app.request('/api/reports/RXX/2026-11');
      expect(res.status).toBe(200);
      const pack = EvidencePack.parse(await res.json());
      const incidents = pack.applications.incidents!;
      const key = (slo: string, scope: string, severity: string, from: number, to: number | null) => `${slo} ${scope} ${severity} ${from} ${to}`;
      const seen = [...steps.seen.values()].filter((a) => a.scope !== 'site:S3' && a.startsAt < NOV.to && (a.endsAt === null || a.endsAt > NOV.from));
      expect(incidents.map((i) => key(i.slo, i.scope, i.severity, i.firingAt, i.resolvedAt)).sort()).toEqual(seen.map((a) => key(a.slo, a.scope, a.severity, a.startsAt, a.endsAt)).sort());
      // Those resolved before the restart are there, with their durations (the second server's book never held them).
      const before = incidents.filter((i) => i.resolvedAt !== null && i.resolvedAt < RESTART);
      expect(before.length).toBeGreaterThan(0);
      for (const i of before) expect(i.durationMs).toBe(i.resolvedAt! - i.firingAt);
      expect(incidents.some((i) => i.scope === 'app:epr' && i.firingAt > OUTAGE.from && i.firingAt <= OUTAGE.to + 2 * HOUR)).toBe(true);
      // An alert firing at the restart: one incident, from before it to after it.
      const across = firingAtRestart.firing.filter((a) => a.scope !== 'site:S3');
      for (const a of across) {
        const same = incidents.filter((i) => i.scope === a.scope && i.severity === a.severity && i.slo === a.slo && i.firingAt === a.startsAt);
        expect(same).toHaveLength(1);
        expect(same[0]!.resolvedAt === null || same[0]!.resolvedAt > RESTART).toBe(true);
      }
      // No two incidents of one alert overlap.
      const byAlert = new Map<string, typeof incidents>();
      for (const i of incidents) byAlert.set(`${i.scope} ${i.severity} ${i.slo}`, [...(byAlert.get(`${i.scope} ${i.severity} ${i.slo}`) ?? []), i]);
      for (const list of byAlert.values()) {
        list.sort((a, b) => a.firingAt - b.firingAt);
        for (let n = 1; n < list.length; n++) expect(list[n]!.firingAt).toBeGreaterThanOrEqual(list[n - 1]!.resolvedAt ?? Infinity);
      }
    } finally {
      await running.slos.stop();
      await store.close();
    }
  }, 300_000);
});
