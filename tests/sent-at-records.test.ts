// Records an agent writes straight to the telemetry topic carry its clock in the header
// wardwatch-sent-at; the processor runtime measures it against the log's append time — here the
// in-process bus's, stamped by a fixed clock, so the skew is exact — and moves the events onto the
// receiver's clock. A header that is not a time, or a clock more than 7 days out, is dead-lettered.
import { describe, expect, it } from 'vitest';
import { TOPICS, type TelemetryEvent } from '@wardwatch/schema';
import { ProcessorRuntime } from '@wardwatch/processor';
import { openStore } from '@wardwatch/store';
import { InProcessBus } from '@wardwatch/transport';
import { until } from './helpers/sse.ts';

const MIN = 60_000;
const APPENDED = Date.UTC(2026, 10, 30, 10, 0, 0);
const topics = TOPICS;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const app = (device: string, i: number, ts: number): TelemetryEvent =>
  ({ v: 1, id: `sent-at-${device}-${i}`, seq: i + 1, ts, trust: 'RXX', site: 'S1', ward: 'W1', device, kind: 'app', body: { app: 'epr', ok: true, totalMs: 400 } }) as TelemetryEvent;

describe('records with wardwatch-sent-at', () => {
  it('are moved onto the receiver’s clock by the skew against the append time, and carry it; bad headers are dead-lettered', async () => {
    // The "broker" appends at APPENDED; the processor reads a second later.
    const bus = new InProcessBus({ clock: () => APPENDED });
    await bus.ensureTopics([{ name: topics.telemetry, partitions: 1, logAppendTime: true }, { name: topics.deadLetter, partitions: 1 }, { name: topics.status, partitions: 1 }]);
    const store = await openStore('sqlite::memory:');
    const rejected: Record<string, number> = {};
    const skews: number[] = [];
    const runtime = new ProcessorRuntime({
      transport: bus, store, topics, groupId: 'processor', clock: () => APPENDED + 1000, idleAdvanceMs: 3_600_000,
      config: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000, deviceResolutions: ['1m', '1h'] },
      observer: {
        batch: (c) => {
          Object.entries(c.rejected).forEach(([r, n]) => (rejected[r] = (rejected[r] ?? 0) + n));
          skews.push(...(c.clockSkewsMs ?? []));
        },
      },
    });
    await runtime.start();
    const letters: Array<{ reason: string; message: string }> = [];
    const dlq = bus.consumer({ groupId: 'dlq-reader', topics: [topics.deadLetter] });
    await dlq.run(async (batch) => void letters.push(...batch.records.map((r) => JSON.parse(decoder.decode(r.value)))));
    try {
      const producer = bus.producer();
      const record = (e: TelemetryEvent, sentAt: string) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)), headers: { 'wardwatch-sent-at': sentAt } });
      const from = APPENDED - 10 * MIN;
      // D1's clock is 5 minutes ahead: it stamps its events and its records by it. D2's is right.
      await producer.send(topics.telemetry, [
        ...Array.from({ length: 30 }, (_, i) => [
          record(app('D1', i, from + i * 20_000 + 5 * MIN), String(APPENDED + 5 * MIN)),
          record(app('D2', i, from + i * 20_000 + 500), String(APPENDED)),
        ]).flat(),
        record(app('D3', 0, from), 'soon'),
        record(app('D4', 0, from), String(APPENDED - 8 * 86_400_000)),
      ]);
      const statuses = await until(() => {
        const all = runtime.statuses();
        return all.some((s) => s.key === 'device:D1') && letters.length === 2 ? all : undefined;
      }, 20_000, 'statuses and two dead letters');
      const d1 = statuses.find((s) => s.key === 'device:D1')!;
      expect(d1).toMatchObject({ status: 'degraded', reason: 'clock 5 min ahead of the server', figures: { clockSkewMs: 5 * MIN } });
      // Corrected onto the true minutes: D1's checks sit in the same minutes as D2's.
      expect(d1.figures.appChecks).toBe(statuses.find((s) => s.key === 'device:D2')!.figures.appChecks);
      expect(statuses.find((s) => s.key === 'device:D2')!.figures.clockSkewMs).toBe(0);
      expect(rejected).toEqual({ schema: 2 });
      // Every good header's skew is reported for the metric: D1's 5 minutes ahead, D2's none.
      expect(skews.filter((ms) => ms === 5 * MIN)).toHaveLength(30);
      expect(skews.filter((ms) => ms === 0)).toHaveLength(30);
      expect(letters.map((l) => l.message)).toEqual([
        expect.stringMatching(/^record header wardwatch-sent-at must be the time the batch was sent, epoch milliseconds as digits; got "soon"$/),
        expect.stringMatching(/^record header wardwatch-sent-at is -8\.0 days from the receiver's clock/),
      ]);
    } finally {
      await dlq.stop();
      await runtime.stop();
      await bus.close();
      await store.close();
    }
  }, 30_000);

  it('a backlog read late: one record dated ahead moves the watermark only as far as its append time allows, so the records queued after it stay on time', async () => {
    // The log appended each record as it was made; the processor reads the whole backlog an hour
    // later. D9's clock is 10 minutes ahead (and it sends no header, so nothing corrects it).
    let appendedAt = APPENDED;
    const bus = new InProcessBus({ clock: () => appendedAt });
    await bus.ensureTopics([{ name: topics.telemetry, partitions: 1, logAppendTime: true }, { name: topics.deadLetter, partitions: 1 }, { name: topics.status, partitions: 1 }]);
    const store = await openStore('sqlite::memory:');
    const counts = { accepted: 0, late: 0, corrected: 0, tooLate: 0 };
    const runtime = new ProcessorRuntime({
      transport: bus, store, topics, groupId: 'processor', clock: () => APPENDED + 60 * MIN, idleAdvanceMs: 3_600_000,
      config: { watermarkLagMs: 5_000, allowedLatenessMs: 30_000, deviceResolutions: ['1m', '1h'] },
      observer: { batch: (c) => { counts.accepted += c.accepted; counts.late += c.late; counts.corrected += c.corrected; counts.tooLate += c.tooLate; } },
    });
    try {
      const producer = bus.producer();
      const record = (e: TelemetryEvent) => ({ key: e.site, value: encoder.encode(JSON.stringify(e)) });
      for (let i = 0; i < 30; i++) {
        const ts = APPENDED + i * 20_000;
        appendedAt = ts + 500;
        await producer.send(topics.telemetry, [record(app('D2', i, ts)), ...(i === 10 ? [record(app('D9', 0, ts + 10 * MIN))] : [])]);
      }
      await runtime.start();
      await until(() => (counts.accepted === 31 ? true : undefined), 20_000, 'the backlog read');
      // Against the processor's own clock (an hour on) D9 would have closed every window it passed.
      // The cap lets it lift the watermark to its append time + 25 s (tolerance 30 s − lag 5 s): D2's
      // next check (20 s on) is behind that, so late, but its window is still open; none is corrected.
      expect(counts).toEqual({ accepted: 31, late: 1, corrected: 0, tooLate: 0 });
    } finally {
      await runtime.stop();
      await bus.close();
      await store.close();
    }
  }, 30_000);
});
