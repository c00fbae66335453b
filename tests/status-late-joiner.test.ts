// Changes, not snapshots: the processor publishes a status when it changed (its figures past a
// tolerance between window ends) and, at each tick, the partitions' live edge. The status topic is
// compacted, so a server that starts late reads only the latest message of each key. Here the real
// processor runtime runs over a simulated trust with two faults and four telemetry partitions —
// ticking at every quarter-second round of the source, as the embedded pipeline runs it, and every
// second as batches arrive, as on Kafka: a board fed every message as it came and a board built from
// the compacted topic alone must show the same — every status, every site's summary and time, the
// causes — at every point sampled, and at each window's end the sites' figures must be the
// processor's own.
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

/**
 * The processor runtime over a simulated trust with two faults, on the in-process bus and an
 * in-memory store; a status reader that keeps the compacted topic (the latest record by key) and
 * feeds a board every message as it comes. `sourceMarks`: ticks at the source's marks (the embedded
 * pipeline); without, as batches arrive (Kafka's way).
 */
async function pipeline(sourceMarks: boolean, statusIntervalMs: number) {
  const estate = buildEstate({ seed: 7, sites: 8, wardsPerSite: 2, devicesPerWard: 5 });
  const simulator = new Simulator({ estate, seed: 7 });
  simulator.injectFault('ap-degraded', { at: T0 + 2 * MIN });
  simulator.injectFault('site-wan-congested', { at: T0 + 3 * MIN });
  const clock = { now: T0 };
  const bus = new InProcessBus({ clock: () => clock.now });
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
    clock: () => clock.now,
    config: { statusIntervalMs },
    idleAdvanceMs: Infinity,
    telemetryPartitions: PARTITIONS,
    statusesAtSourceMarks: sourceMarks,
  });
  await runtime.start();
  // Every message in the order it came (the live board's feed), and the compacted topic: the latest by key.
  const live = new StatusBoard();
  const compacted = new Map<string, Record>();
  const counts = { siteStatuses: 0, edges: [] as LiveEdge[] };
  const reader = bus.consumer({ groupId: 'reader', topics: [topics.status], fromBeginning: true });
  await reader.run(async (batch) => {
    const records = batch.records.map((r) => ({ key: r.key!, value: r.value }));
    for (const record of records) compacted.set(record.key, record);
    const { statuses, edges } = decodeAll(records);
    counts.siteStatuses += statuses.filter((s) => s.scope === 'site').length;
    counts.edges.push(...edges);
    live.applyAll(statuses, edges);
  });
  const producer = bus.producer();
  close = async () => {
    await runtime.stop();
    await reader.stop();
    await bus.close();
    await store.close();
  };
  /** Sends the simulator's events in [from, to), the clock at `to`, and waits until they are processed. */
  const deliver = async (from: number, to: number) => {
    clock.now = to;
    const events = simulator.generate(from, to);
    if (events.length > 0) await producer.send(topics.telemetry, events.map((e) => ({ key: e.site, value: new TextEncoder().encode(JSON.stringify(e)) })));
    await bus.caughtUp('processor', topics.telemetry);
  };
  /** A board built from the compacted topic alone: the latest message of each key, in no particular order, in one batch. */
  const lateJoiner = () => {
    const late = new StatusBoard();
    const { statuses, edges } = decodeAll([...compacted.values()].reverse());
    late.applyAll(statuses, edges);
    return late;
  };
  return { runtime, bus, live, counts, deliver, lateJoiner };
}

describe('status deltas and live edges on a compacted topic', () => {
  it('let a late-joining board rebuild the same board as one fed every message, with the processor’s figures at each window’s end', async () => {
    const { runtime, bus, live, counts, deliver, lateJoiner } = await pipeline(true, ROUND_MS);
    let compared = 0;
    let windowEnds = 0;
    let rounds = 0;
    for (let t = T0; t < T0 + 7 * MIN; t += ROUND_MS) {
      const to = t + ROUND_MS;
      await deliver(t, to);
      await runtime.liveTo(to);
      await bus.caughtUp('reader', topics.status);
      rounds++;
      const windowEnd = to % MIN === 0;
      if (!windowEnd && rounds % 37 !== 0) continue;

      expect(shown(lateJoiner()), `at ${new Date(to).toISOString()}`).toEqual(shown(live));
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
    expect(counts.siteStatuses).toBeLessThan((8 * rounds) / 4);
    expect(counts.edges.length).toBeLessThanOrEqual(rounds + 2);
  }, 120_000);

  it('on Kafka’s path — statuses as batches arrive, no source marks — each partition publishes its own edge, and a late joiner still rebuilds the board', async () => {
    const { live, counts, deliver, lateJoiner } = await pipeline(false, 1_000);
    for (let t = T0; t < T0 + 4 * MIN; t += 1_000) {
      await deliver(t, t + 1_000);
      if ((t - T0) % 20_000 === 0) expect(shown(lateJoiner())).toEqual(shown(live));
    }
    expect(shown(lateJoiner())).toEqual(shown(live));
    // One partition an edge, keyed by it: each is as of its own partition's newest evaluation.
    expect(counts.edges.length).toBeGreaterThan(PARTITIONS * 60);
    for (const edge of counts.edges) expect(edge.key).toBe(`edge:${edge.partitions[0]}`);
    const latest = new Map<number, number>();
    for (const edge of counts.edges) latest.set(edge.partitions[0]!, Math.max(latest.get(edge.partitions[0]!) ?? -Infinity, edge.asOf));
    for (const site of live.sites()) {
      const partition = live.get(`site:${site.id}`)!.partition!;
      expect(site.asOf, site.id).toBe(Math.max(latest.get(partition)!, live.get(`site:${site.id}`)!.asOf));
      expect(site.asOf).toBeGreaterThan(T0 + 4 * MIN - 15_000); // a partition's newest event: seconds behind at most
    }
  }, 120_000);
});
