// Delivery of spooled measurements: the forwarder loop and its senders (HTTP ingest, Kafka).
export type { Rejection, SendOutcome, Sender } from './outcome.ts';
export { HttpSender, parseRetryAfter, type HttpSenderOptions } from './http-sender.ts';
export { KafkaSender, type KafkaSenderOptions } from './kafka-sender.ts';
export {
  Forwarder,
  type ForwarderOptions,
  type ForwarderStats,
  type FlushResult,
  type Logger,
  type LogLevel,
} from './forwarder.ts';
