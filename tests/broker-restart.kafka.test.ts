// The broker restarted while a producer runs: sends fail for a while, are retried, and nothing is
// lost. Uses a broker of its own (other ports, other data folder) so that the shared test broker and
// the tests using it are not disturbed.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TransportError, type OutgoingRecord } from '@wardwatch/transport';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { freePort } from './helpers/free-port.ts';

const root = new URL('..', import.meta.url).pathname;

describe('broker restart', () => {
  it('producers retry through a broker restart and lose nothing', async () => {
    // Ports free now, not fixed ones: another checkout's run of this test may have its own broker up.
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    // A fresh data folder each run: the broker's own state is what this test makes, nothing before it.
    const home = `${root}.kafka-restart-test`;
    rmSync(home, { recursive: true, force: true });
    const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HOME_DIR: home };
    const broker = (command: 'start' | 'stop') => execFileSync('bash', [`${root}deploy/kafka/kafka.sh`, command], { env, stdio: 'ignore', timeout: 120_000 });
    broker('start');
    const transport = new KafkaTransport({ brokers: [`127.0.0.1:${port}`], log: () => {}, retries: 2, connectionTimeoutMs: 1000 });
    const topic = `restart.${Date.now()}`;
    try {
      await transport.ensureTopics([{ name: topic, partitions: 3 }]);
      const producer = transport.producer();
      const encoder = new TextEncoder();
      const batches = 60;
      let failures = 0;
      const sendAll = (async () => {
        for (let b = 0; b < batches; b++) {
          const records: OutgoingRecord[] = Array.from({ length: 50 }, (_, i) => ({ key: `site-${i % 6}`, value: encoder.encode(`${b}:${i}`) }));
          // The caller's retry: a failed batch is sent again until the broker is back.
          for (;;) {
            try {
              await producer.send(topic, records);
              break;
            } catch (error) {
              expect(error).toBeInstanceOf(TransportError);
              failures++;
              await new Promise((resolve) => setTimeout(resolve, 500));
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      broker('stop');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      broker('start');
      await sendAll;
      await producer.close();
      expect(failures).toBeGreaterThan(0); // the restart was felt

      const seen = new Set<string>();
      const consumer = transport.consumer({ groupId: `${topic}-check`, topics: [topic] });
      await consumer.run(async (batch) => {
        for (const r of batch.records) seen.add(new TextDecoder().decode(r.value));
      });
      const deadline = Date.now() + 60_000;
      while (seen.size < batches * 50 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      await consumer.stop();
      expect(seen.size).toBe(batches * 50);
    } finally {
      await transport.close();
      broker('stop');
    }
  }, 240_000);
});
