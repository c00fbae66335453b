// Generates the telemetry of a simulated trust for any span of event time: application checks, Wi-Fi,
// gateway probes, device health and logons, bent by whatever faults are active. Deterministic: the
// same seed, faults and span give the same events, however the span is split. Events come out in
// time order from per-check timetables merged as they are read (timetable.ts, event-stream.ts), so a
// span costs its events, not the estate, and a minute of two million devices need not be held.
import type { TelemetryEvent } from '@wardwatch/schema';
import { DeviceTable } from './device-table.ts';
import type { DeviceSpec, Estate } from './estate.ts';
import { CHECK, EventStream, type EventSource } from './event-stream.ts';
import { ImpairmentTimeline } from './impairment-timeline.ts';
import { Measurements, SLOT } from './measurements.ts';
import { hashUnit } from './random.ts';
import { SCENARIOS, type Fault, type ScenarioName } from './scenarios.ts';
import { sitesOfShard, type EstateShard } from './shard.ts';
import { Schedule } from './timetable.ts';

export interface Cadence {
  app: number;
  wifi: number;
  net: number;
  health: number;
}

/** A change that made logons at a site faster (or slower) from a time on: the demo's SSO roll-out. */
export interface LogonChange {
  /** Site id ("RXX03"). */
  site: string;
  /** From this instant on (epoch ms). */
  at: number;
  /** Logon durations are multiplied by this: 0.4 is 60 % faster. */
  logonFactor: number;
}

export interface SimulatorOptions {
  estate: Estate;
  seed: number;
  cadenceMs?: Partial<Cadence>;
  logonChanges?: readonly LogonChange[];
  /**
   * Generate only this shard's sites (shard.ts): N simulators of one estate and seed, one per shard,
   * together give the events of one simulator, each site's from one of them. Faults and their default
   * targets are those of the whole estate.
   */
  shard?: EstateShard;
}

const DEFAULT_CADENCE: Cadence = { app: 60_000, wifi: 60_000, net: 60_000, health: 300_000 };
/** A check of one kind is shifted from the device's phase by its salt × this. */
const SHIFT_MS = 7919;
const SALT = { wifi: 1, net: 2, health: 3, app: 10 } as const;

export class Simulator {
  readonly estate: Estate;
  private readonly seed: number;
  private readonly cadence: Cadence;
  private readonly source: EventSource;
  private readonly faultList: Fault[] = [];
  private faultCount = 0;

  constructor(options: SimulatorOptions) {
    this.estate = options.estate;
    this.seed = options.seed >>> 0;
    this.cadence = { ...DEFAULT_CADENCE, ...options.cadenceMs };
    for (const [kind, ms] of Object.entries(this.cadence)) {
      if (!(Number.isInteger(ms) && ms > 0)) throw new Error(`cadenceMs.${kind} must be a whole number of milliseconds above 0; got ${ms}`);
    }
    const sites = options.shard ? sitesOfShard(options.estate.sites, options.shard) : options.estate.sites;
    const devices = new DeviceTable({ ...options.estate, sites }, this.seed);
    const { phase } = devices;
    const all = Schedule.byPhase(phase);
    const wireless = Schedule.only(all, (pos) => !devices.specs[pos]!.wired);
    const { app, wifi, net, health } = this.cadence;
    this.source = {
      devices,
      measurements: new Measurements(devices, options.estate.trust.id, options.estate.apps, options.logonChanges ?? [], this.seed),
      schedules: [
        ...options.estate.apps.map((_, i) => ({ check: i, schedule: Schedule.of(app, (SALT.app + i) * SHIFT_MS, i, all, phase) })),
        { check: CHECK.wifi, schedule: Schedule.of(wifi, SALT.wifi * SHIFT_MS, SLOT.wifi, wireless, phase) },
        { check: CHECK.net, schedule: Schedule.of(net, SALT.net * SHIFT_MS, SLOT.net, all, phase) },
        { check: CHECK.health, schedule: Schedule.of(health, SALT.health * SHIFT_MS, SLOT.health, all, phase) },
      ],
      logonRate,
    };
  }

  get faults(): Fault[] {
    return this.faultList.map((f) => ({ ...f }));
  }

