// @wardwatch/processor — the stream processor: a pure core (event-time windows, watermark, DDSketch
// quantiles, SLI counts, status rules) and, in runtime/, its edge to the transport and the store.
// The sketch helpers are @wardwatch/sketch's, the rollup and status contracts @wardwatch/schema's.
export { StreamProcessor, type AddOutcome, type AdvanceOptions, type ProcessorCounters, type ProcessorOutput } from './stream-processor.ts';
export { figuresOf } from './scope-figures.ts';
export { DEFAULT_PROCESSOR_CONFIG, DEFAULT_THRESHOLDS, resolveConfig, type ProcessorConfig, type StatusThresholds } from './config.ts';
export { DEFAULT_FIGURE_TOLERANCE, type FigureTolerance } from './status-publishing.ts';
export { judge, type Verdict } from '@wardwatch/status-rules';
export { windowStart, Watermark } from './window.ts';
export type { SnapshotDraft, SnapshotPart } from './snapshot-parts.ts';
export { ReplayWindow } from './replay-window.ts';
export { METRICS, type Metric } from './cell.ts';
export { ProcessorRuntime, type ProcessorRuntimeOptions, type RuntimeObserver, type RuntimeTopics } from './runtime/processor-runtime.ts';
