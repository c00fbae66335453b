// @wardwatch/cli — the `wardwatch` command and the embedded pipeline it starts.
export { startEmbedded, type EmbeddedOptions, type RunningPipeline } from './embedded.ts';
export { parseCommandLine, USAGE, UsageError, type ParsedArgs, type StartArgs } from './args.ts';
