// The simulator's faults as the oracle for attribution: simulate a trust with faults, run the real
// processor over the events, attribute the resulting statuses, and compare the culprits found with the
// culprits injected. Used by tests/attribution.test.ts and the attribution benchmark.
import { attribute, culpritsOf } from '@wardwatch/attribution';
import { StreamProcessor } from '@wardwatch/processor';
import type { Cause, ScopeStatus } from '@wardwatch/schema';
import { buildEstate, mulberry32, Simulator, trueCause, type EstateOptions, type ScenarioName } from '@wardwatch/simulator';

export interface InjectedFault {
  scenario: ScenarioName;
  target?: string;
}

export interface OracleRun {
  statuses: ScopeStatus[];
  causes: Map<string, Cause>;
  /** Culprit key → cause, as found. */
  found: Map<string, Cause>;
  /** Culprit keys injected. */
  truth: Set<string>;
  /** Kind of cause expected per injected culprit. */
  truthKinds: Map<string, Cause['kind']>;
}

// 10:00 on a weekday: daytime load, clear of the shift-change peaks.
const T0 = Date.UTC(2026, 2, 3, 10, 0, 0);
const MIN = 60_000;

/** Simulates `minutes` of faulted telemetry (after a healthy warm-up) and attributes the final statuses. */
export function runOracle(seed: number, faults: readonly InjectedFault[], estate: Partial<EstateOptions> = {}, minutes = 15): OracleRun {
  const simulator = new Simulator({ estate: buildEstate({ seed, sites: 6, wardsPerSite: 4, devicesPerWard: 10, ...estate }), seed });
  const faultAt = T0 + 15 * MIN;
  const truth = new Set<string>();
  const truthKinds = new Map<string, Cause['kind']>();
  for (const f of faults) {
    const fault = simulator.injectFault(f.scenario, { at: faultAt, ...(f.target ? { target: f.target } : {}) });
    const cause = trueCause(fault);
    truth.add(cause.culprit);
    truthKinds.set(cause.culprit, cause.kind);
  }
  const processor = new StreamProcessor();
  const end = faultAt + minutes * MIN;
  for (let t = T0; t < end + 2 * MIN; t += MIN) {
    for (const event of simulator.generate(t, t + MIN)) processor.add(event);
    processor.advance();
  }
  const statuses = processor.statuses();
  const causes = attribute(statuses);
  return { statuses, causes, found: culpritsOf(causes.values()), truth, truthKinds };
}

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** A culprit found with the right scope but the wrong kind counts as a false positive and a miss. */
  precision: number;
  recall: number;
}

export function score(runs: readonly OracleRun[]): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const run of runs) {
    for (const [culprit, cause] of run.found) {
      if (run.truth.has(culprit) && run.truthKinds.get(culprit) === cause.kind) tp++;
      else fp++;
    }
    for (const culprit of run.truth) {
      const found = run.found.get(culprit);
      if (!found || found.kind !== run.truthKinds.get(culprit)) fn++;
    }
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

/** Random non-overlapping faults for a seeded mixed run: 1–3 faults, distinct sites where they are local. */
export function mixedFaults(seed: number, estateSeed: number, estateOptions: Partial<EstateOptions> = {}): InjectedFault[] {
  const estate = buildEstate({ seed: estateSeed, sites: 6, wardsPerSite: 4, devicesPerWard: 10, ...estateOptions });
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const scenarios: ScenarioName[] = ['ap-degraded', 'site-wan-congested', 'device-slow', 'app-down', 'site-dns-slow'];
  const count = 1 + Math.floor(random() * 3);
  const usedSites = new Set<string>();
  const faults: InjectedFault[] = [];
  let appDown = false;
  for (let i = 0; i < count; i++) {
    const scenario = pick(scenarios);
    if (scenario === 'app-down') {
      if (appDown) continue;
      appDown = true;
      faults.push({ scenario, target: pick(estate.apps).id });
      continue;
    }
    const free = estate.sites.filter((s) => !usedSites.has(s.id));
    if (free.length === 0) continue;
    const site = pick(free);
    usedSites.add(site.id);
    if (scenario === 'site-wan-congested' || scenario === 'site-dns-slow') faults.push({ scenario, target: site.id });
    else if (scenario === 'ap-degraded') {
      const ward = pick(site.wards);
      faults.push({ scenario, target: pick(ward.accessPoints) });
    } else {
      const wireless = site.wards.flatMap((w) => w.devices);
      faults.push({ scenario, target: pick(wireless).id });
    }
  }
  return faults;
}
