// @wardwatch/transport/kafka — the transport over Apache Kafka (kafkajs), an entry of its own so that
// only what talks to a cluster carries the Kafka client.
export { KafkaTransport, type KafkaTransportOptions } from './kafka-transport.ts';
export { classifyKafkaError, transportErrorOf, type KafkaFailure } from './kafka-errors.ts';
