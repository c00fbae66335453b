// @wardwatch/transport — how events move between stages: the interface and the embedded in-process
// bus. Apache Kafka is its own entry, @wardwatch/transport/kafka (./kafka/index.ts), so that code which
// needs only the interface (the agent's senders, the processor) never loads kafkajs.
export * from './transport.ts';
export { partitionForKey, murmur2 } from './partitioner.ts';
export { InProcessBus, type InProcessBusOptions } from './in-process/bus.ts';
export { traceHeaders, traceContextOf, traceLinks } from './trace-context.ts';
