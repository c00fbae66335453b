// A site's events must meet on one partition: there its windows are counted once and each device's
// replay window sees every retry. A producer writing straight to the topic with no key, or another
// key, puts a record where that does not hold — a replay there would be counted twice. The processor
// dead-letters such records ("wrong-partition") and counts the rest.
import { describe, expect, it } from 'vitest';
import { TOPICS, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore } from '@wardwatch/store';
import { InProcessBus, partitionForKey } from '@wardwatch/transport';
import { until } from './helpers/sse.ts';

const topics = TOPICS;
const PARTITIONS = 4;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('records on the wrong partition', () => {
  it('are dead-lettered with the partition their site belongs on; records keyed by their site are counted', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: topics.telemetry, partitions: PARTITIONS, logAppendTime: true }, { name: topics.deadLetter, partitions: 1 }, { name: topics.status, partitions: 1 }]);
    const store = await openStore('sqlite::memory:');
    const counts = { accepted: 0, wrong: 0 };
    const runtime = new ProcessorRuntime({
      transport: bus, store, topics, groupId: 'processor', clock: Date.now, idleAdvanceMs: 3_600_000, telemetryPartitions: PARTITIONS,
      observer: { batch: (c) => { counts.accepted += c.accepted; counts.wrong += c.rejected['wrong-partition'] ?? 0; } },
    });
    await runtime.start();
    const letters: Array<{ reason: string; message: string }> = [];
    const dlq = bus.consumer({ groupId: 'dlq-reader', topics: [topics.deadLetter] });
    await dlq.run(async (batch) => void letters.push(...batch.records.map((r) => JSON.parse(decoder.decode(r.value)))));
    try {
      const site = 'S1';
      const home = partitionForKey(site, PARTITIONS);
      // A key that lands elsewhere, as a producer keying by something else would.
      const stranger = ['A', 'B', 'C', 'D', 'E', 'F'].find((k) => partitionForKey(k, PARTITIONS) !== home)!;
      const now = Date.now();
      const event = (i: number): TelemetryEvent =>
        ({ v: 1, id: `wp-${i}-0000`, seq: i + 1, ts: now - 60_000 + i * 1000, trust: 'RXX', site, ward: 'W1', device: 'D1', kind: 'app', body: { app: 'epr', ok: true, totalMs: 300 } }) as TelemetryEvent;
      await bus.producer().send(topics.telemetry, [
        ...[0, 1, 2].map((i) => ({ key: site, value: encoder.encode(JSON.stringify(event(i))) })),
        // The same event again, keyed wrongly: on its own partition it would be a new device's first.
        { key: stranger, value: encoder.encode(JSON.stringify(event(0))) },
      ]);
      await until(() => (counts.accepted === 3 && letters.length === 1 ? true : undefined), 20_000, 'three counted, one dead letter');
      expect(counts).toEqual({ accepted: 3, wrong: 1 });
      expect(letters[0]).toMatchObject({ reason: 'wrong-partition' });
      expect(letters[0]!.message).toBe(`site S1 belongs on partition ${home} of ${PARTITIONS}, not ${partitionForKey(stranger, PARTITIONS)}: telemetry records are keyed by their site`);
    } finally {
      await dlq.stop();
      await runtime.stop();
      await bus.close();
      await store.close();
    }
  }, 30_000);
});
