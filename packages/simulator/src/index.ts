// @wardwatch/simulator — a seeded synthetic NHS trust that emits realistic telemetry, with faults.
export { buildEstate, CLINICAL_APPS, type Estate, type EstateOptions, type SiteSpec, type WardSpec, type DeviceSpec, type AppSpec } from './estate.ts';
export { SCENARIOS, DEFAULT_FLAKY_FAILURE_RATE, trueCause, type ScenarioName, type Fault } from './scenarios.ts';
export { Simulator, logonRate, type SimulatorOptions, type Cadence, type LogonChange } from './simulator.ts';
export type { EventStream } from './event-stream.ts';
export { shardProblem, type EstateShard } from './shard.ts';
export { SimulationRunner, type SimulationRunnerOptions } from './runner.ts';
export { mulberry32 } from './random.ts';
