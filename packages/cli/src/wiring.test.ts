// The server's status reader (feedStatusBoard) over the transport interface, as `wardwatch server`
// runs it on Kafka: what is not a v1 scope status is skipped, logged and counted, and what is one still
// reaches the board.
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DeadLetter, type ScopeStatus, type TelemetryEvent } from '@wardwatch/schema';
import { createMetrics, StatusBoard } from '@wardwatch/server';
import { InProcessBus } from '@wardwatch/transport';
import { encodeEvents, feedStatusBoard, ingestSink, topicLayout, topicSpecs } from './wiring.ts';

const T = Date.UTC(2026, 10, 24, 9);
const status = (id: string): ScopeStatus => ({
  key: `site:${id}`,
  scope: 'site',
  id,
  trust: 'RXX',
  site: id,
  status: 'ok',
  reason: '',
  figures: { appChecks: 12, p50Ms: 300, p95Ms: 700, p99Ms: 900, availability: 1, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
  since: T,
  asOf: T,
});
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const buses: InProcessBus[] = [];
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});

/** An in-process bus with the project's topics (closed after each test). */
async function busWithTopics(partitions: number): Promise<{ bus: InProcessBus; topics: ReturnType<typeof topicLayout> }> {
  const topics = topicLayout('test');
  const bus = new InProcessBus();
  buses.push(bus);
  await bus.ensureTopics(topicSpecs(topics, partitions));
  return { bus, topics };
}

/** Polls the board (the in-process bus delivers on its own schedule), failing after 10 s. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !ok(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('feedStatusBoard', () => {
  it('skips what is not a scope status, logging and counting it by reason, and applies the rest', async () => {
    const { bus, topics } = await busWithTopics(2);
    const board = new StatusBoard();
    const metrics = createMetrics(board, { defaultMetrics: false });
    const warnings: Array<{ msg: string; reason: string; offset: string; topic: string }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const reader = await feedStatusBoard(bus, topics.status, board, log, metrics);

    // One key, so one partition, read in this order: the last good status arrives after every bad one.
    await bus.producer().send(
      topics.status,
      [bytes(status('A')), bytes('{"key":"site:X",'), bytes({ ...status('Y'), status: 'fine' }), bytes({ ...status('Z'), figures: undefined }), bytes(status('B'))].map((value) => ({ key: 'k', value })),
    );
    await until(() => board.get('site:B') !== undefined, 'the status after the bad ones');
    await reader.stop();

    expect(board.get('site:A')?.status).toBe('ok');
    expect(board.get('site:B')?.figures.p95Ms).toBe(700);
    for (const skipped of ['site:X', 'site:Y', 'site:Z']) expect(board.get(skipped)).toBeUndefined();
    const counted = (await metrics.registry.getSingleMetric('wardwatch_status_messages_invalid_total')!.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(counted.sort()).toEqual([['malformed-json', 1], ['schema', 2]]);
    expect(warnings.map((w) => [w.offset, w.reason, w.topic])).toEqual([['1', 'malformed-json', topics.status], ['2', 'schema', topics.status], ['3', 'schema', topics.status]]);
    expect(warnings[0]!.msg).toMatch(/^skipping a status message: not valid JSON: /);
    expect(warnings[1]!.msg).toMatch(/^skipping a status message: status: /);
    expect(warnings[2]!.msg).toMatch(/^skipping a status message: figures: /);
  });
});

describe('encodeEvents', () => {
  it('gives each event its own JSON, byte for byte, keyed by its site — past ASCII too', () => {
    const event = (site: string, ward: string, app: string): TelemetryEvent => ({
      v: 1, id: `${site}-${ward}-1`, seq: 1, ts: T, trust: 'RXX', site, ward, device: `${site}-${ward}-D1`,
      kind: 'app', body: { app, ok: true, totalMs: 288.4 },
    });
    const events = [event('S1', 'W1', 'epr'), event('S2', 'Ward Ŵ 3', 'pathología'), event('S3', 'W🏥', 'pacs'), event('S1', 'W2', 'epr')];
    const records = encodeEvents(events, { 'wardwatch-sent-at': '1' });
    expect(records.map((r) => r.key)).toEqual(['S1', 'S2', 'S3', 'S1']);
    const decoder = new TextDecoder();
    for (const [i, record] of records.entries()) {
      expect(decoder.decode(record.value)).toBe(JSON.stringify(events[i]));
      expect(record.headers).toEqual({ 'wardwatch-sent-at': '1' });
    }
    // Views on one buffer of exactly their bytes, one after another.
    const buffer = records[0]!.value.buffer;
    expect(records.every((r) => r.value.buffer === buffer)).toBe(true);
    expect(buffer.byteLength).toBe(records.reduce((n, r) => n + r.value.byteLength, 0));
    expect(encodeEvents([])).toEqual([]);
  });
});

describe('ingestSink', () => {
  it('dead-letters a refused input with the route it came by as its source, and its bytes', async () => {
    const { bus, topics } = await busWithTopics(1);
    const letters: DeadLetter[] = [];
    const dlq = bus.consumer({ groupId: 'dlq-reader', topics: [topics.deadLetter] });
    await dlq.run(async (batch) => void letters.push(...batch.records.map((r) => DeadLetter.parse(JSON.parse(new TextDecoder().decode(r.value))))));
    await ingestSink(bus.producer(), topics).reject([
      { raw: '{"kind":', reason: 'malformed-json', message: 'not valid JSON', via: 'http' },
      { raw: '{"body":{"stringValue":"user logged on"}}', reason: 'malformed-json', message: 'not valid JSON', via: 'otlp' },
    ]);
    await until(() => letters.length === 2, 'two dead letters');
    await dlq.stop();
    expect(letters.map((l) => [l.topic, l.partition, l.offset, l.reason, l.original])).toEqual([
      ['http', -1, '-1', 'malformed-json', '{"kind":'],
      ['otlp', -1, '-1', 'malformed-json', '{"body":{"stringValue":"user logged on"}}'],
    ]);
  });
});
