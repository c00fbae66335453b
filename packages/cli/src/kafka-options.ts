// Kafka connection settings from flags and environment, with TLS and SASL/SCRAM for real clusters.
import type { KafkaTransportOptions } from '@wardwatch/transport/kafka';
import { UsageError } from './usage-error.ts';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
}

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** TLS and SASL come from the environment only, so that secrets stay out of process listings. */
export function kafkaTransportOptions(settings: KafkaSettings, env: NodeJS.ProcessEnv, log: KafkaTransportOptions['log']): KafkaTransportOptions {
  const options: KafkaTransportOptions = { brokers: settings.brokers, clientId: settings.clientId, log, logLevel: env.KAFKAJS_LOG_LEVEL as KafkaTransportOptions['logLevel'] };
  if (env.KAFKA_SSL === 'true' || env.KAFKA_SSL === '1') options.ssl = true;
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new UsageError(`KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')}; got "${env.KAFKA_SASL_MECHANISM}"`);
    }
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
      throw new UsageError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    }
    options.sasl = { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } as KafkaTransportOptions['sasl'];
  }
  return options;
}

export function parseBrokers(raw: string): string[] {
  const brokers = raw.split(',').map((b) => b.trim()).filter(Boolean);
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(broker)) throw new UsageError(`--kafka-brokers: "${broker}" is not host:port`);
  }
  if (brokers.length === 0) throw new UsageError('--kafka-brokers (or KAFKA_BROKERS) must name at least one host:port');
  return brokers;
}
