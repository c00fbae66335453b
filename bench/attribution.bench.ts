// Attribution accuracy against the simulator's oracle: seeded runs of mixed faults (1–3 at once,
// distinct sites), each simulated through the real processor and attributed; precision and recall
// of the culprits found, overall and per scenario, at 15 and 5 minutes after the faults begin.
import { mixedFaults, runOracle, score, type OracleRun, type Score } from '../tests/helpers/attribution-oracle.ts';
import type { EstateOptions } from '@wardwatch/simulator';

export interface AttributionBenchResult {
  label: string;
  runs: number;
  faults: number;
  minutes: number;
  score: Score;
  /** Scenario → [attributed correctly, injected]. */
  byScenario: Record<string, [number, number]>;
  msPerRun: number;
}

function measure(label: string, runs: number, minutes: number, estate: Partial<EstateOptions>, seedBase: number): AttributionBenchResult {
  const results: OracleRun[] = [];
  const byScenario: Record<string, [number, number]> = {};
  let faults = 0;
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const seed = seedBase + i;
    const injected = mixedFaults(seed * 7919, seed, estate);
    const run = runOracle(seed, injected, estate, minutes);
    results.push(run);
    // Truth keys are in injection order: pair each with its scenario.
    const keys = [...run.truth];
    injected.forEach((fault, index) => {
      const key = keys[index]!;
      const entry = (byScenario[fault.scenario] ??= [0, 0]);
      entry[1]++;
      const found = run.found.get(key);
      if (found && found.kind === run.truthKinds.get(key)) entry[0]++;
    });
    faults += injected.length;
  }
  return { label, runs, faults, minutes, score: score(results), byScenario, msPerRun: (performance.now() - started) / runs };
}

export function attributionBench(): AttributionBenchResult[] {
  const small = { sites: 6, wardsPerSite: 4, devicesPerWard: 10 };
  const large = { sites: 12, wardsPerSite: 8, devicesPerWard: 10 };
  return [
    measure('6 sites × 4 wards × 10 devices, 15 min after onset', 100, 15, small, 1000),
    measure('6 sites × 4 wards × 10 devices, 5 min after onset', 100, 5, small, 1000),
    measure('12 sites × 8 wards × 10 devices, 15 min after onset', 20, 15, large, 5000),
  ];
}
