// A processor killed with SIGKILL mid-stream and started again: it resumes from the checkpoint it
// stored with its rollups, and the totals still reconcile exactly with what was produced.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { PostgresRollupStore } from '@wardwatch/store';
import { encodeEvents, topicLayout, topicSpecs } from '@wardwatch/cli';
import { BROKERS, countedAppChecks, isolation, knownEvents, POSTGRES, withStore } from './helpers/kafka-pipeline.ts';
import { until } from './helpers/sse.ts';

const root = new URL('..', import.meta.url).pathname;
// tsx's loader by absolute URL: the child may run in another folder.
const TSX_LOADER = new URL('node_modules/tsx/dist/loader.mjs', new URL('..', import.meta.url)).href;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcessor(prefix: string, storeUrl: string, port = '0'): ChildProcess {
  // node with tsx as a loader, not the tsx wrapper: SIGKILL must hit the processor itself (a killed
  // wrapper would leave its child running).
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, join(root, 'packages/cli/src/main.ts'), 'processor', '--kafka-brokers', BROKERS.join(','), '--topic-prefix', prefix, '--partitions', '4', '--store', storeUrl, '--port', port, '--log-level', 'warn'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env } },
  );
  children.push(child);
  return child;
}

describe('processor crash', () => {
  it('SIGKILL mid-stream, restart: every event counted exactly once', async () => {
    const { prefix, storeUrl, schema } = isolation();
    const topics = topicLayout(prefix);
    const transport = new KafkaTransport({ brokers: BROKERS, log: () => {} });
    await transport.ensureTopics(topicSpecs(topics, 4));
    const producer = transport.producer();
    const from = Math.floor((Date.now() - 4 * 3_600_000) / 60_000) * 60_000;
    const { events, closing, appChecks } = knownEvents(from, 120);
    const chunks = 20;
    const size = Math.ceil(events.length / chunks);
    let sent = 0;
    const sendChunk = async () => {
      await producer.send(topics.telemetry, encodeEvents(events.slice(sent, sent + size)));
      sent += size;
    };
    try {
      await sendChunk();
      const first = startProcessor(prefix, storeUrl);
      // Wait until it has written something, keep the stream flowing, then kill it without warning.
      await until(() => withStore(storeUrl, async (s) => ((await countedAppChecks(s, from, from + 120 * 60_000)) > 0 ? true : undefined)), 60_000, 'first rollups');
      for (let i = 0; i < 6; i++) {
        await sendChunk();
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const before = await withStore(storeUrl, (s) => countedAppChecks(s, from, from + 120 * 60_000));
      expect(before).toBeLessThan(appChecks);

      while (sent < events.length) await sendChunk();
      await producer.send(topics.telemetry, encodeEvents(closing));
      startProcessor(prefix, storeUrl);
      const counted = await until(
        () => withStore(storeUrl, async (s) => {
          const n = await countedAppChecks(s, from, from + 120 * 60_000);
          return n >= appChecks ? n : undefined;
        }),
        90_000,
        `${appChecks} application checks after the restart`,
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const final = await withStore(storeUrl, (s) => countedAppChecks(s, from, from + 120 * 60_000));
      expect(counted).toBe(appChecks);
      expect(final).toBe(appChecks);
    } finally {
      await producer.close();
      await transport.close();
      const store = await PostgresRollupStore.open({ connectionString: POSTGRES, schema });
      await store.dropSchema();
      await store.close();
    }
  }, 180_000);
});
