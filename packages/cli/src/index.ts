// @wardwatch/cli — the `wardwatch` command and the embedded pipeline it starts.
export { startEmbedded, type EmbeddedOptions, type RunningPipeline } from './embedded.ts';
export { parseCommandLine, USAGE, UsageError, type ParsedArgs, type StartArgs, type KafkaArgs } from './args.ts';
export { runProcessor, processorGroup } from './commands/kafka-processor.ts';
export { runServer } from './commands/kafka-server.ts';
export { runSimulate } from './commands/kafka-simulate.ts';
export { topicLayout, topicSpecs, encodeEvents } from './wiring.ts';
