// `wardwatch server`: the API, live stream, ingest and dashboard, fed by the status topic and the
// store. Servers scale apart from processors: each reads every status.
import type { Logger } from 'pino';
import { openStore } from '@wardwatch/store';
import { KafkaTransport } from '@wardwatch/transport';
import { createApp, createMetrics, listen, StatusBoard } from '@wardwatch/server';
import { dashboardDistDir } from '@wardwatch/dashboard';
import type { KafkaArgs } from '../args.ts';
import { kafkaTransportOptions } from '../kafka-options.ts';
import { feedStatusBoard, ingestSink, topicLayout, topicSpecs } from '../wiring.ts';
import type { Running } from './running.ts';

export async function runServer(args: KafkaArgs, log: Logger, env: NodeJS.ProcessEnv): Promise<Running> {
  const transport = new KafkaTransport(kafkaTransportOptions(args, env, (level, message, extra) => log[level]({ kafka: extra }, message)));
  const topics = topicLayout(args.topicPrefix);
  await transport.ensureTopics(topicSpecs(topics, args.partitions));
  const store = await openStore(args.storeUrl);
  const board = new StatusBoard();
  const metrics = createMetrics(board);
  const feed = await feedStatusBoard(transport, topics.status, board, log);
  const producer = transport.producer();
  const app = createApp({
    board,
    store,
    metrics,
    ingest: ingestSink(producer, topics),
    clock: Date.now,
    dashboardDir: dashboardDistDir,
    health: () => ({ mode: 'kafka', role: 'server', transport: 'kafka', store: args.storeUrl.split(':')[0] }),
  });
  const server = await listen(app, { port: args.port, host: args.host });
  log.info({ url: server.url, brokers: args.brokers }, `wardwatch server is running at ${server.url}`);
  return {
    url: server.url,
    async stop() {
      await server.close();
      await feed.stop();
      await producer.close();
      await transport.close();
      await store.close();
    },
  };
}
