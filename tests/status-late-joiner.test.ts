// Changes, not snapshots: the processor publishes a status when it changed (its figures past a
// tolerance between window ends) and, at each tick, the partitions' live edge. The status topic is
// compacted, so a server that starts late reads only the latest message of each key. Here the real
// processor runtime runs over a simulated trust with a fault, four telemetry partitions and a tick
// at every quarter-second round of the source, as the embedded pipeline runs it: a board fed every
// message as it came and a board built from the compacted topic alone must show the same — every
// status, every site's summary and time, the causes — at every point sampled, and at each window's
// end the sites' figures must be the processor's own.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatusRecord, type LiveEdge, type ScopeStatus } from '@wardwatch/schema';
import { InProcessBus } from '@wardwatch/transport';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore } from '@wardwatch/store';
import { StatusBoard } from '@wardwatch/server';
import { buildEstate, Simulator } from '@wardwatch/simulator';

const MIN = 60_000;
const ROUND_MS = 250;
// 10:00 on a weekday: daytime load.
const T0 = Date.UTC(2026, 2, 3, 10, 0, 0);
const topics = { telemetry: 'telemetry.v1', deadLetter: 'telemetry.dlq.v1', status: 'status.v1' };
const PARTITIONS = 4;

type Record = { key: string; value: Uint8Array };

function decodeAll(records: readonly Record[]): { statuses: ScopeStatus[]; edges: LiveEdge[] } {
  const statuses: ScopeStatus[] = [];
  const edges: LiveEdge[] = [];
  for (const record of records) {
    const decoded = decodeStatusRecord(record.value);
    if (!decoded.ok) throw new Error(`unreadable status record ${record.key}: ${decoded.message}`);
    if (decoded.edge) edges.push(decoded.edge);
    else statuses.push(decoded.status);
  }
  return { statuses, edges };
}

/**
 * Everything a board shows, in a stable order — a cause's evidence line aside: a board rewords a
 * site's cause from its moving gateway and name-resolution figures at most every 10 s of event time
 * (SITE_NETWORK_REFRESH_MS), so one fed every message may word it as it was up to 10 s ago; who is
 * blamed, and why (kind, culprit, summary), is compared.
 */
function shown(board: StatusBoard) {
  const kinds = ['site', 'ward', 'device', 'ap', 'app'] as const;
  const unworded = <T extends { cause?: { evidence: string } }>(item: T): T => (item.cause ? { ...item, cause: { ...item.cause, evidence: '' } } : item);
  return {
    asOf: board.asOf(),
    sites: board.sites().map(unworded),
    scopes: kinds.map((kind) => board.list(kind).map(unworded)),
    causes: board.causes().map((cause) => ({ ...cause, evidence: '' })),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('status deltas and live edges on a compacted topic', () => {
  it('let a late-joining board rebuild the same board as one fed every message, with the processor’s figures at each window’s end', async () => {
    const estate = buildEstate({ seed: 7, sites: 8, wardsPerSite: 2, devicesPerWard: 5 });
    const simulator = new Simulator({ estate, seed: 7 });
    simulator.injectFault('ap-degraded', { at: T0 + 2 * MIN });
    simulator.injectFault('site-wan-congested', { at: T0 + 3 * MIN });
    let now = T0;
    const bus = new InProcessBus({ clock: () => now });
    await bus.ensureTopics([
      { name: topics.telemetry, partitions: PARTITIONS },
      { name: topics.deadLetter, partitions: 1 },
      { name: topics.status, partitions: PARTITIONS, compacted: true },
    ]);
    const store = await openStore('sqlite::memory:');
    const runtime = new ProcessorRuntime({
      transport: bus,
      store,
      topics,
      groupId: 'processor',
      clock: () => now,
      config: { statusIntervalMs: ROUND_MS },
      idleAdvanceMs: Infinity,
      telemetryPartitions: PARTITIONS,
      statusesAtSourceMarks: true,
    });
    await runtime.start();
    // Every message in the order it came (the live board's feed), and the compacted topic: the latest by key.
    const live = new StatusBoard();
    const compacted = new Map<string, Record>();
    let siteStatuses = 0;
    let edgeMessages = 0;
    const reader = bus.consumer({ groupId: 'reader', topics: [topics.status], fromBeginning: true });
    await reader.run(async (batch) => {
      const records = batch.records.map((r) => ({ key: r.key!, value: r.value }));
      for (const record of records) compacted.set(record.key, record);
      const { statuses, edges } = decodeAll(records);
      siteStatuses += statuses.filter((s) => s.scope === 'site').length;
      edgeMessages += edges.length;
      live.applyAll(statuses, edges);
    });
    const producer = bus.producer();
    close = async () => {
      await runtime.stop();
      await reader.stop();
      await bus.close();
      await store.close();
    };

    let compared = 0;
    let windowEnds = 0;
    let rounds = 0;
    for (let t = T0; t < T0 + 7 * MIN; t += ROUND_MS) {
      const to = t + ROUND_MS;
      now = to;
      const events = simulator.generate(t, to);
      if (events.length > 0) await producer.send(topics.telemetry, events.map((e) => ({ key: e.site, value: new TextEncoder().encode(JSON.stringify(e)) })));
      await bus.caughtUp('processor', topics.telemetry);
      await runtime.liveTo(to);
      await bus.caughtUp('reader', topics.status);
      rounds++;
      const windowEnd = to % MIN === 0;
      if (!windowEnd && rounds % 37 !== 0) continue;

      // The late joiner: only the latest message of each key, in no particular order, in one batch.
      const late = new StatusBoard();
      const { statuses, edges } = decodeAll([...compacted.values()].reverse());
      late.applyAll(statuses, edges);
      expect(shown(late), `at ${new Date(to).toISOString()}`).toEqual(shown(live));
      compared++;

      // Every site is as of this round (its partition's edge), published this round or not.
      const sites = live.sites();
      expect(sites.length).toBe(8);
      for (const site of sites) expect(site.asOf, site.id).toBe(to);
      if (windowEnd && to > T0 + MIN) {
        windowEnds++;
        // At a window's end every figure that changed was published: the grid shows the processor's own.
        const processor = new Map(runtime.statuses().map((s) => [s.key, s]));
        for (const site of sites) {
          const figures = processor.get(`site:${site.id}`)!.figures;
          expect({ p95Ms: site.p95Ms, availability: site.availability, logonP95Ms: site.logonP95Ms, appChecks: site.appChecks }, site.id).toEqual({
            p95Ms: figures.p95Ms,
            availability: figures.availability,
            logonP95Ms: figures.logonP95Ms,
            appChecks: figures.appChecks,
          });
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(windowEnds).toBe(6);
    // The faults were seen: degraded scopes with causes on both boards.
    expect(live.causes().length).toBeGreaterThan(0);
    // Sites went out far less often than once a round each; one edge a round carried their time.
    expect(siteStatuses).toBeLessThan((8 * rounds) / 4);
    expect(edgeMessages).toBeLessThanOrEqual(rounds + 2);
  }, 120_000);
});
