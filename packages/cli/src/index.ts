// @wardwatch/cli — the `wardwatch` command and the embedded pipeline it starts.
export { startEmbedded, type EmbeddedOptions, type RunningPipeline } from './embedded.ts';
export { PROCESSOR_YOUNG_GENERATION_MB } from './processor-thread.ts';
export { defaultStatusIntervalMs, parseCommandLine, PROCESSOR_STATUS_INTERVAL_MS, USAGE, UsageError, type ParsedArgs, type StartArgs, type KafkaArgs } from './args.ts';
export { runProcessor, processorGroup } from './commands/kafka-processor.ts';
export { runServer } from './commands/kafka-server.ts';
export { runSimulate } from './commands/kafka-simulate.ts';
export { topicLayout, topicSpecs, encodeEvents, feedStatusBoard } from './wiring.ts';
export { startMonthlyReports, type MonthlyReports, type MonthlyReportsOptions } from './monthly-reports.ts';
export { DemoHistory, demoStory, DEFAULT_HISTORY_SCOPE_KINDS, DEFAULT_HISTORY_METRICS, type DemoHistoryOptions } from './demo-history.ts';
export { startDemoHistory, type DemoHistoryRun } from './demo-history-writer.ts';
