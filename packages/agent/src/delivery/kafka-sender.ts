// Sends batches straight to Kafka through @wardwatch/transport: one record per event on the telemetry
// topic, keyed by site (the processor partitions by site), value = the event as JSON — the same bytes
// the ingest gateway would produce. Nothing is validated here: invalid events reach the processor,
// which dead-letters them like the gateway's rejects. Each record carries the header
// `wardwatch-sent-at` (the device's clock at the produce) so that the processor can measure how far
// this clock is out, as the gateway does with Wardwatch-Sent-At.
import { SENT_AT_RECORD_HEADER, type TelemetryEvent } from '@wardwatch/schema';
import { TransportError, type Producer } from '@wardwatch/transport';
import type { SendOutcome, Sender } from './outcome.ts';

export interface KafkaSenderOptions {
  /** A producer from a Transport (e.g. KafkaTransport). The sender does not own it unless closeProducer is set. */
  producer: Producer;
  /** Full topic name, e.g. topicName('telemetry', prefix) from @wardwatch/schema. */
  topic: string;
  /** Close the producer in close() (default false: whoever made the transport closes it). */
  closeProducer?: boolean;
  /** The device's clock, for the wardwatch-sent-at header (default Date.now). */
  clock?: () => number;
}

const encoder = new TextEncoder();

export class KafkaSender implements Sender {
  readonly destination: string;

  constructor(private readonly options: KafkaSenderOptions) {
    this.destination = `kafka topic ${options.topic}`;
  }

  /**
   * The signal cannot abandon a produce already handed to the client; the forwarder stops waiting for
   * it and does not acknowledge (the batch may then arrive twice, with the same ids and seqs).
   */
  async send(events: readonly TelemetryEvent[], signal?: AbortSignal): Promise<SendOutcome> {
    if (signal?.aborted) return { kind: 'retryable', error: 'abandoned before sending' };
    const headers = { [SENT_AT_RECORD_HEADER]: String(Math.round((this.options.clock ?? Date.now)())) };
    try {
      await this.options.producer.send(
        this.options.topic,
        events.map((event) => ({ key: event.site, value: encoder.encode(JSON.stringify(event)), headers })),
      );
      return { kind: 'delivered', accepted: events.length, rejections: [] };
    } catch (error) {
      return produceFailure(this.options.topic, error);
    }
  }

  async close(): Promise<void> {
    if (this.options.closeProducer) await this.options.producer.close();
  }
}

/**
 * What a failed produce means for the batch, from the TransportError's kind (which the Kafka transport
 * reads from kafkajs' error types and retriable flags): too large (split it), refused credentials or
 * ACLs and misconfiguration (fatal: keep it, say so), or anything else (retry).
 */
export function produceFailure(topic: string, error: unknown): SendOutcome {
  const message = `produce to ${topic} failed: ${(error as Error).message}`;
  if (!(error instanceof TransportError)) return { kind: 'retryable', error: message };
  if (error.kind === 'too-large') return { kind: 'too-large', error: message };
  if (error.kind === 'unauthorized') return { kind: 'fatal', reason: 'auth', error: message };
  if (!error.retriable) return { kind: 'fatal', reason: 'config', error: message };
  return { kind: 'retryable', error: message };
}
