// `wardwatch processor`: one member of the processors' consumer group. Partitions (and so sites) are
// spread over the members; each partition's state and offset are checkpointed in the store.
import type { Logger } from 'pino';
import { ProcessorRuntime, type ProcessorConfig } from '@wardwatch/processor';
import { DEFAULT_RETENTION_MS, openStore, storeUrlForDisplay } from '@wardwatch/store';
import { DEVICE_HOURS_KEPT_MS, foldDeviceHours, foldSiteDays } from '@wardwatch/evidence';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { createMetrics, createMetricsApp, listen, StatusBoard } from '@wardwatch/server';
import type { KafkaArgs } from '../args.ts';
import { kafkaTransportOptions } from '../kafka-options.ts';
import { metricsObserver, topicLayout, topicSpecs } from '../wiring.ts';
import type { Running } from './running.ts';

/** The processors' consumer group: one per topic prefix, so deployments sharing a cluster stay apart. */
export const processorGroup = (topicPrefix: string) => `${topicPrefix}-processor`;

export async function runProcessor(args: KafkaArgs, log: Logger, env: NodeJS.ProcessEnv, config?: Partial<ProcessorConfig> & { idleAdvanceMs?: number; checkpointIntervalMs?: number }): Promise<Running> {
  const transport = new KafkaTransport(kafkaTransportOptions(args, env, (level, message, extra) => log[level]({ kafka: extra }, message)));
  const topics = topicLayout(args.topicPrefix);
  await transport.ensureTopics(topicSpecs(topics, args.partitions));
  const store = await openStore(args.storeUrl);
  const metrics = createMetrics(new StatusBoard());
  const { idleAdvanceMs, checkpointIntervalMs, ...processorConfig } = config ?? {};
  const runtime = new ProcessorRuntime({
    transport,
    store,
    topics,
    groupId: processorGroup(args.topicPrefix),
    clock: Date.now,
    config: processorConfig,
    observer: metricsObserver(metrics, log, 'kafka'),
    resumeFromCheckpoint: true,
    idleAdvanceMs,
    checkpointIntervalMs,
    // ensureTopics above has made sure the topic has exactly this many partitions.
    telemetryPartitions: args.partitions,
  });
  await runtime.start();
  // Hourly, as the embedded pipeline does: devices' rollups older than two days folded into their
  // month digests, the other scopes' ended days into day rows, then what is past its retention pruned.
  // Every processor does it; the store lets one fold at a time, so a device row is folded once (a day
  // folded twice is built twice from the same hourly rows: the same rows).
  const housekeeping = async () => {
    await foldDeviceHours(store, Date.now() - DEVICE_HOURS_KEPT_MS).catch((error) => log.warn({ err: error }, 'folding device rollups into digests failed; tried again in an hour'));
    await foldSiteDays(store, Date.now()).catch((error) => log.warn({ err: error }, 'folding site rollups into day rows failed; tried again in an hour'));
    await store.prune(Date.now(), DEFAULT_RETENTION_MS).catch((error) => log.warn({ err: error }, 'pruning old rollups failed; tried again in an hour'));
  };
  void housekeeping();
  const housekeepingTimer = setInterval(() => void housekeeping(), 3_600_000);
  housekeepingTimer.unref();
  const app = createMetricsApp(metrics, () => ({ role: 'processor' }));
  const server = await listen(app, { port: args.port, host: args.host });
  log.info({ metrics: `${server.url}/metrics`, brokers: args.brokers, store: storeUrlForDisplay(args.storeUrl) }, 'processor is consuming');
  return {
    url: server.url,
    async stop() {
      clearInterval(housekeepingTimer);
      await server.close();
      await runtime.stop(); // checkpoints every held partition
      await transport.close();
      await store.close();
    },
  };
}