  /**
   * Starts a fault at `at` (until `until`, or until cleared). `failureRate` (app-flaky only) is the
   * probability that a check of the target application fails, from 0 to 1 (default 2 %).
   */
  injectFault(scenario: ScenarioName, options: { target?: string; at: number; until?: number; failureRate?: number }): Fault {
    const spec = SCENARIOS[scenario];
    if (!spec) throw new Error(`unknown scenario "${scenario}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    const target = options.target ?? this.defaultTarget(spec.targetKind);
    this.checkTarget(spec.targetKind, target);
    const { failureRate } = options;
    if (failureRate !== undefined) {
      if (scenario !== 'app-flaky') throw new Error(`failureRate applies only to app-flaky; ${scenario} has a fixed effect`);
      if (!(failureRate >= 0 && failureRate <= 1)) throw new Error(`failureRate must be a probability from 0 to 1; got ${failureRate}`);
    }
    const fault: Fault = {
      id: `fault-${++this.faultCount}`,
      scenario,
      target,
      since: options.at,
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(failureRate !== undefined ? { failureRate } : {}),
    };
    this.faultList.push(fault);
    return { ...fault };
  }

  clearFault(id: string, at: number): void {
    const fault = this.faultList.find((f) => f.id === id);
    if (!fault) throw new Error(`no fault with id "${id}"`);
    fault.until = at;
  }

  /** Every event with event time in [from, to), ordered by event time (then seq, then estate order). */
  generate(from: number, to: number): TelemetryEvent[] {
    const events: TelemetryEvent[] = [];
    this.generateEach(from, to, (event) => void events.push(event));
    return events;
  }

  /**
   * The events of generate(from, to), one at a time and in the same order, without holding them (a
   * minute of two million devices is 13 million events). Faults injected or cleared meanwhile take
   * effect from the next call.
   */
  generateEach(from: number, to: number, visit: (event: TelemetryEvent) => void): void {
    const stream = this.stream(from, to);
    for (let event = stream.nextEvent(); event; event = stream.nextEvent()) visit(event);
  }

  /**
   * The events of generate(from, to) as a stream to read at one's own pace (`take(n)`, or iterate):
   * they are drawn as they are read. The faults are those of the moment it is made.
   */
  stream(from: number, to: number): EventStream {
    return new EventStream(this.source, new ImpairmentTimeline(this.faultList), from, to);
  }

  // ---- targets ----

  private defaultTarget(kind: 'ap' | 'site' | 'device' | 'app'): string {
    const sites = this.estate.sites;
    const pick = <T>(list: T[], salt: number) => list[Math.floor(hashUnit(this.seed, salt, 0, 777) * list.length)]!;
    switch (kind) {
      case 'site':
        return pick(sites, 1).id;
      case 'ap': {
        const ward = pick(pick(sites, 2).wards, 3);
        return ward.accessPoints[0]!;
      }
      case 'device': {
        const devices = this.estateDevices();
        const wireless = devices.filter((d) => !d.wired);
        return pick(wireless.length > 0 ? wireless : devices, 4).id;
      }
      case 'app':
        return this.estate.apps.find((a) => a.id === 'pacs')?.id ?? this.estate.apps[0]!.id;
    }
  }

  private checkTarget(kind: 'ap' | 'site' | 'device' | 'app', target: string): void {
    const known =
      kind === 'site' ? this.estate.sites.some((s) => s.id === target)
      : kind === 'app' ? this.estate.apps.some((a) => a.id === target)
      : kind === 'device' ? this.estateDevices().some((d) => d.id === target)
      : this.estate.sites.some((s) => s.wards.some((w) => w.devices.length > 0 && w.accessPoints.includes(target)));
    if (!known) throw new Error(`no ${kind} "${target}" in the simulated estate`);
  }

  /** Every device of the estate in estate order, this simulator's shard or not: targets are the estate's. */
  private estateDevices(): DeviceSpec[] {
    return this.estate.sites.flatMap((s) => s.wards.flatMap((w) => w.devices));
  }
}

/** Logons per device per hour by time of day: shift changes at 07:30 and 19:30, a night lull. */
export function logonRate(ts: number): number {
  const minuteOfDay = Math.floor((ts % 86_400_000) / 60_000);
  const near = (centre: number) => Math.abs(minuteOfDay - centre) <= 30;
  if (near(7 * 60 + 30) || near(19 * 60 + 30)) return 6;
  if (minuteOfDay >= 23 * 60 || minuteOfDay < 6 * 60) return 0.3;
  return 1.6;
}
