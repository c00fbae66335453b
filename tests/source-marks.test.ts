// A source that marks how far it has delivered (the demo's simulator at the wall clock): the processor
// runtime evaluates statuses at the marks, on every partition — a partition with nothing in the round
// is as of the mark too (its live edge: a site is published only when it changed) — and not as each
// batch arrives. Driven by hand: the bus, the marks and the clock are the test's, nothing waits on
// wall time.
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, decodeStatusRecord, type LiveEdge, type ScopeStatus, type TelemetryEvent } from '@wardwatch/schema';
import { StatusBoard } from '@wardwatch/server';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore, type RollupStore } from '@wardwatch/store';
import { InProcessBus, partitionForKey } from '@wardwatch/transport';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 8, 0);
const topics = TOPICS;
const encoder = new TextEncoder();
const PARTITIONS = 4;

/** Two sites on different partitions. */
const [S1, S2] = (() => {
  const found: string[] = [];
  for (let i = 1; found.length < 2; i++) if (found.length === 0 || partitionForKey(`S${i}`, PARTITIONS) !== partitionForKey(found[0]!, PARTITIONS)) found.push(`S${i}`);
  return found as [string, string];
})();

let seq = 0;
const check = (site: string, ts: number): TelemetryEvent => ({
  v: 1, id: `a-${ts}-${seq}`, seq: ++seq, ts, trust: 'RXX', site, ward: 'W1', device: `${site}-D1`, kind: 'app', body: { app: 'epr', ok: true, totalMs: 400 },
});

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function pipeline(statusesAtSourceMarks: boolean) {
  const store: RollupStore = await openStore('sqlite::memory:');
  const bus = new InProcessBus();
  await bus.ensureTopics([
    { name: topics.telemetry, partitions: PARTITIONS },
    { name: topics.deadLetter, partitions: 1 },
    { name: topics.status, partitions: PARTITIONS },
  ]);
  let now = T0;
  const runtime = new ProcessorRuntime({
    transport: bus, store, topics, groupId: 'processor', clock: () => now,
    config: { watermarkLagMs: 30_000, allowedLatenessMs: MIN, statusIntervalMs: 200 },
    idleAdvanceMs: Infinity,
    statusesAtSourceMarks,
  });
  await runtime.start();
  const published: ScopeStatus[] = [];
  const edges: LiveEdge[] = [];
  const board = new StatusBoard();
  const reader = bus.consumer({ groupId: 'reader', topics: [topics.status], fromBeginning: true });
  await reader.run(async (batch) => {
    for (const record of batch.records) {
      const decoded = decodeStatusRecord(record.value);
      if (!decoded.ok) continue;
      if (decoded.edge) {
        edges.push(decoded.edge);
        board.applyAll([], [decoded.edge]);
      } else {
        published.push(decoded.status);
        board.apply(decoded.status);
      }
    }
  });
  closing.push(async () => {
    await runtime.stop();
    await reader.stop();
    await bus.close();
    await store.close();
  });
  /** A round: its events sent and read; then, with marks, the mark; the statuses and live edges it published. */
  const round = async (to: number, events: TelemetryEvent[], mark = statusesAtSourceMarks) => {
    now = to;
    if (events.length > 0) await bus.producer().send(topics.telemetry, events.map((e) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) })));
    await bus.caughtUp('processor', topics.telemetry);
    const from = published.length;
    const edgesFrom = edges.length;
    if (mark) await runtime.liveTo(to);
    await bus.caughtUp('reader', topics.status);
    return { statuses: published.slice(from), edges: edges.slice(edgesFrom) };
  };
  /** Each site's time on a board fed what was published. */
  const sitesAsOf = () => Object.fromEntries(board.sites().map((s) => [s.id, s.asOf]));
  return { round, sitesAsOf };
}

describe('statuses at a source’s marks', () => {
  it('puts every partition’s sites as of each mark, also a partition with nothing in the round', async () => {
    const { round, sitesAsOf } = await pipeline(true);
    const M = T0 + MIN;
    const [p1, p2] = [partitionForKey(S1, PARTITIONS), partitionForKey(S2, PARTITIONS)].sort((a, b) => a - b);
    // The first window's end: every scope judged as of it; one live edge for both partitions.
    const first = await round(M, [check(S1, T0 + 1_000), check(S2, T0 + 2_000)]);
    expect(new Set(first.statuses.map((s) => s.asOf))).toEqual(new Set([M]));
    expect(first.edges.map((e) => [e.partitions, e.asOf])).toEqual([[[p1, p2], M]]);
    expect(sitesAsOf()).toEqual({ [S1]: M, [S2]: M });
    // A round with events for S1 only, its newest 130 ms before the mark: both sites as of the mark.
    await round(M + 10_250, [check(S1, M + 10_120)]);
    expect(sitesAsOf()).toEqual({ [S1]: M + 10_250, [S2]: M + 10_250 });
    // A round with no events at all: nothing changed, nothing published but the edge; the sites move with it.
    const quiet = await round(M + 10_500, []);
    expect(quiet.statuses).toEqual([]);
    expect(quiet.edges.map((e) => [e.partitions, e.asOf])).toEqual([[[p1, p2], M + 10_500]]);
    expect(sitesAsOf()).toEqual({ [S1]: M + 10_500, [S2]: M + 10_500 });
    // A mark within the tick already evaluated: nothing due.
    expect(await round(M + 10_550, [])).toEqual({ statuses: [], edges: [] });
    // Past the next window's end: that end first, as of it.
    const atEnd = await round(M + MIN + 100, [check(S2, M + MIN + 50)]);
    expect(new Set([...atEnd.statuses, ...atEnd.edges].map((s) => s.asOf))).toEqual(new Set([M + MIN]));
    expect(sitesAsOf()).toEqual({ [S1]: M + MIN, [S2]: M + MIN });
  });

  it('without marks, evaluates as batches arrive, as of their newest event, and a quiet partition’s sites stand still', async () => {
    const { round, sitesAsOf } = await pipeline(false);
    const M = T0 + MIN;
    await round(M + 1_000, [check(S1, T0 + 1_000), check(S2, T0 + 2_000), check(S1, M + 1_000), check(S2, M + 1_000)]);
    const before = sitesAsOf();
    // Each partition's own edge, as it evaluates: S1's moves to its newest event, S2's stands still.
    const next = await round(M + 10_250, [check(S1, M + 10_120)]);
    expect(next.edges.map((e) => [e.key, e.asOf])).toEqual([[`edge:${partitionForKey(S1, PARTITIONS)}`, M + 10_120]]);
    expect(sitesAsOf()).toEqual({ [S1]: M + 10_120, [S2]: before[S2] });
  });
});
