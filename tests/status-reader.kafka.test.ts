// The server's status reader on a real Kafka broker (feedStatusBoard, as `wardwatch server` runs it):
// a record on the status topic that is not a v1 scope status is skipped, logged with its reason and
// counted; the reader keeps reading, and the good statuses before and after it reach the board. A
// live edge on the same topic moves the time of the sites that name its partition.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import { liveEdgeOf, type ScopeStatus } from '@wardwatch/schema';
import { createMetrics, StatusBoard } from '@wardwatch/server';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { feedStatusBoard, topicLayout, topicSpecs } from '@wardwatch/cli';
import { BROKERS } from './helpers/kafka-pipeline.ts';
import { until } from './helpers/sse.ts';

const T = Date.UTC(2026, 10, 24, 9);
const status = (id: string, health: ScopeStatus['status']): ScopeStatus => ({
  key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: health, reason: health === 'ok' ? '' : 'p95 2.1 s against 1.5 s',
  figures: { appChecks: 12, p50Ms: 300, p95Ms: 2100, p99Ms: 2900, availability: 1, logons: 0, logonP95Ms: null, wifiSignalDbm: null },
  since: T, asOf: T,
});
const encoder = new TextEncoder();
const record = (value: unknown) => ({ key: 'k', value: encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)) });

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!().catch(() => {});
});

/** A status reader on a fresh topic layout with a board and metrics, and a producer; stopped after the test. */
async function startReader(log: Logger) {
  const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
  const topics = topicLayout(`test-status-${randomUUID().slice(0, 8)}`);
  await transport.ensureTopics(topicSpecs(topics, 2));
  const board = new StatusBoard();
  const metrics = createMetrics(board, { defaultMetrics: false });
  const reader = await feedStatusBoard(transport, topics.status, board, log, metrics);
  const producer = transport.producer();
  stops.push(async () => {
    await reader.stop();
    await producer.close();
    await transport.close();
  });
  return { topics, board, metrics, producer };
}

describe('the status reader on Kafka', () => {
  it('skips a bad status message, says why and counts it, and goes on applying good ones', async () => {
    const warnings: Array<{ msg: string; reason: string; offset: string }> = [];
    const { topics, board, metrics, producer } = await startReader(pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) }));

    await producer.send(topics.status, [record(status('A', 'ok')), record('not json'), record({ ...status('Y', 'ok'), scope: 'floor' })]);
    // A later message for A after the bad ones: the reader is still reading.
    await producer.send(topics.status, [record(status('A', 'degraded'))]);
    await until(() => board.get('site:A')?.status === 'degraded' || undefined, 30_000, 'the status after the bad ones');

    expect(board.get('site:Y')).toBeUndefined();
    const counted = (await metrics.registry.getSingleMetric('wardwatch_status_messages_invalid_total')!.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(counted.sort()).toEqual([['malformed-json', 1], ['schema', 1]]);
    expect(warnings.map((w) => [w.offset, w.reason])).toEqual([['1', 'malformed-json'], ['2', 'schema']]);
    expect(warnings[1]!.msg).toMatch(/^skipping a status message: scope: /);
  });

  it('reads live edges beside the statuses: a site is as of its partition’s edge', async () => {
    const { topics, board, metrics, producer } = await startReader(pino({ level: 'silent' }));
    const edge = liveEdgeOf([1], T + 5_000);
    await producer.send(topics.status, [
      { key: 'site:A', value: encoder.encode(JSON.stringify({ ...status('A', 'ok'), partition: 1 })) },
      { key: 'site:B', value: encoder.encode(JSON.stringify({ ...status('B', 'ok'), partition: 0 })) },
      { key: edge.key, value: encoder.encode(JSON.stringify(edge)) },
    ]);
    await until(() => (board.siteSummary('A')?.asOf === T + 5_000 && board.siteSummary('B')) || undefined, 30_000, 'site A as of its partition’s edge');
    expect(board.siteSummary('B')!.asOf).toBe(T);
    expect((await metrics.registry.getSingleMetric('wardwatch_status_messages_invalid_total')!.get()).values.every((v) => v.value === 0)).toBe(true);
  });
});
