// Named faults that can be injected into the simulated trust, and how each one bends measurements.

export type ScenarioName = 'ap-degraded' | 'site-wan-congested' | 'device-slow' | 'app-down' | 'site-dns-slow' | 'app-flaky';

export const SCENARIOS: Record<ScenarioName, { description: string; targetKind: 'ap' | 'site' | 'device' | 'app' }> = {
  'ap-degraded': { description: 'one access point on a ward: weak signal, slow and failing checks for its devices', targetKind: 'ap' },
  'site-wan-congested': { description: 'the WAN link of one site is congested: every device there is slow to every application', targetKind: 'site' },
  'device-slow': { description: 'one workstation is starved of CPU and memory: slow to everything', targetKind: 'device' },
  'app-down': { description: 'one clinical application fails from everywhere', targetKind: 'app' },
  'site-dns-slow': { description: 'DNS resolution is slow at one site', targetKind: 'site' },
  'app-flaky': {
    description: 'one clinical application fails a small share of checks from everywhere (2 % unless failureRate says otherwise): a slow leak, not an outage',
    targetKind: 'app',
  },
};

/** Share of an app-flaky target's checks that fail when the fault names no failureRate. */
export const DEFAULT_FLAKY_FAILURE_RATE = 0.02;

/**
 * The truth attribution is measured against: what an operator should be told to look at for a fault —
 * the kind of cause and the status key of the culprit ("ap:…", "site:…", "device:…", "app:…").
 */
export function trueCause(fault: Pick<Fault, 'scenario' | 'target'>): { kind: 'network' | 'device' | 'application'; culprit: string } {
  const { targetKind } = SCENARIOS[fault.scenario];
  const kind = targetKind === 'device' ? 'device' : targetKind === 'app' ? 'application' : 'network';
  return { kind, culprit: `${targetKind}:${fault.target}` };
}

export interface Fault {
  id: string;
  scenario: ScenarioName;
  target: string;
  since: number;
  until?: number;
  /** app-flaky only: probability that a check of the target fails (default 2 %). */
  failureRate?: number;
}

/** How active faults change one device's measurements at one moment. */
export interface Impairment {
  /** Multiplier on application time to first byte. */
  appSlowdown: number;
  /** Probability that an application check fails. */
  appFailure: number;
  /** Extra DNS time, ms. */
  dnsExtraMs: number;
  /** Multiplier on logon duration. */
  logonSlowdown: number;
  /** Wi-Fi signal override, dBm (weak), or undefined. */
  weakSignal: boolean;
  /** Extra gateway latency, ms, and loss. */
  netExtraMs: number;
  netLossPct: number;
  /** Device under resource pressure. */
  starved: boolean;
  /** Applications that are down. */
  appsDown: ReadonlySet<string>;
  /** Applications failing a share of their checks (app-flaky): application id → failure probability. */
  appsFlaky: ReadonlyMap<string, number>;
}

export const NO_IMPAIRMENT: Impairment = {
  appSlowdown: 1, appFailure: 0, dnsExtraMs: 0, logonSlowdown: 1, weakSignal: false, netExtraMs: 0, netLossPct: 0, starved: false, appsDown: new Set(), appsFlaky: new Map(),
};

export function impairmentFor(faults: readonly Fault[], at: number, device: { id: string; site: string; ap: string; wired: boolean }): Impairment {
  let impairment: Impairment | undefined;
  for (const fault of faults) {
    if (at < fault.since || (fault.until !== undefined && at >= fault.until)) continue;
    const i = (impairment ??= { ...NO_IMPAIRMENT, appsDown: new Set(), appsFlaky: new Map() });
    switch (fault.scenario) {
      case 'ap-degraded':
        if (device.ap === fault.target && !device.wired) {
          i.appSlowdown *= 7;
          i.appFailure = Math.max(i.appFailure, 0.06);
          i.weakSignal = true;
          i.netExtraMs += 60;
          i.netLossPct += 4;
        }
        break;
      case 'site-wan-congested':
        if (device.site === fault.target) {
          i.appSlowdown *= 6;
          i.appFailure = Math.max(i.appFailure, 0.03);
          i.logonSlowdown *= 1.8;
          i.netExtraMs += 80;
          i.netLossPct += 3;
        }
        break;
      case 'device-slow':
        if (device.id === fault.target) {
          i.appSlowdown *= 6;
          i.logonSlowdown *= 2.6;
          i.starved = true;
        }
        break;
      case 'app-down':
        (i.appsDown as Set<string>).add(fault.target);
        break;
      case 'site-dns-slow':
        if (device.site === fault.target) i.dnsExtraMs += 3000;
        break;
      case 'app-flaky': {
        const flaky = i.appsFlaky as Map<string, number>;
        flaky.set(fault.target, Math.max(flaky.get(fault.target) ?? 0, fault.failureRate ?? DEFAULT_FLAKY_FAILURE_RATE));
        break;
      }
    }
  }
  return impairment ?? NO_IMPAIRMENT;
}
