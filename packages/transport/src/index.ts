// @wardwatch/transport — how events move between stages: the interface, the embedded in-process bus,
// and (from the kafka module) Apache Kafka.
export * from './transport.ts';
export { partitionForKey, murmur2 } from './partitioner.ts';
export { InProcessBus, type InProcessBusOptions } from './in-process/bus.ts';
export { KafkaTransport, type KafkaTransportOptions } from './kafka/kafka-transport.ts';
export { traceHeaders, traceContextOf, traceLinks } from './trace-context.ts';
