// `wardwatch simulate --kafka`: a simulated trust's telemetry onto the telemetry topic, keyed by site.
import type { Logger } from 'pino';
import { KafkaTransport } from '@wardwatch/transport/kafka';
import { buildEstate, Simulator, SimulationRunner, type ScenarioName } from '@wardwatch/simulator';
import type { TelemetryEvent } from '@wardwatch/schema';
import type { KafkaArgs } from '../args.ts';
import { kafkaTransportOptions } from '../kafka-options.ts';
import { produceTelemetry, topicLayout, topicSpecs } from '../wiring.ts';
import type { Running } from './running.ts';

export async function runSimulate(args: KafkaArgs, log: Logger, env: NodeJS.ProcessEnv): Promise<Running> {
  const transport = new KafkaTransport(kafkaTransportOptions(args, env, (level, message, extra) => log[level]({ kafka: extra }, message)));
  const topics = topicLayout(args.topicPrefix);
  await transport.ensureTopics(topicSpecs(topics, args.partitions));
  const producer = transport.producer();
  // A shard sends its sites only; the estate, the seed and the faults' targets stay the whole trust's.
  const simulator = new Simulator({ estate: buildEstate({ seed: args.seed, sites: args.sites }), seed: args.seed, ...(args.shard ? { shard: args.shard } : {}) });
  const startAt = args.from ?? Date.now();
  if (args.scenario) {
    const fault = simulator.injectFault(args.scenario as ScenarioName, { at: startAt });
    log.info({ scenario: fault.scenario, target: fault.target }, 'fault injected');
  }
  const end = args.minutes === undefined ? Infinity : startAt + args.minutes * 60_000;
  let sent = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const sink = async (events: TelemetryEvent[]) => {
    const inSpan = end === Infinity ? events : events.filter((e) => e.ts < end);
    // Retried by the runner on failure (the producer itself retries with backoff first).
    await produceTelemetry(producer, topics.telemetry, inSpan, 'simulator');
    sent += inSpan.length;
  };
  const runner = new SimulationRunner({
    simulator,
    speed: args.speed,
    startAt,
    ...(end !== Infinity ? { until: end } : {}),
    sink,
    onError: (error) => log.warn({ err: error }, 'sending to Kafka failed; the same span is retried'),
  });
  runner.start();
  const watch = setInterval(() => {
    if (runner.generatedUntil >= end) {
      clearInterval(watch);
      finish();
    }
  }, 100);
  log.info({ brokers: args.brokers, topic: topics.telemetry, speed: args.speed, ...(args.shard ? { shard: `${args.shard.index}/${args.shard.count}` } : {}) }, 'simulating');
  return {
    done,
    async stop() {
      clearInterval(watch);
      await runner.stop();
      await producer.close();
      await transport.close();
      log.info({ events: sent, until: new Date(Math.min(runner.generatedUntil, end)).toISOString() }, 'simulation stopped');
    },
  };
}
