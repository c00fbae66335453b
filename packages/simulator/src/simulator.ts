// Generates the telemetry of a simulated trust for any span of event time: application checks, Wi-Fi,
// gateway probes, device health and logons, bent by whatever faults are active. Deterministic: the
// same seed, faults and span give the same events, however the span is split.
import type { TelemetryEvent } from '@wardwatch/schema';
import type { AppSpec, DeviceSpec, Estate } from './estate.ts';
import { hashString, hashUnit, logNormal } from './random.ts';
import { impairmentFor, SCENARIOS, type Fault, type Impairment, type ScenarioName } from './scenarios.ts';

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
}

const DEFAULT_CADENCE: Cadence = { app: 60_000, wifi: 60_000, net: 60_000, health: 300_000 };
/** Slots within one millisecond keep seq strictly increasing per device (seq = ts × 16 + slot). */
const SLOT = { wifi: 8, net: 9, health: 10, logon: 11 } as const;
const CHANNELS = [1, 6, 11, 36, 40, 44, 48, 149];

interface DeviceModel extends DeviceSpec {
  trust: string;
  /** Per-device phase so checks spread over the cadence. */
  phase: number;
  speed: number;
  siteSpeed: number;
  signalOffset: number;
  bootedAt: number;
}

export class Simulator {
  readonly estate: Estate;
  private readonly seed: number;
  private readonly cadence: Cadence;
  private readonly devices: DeviceModel[];
  private readonly apBase = new Map<string, { signal: number; channel: number }>();
  private readonly faultList: Fault[] = [];
  private faultCount = 0;
  private readonly logonChanges: readonly LogonChange[];

  constructor(options: SimulatorOptions) {
    this.estate = options.estate;
    this.seed = options.seed >>> 0;
    this.cadence = { ...DEFAULT_CADENCE, ...options.cadenceMs };
    this.logonChanges = options.logonChanges ?? [];
    const siteSpeed = new Map(options.estate.sites.map((s) => [s.id, 0.9 + 0.3 * hashUnit(this.seed, hashString(s.id), 1)]));
    this.devices = options.estate.sites.flatMap((site) =>
      site.wards.flatMap((ward) =>
        ward.devices.map((d) => {
          for (const ap of ward.accessPoints) {
            if (!this.apBase.has(ap)) {
              const h = hashString(ap);
              this.apBase.set(ap, { signal: -50 - 12 * hashUnit(this.seed, h, 2), channel: CHANNELS[Math.floor(hashUnit(this.seed, h, 3) * CHANNELS.length)]! });
            }
          }
          const h = hashString(d.id);
          return {
            ...d,
            trust: options.estate.trust.id,
            phase: Math.floor(hashUnit(this.seed, h, 4) * 60_000),
            speed: 0.9 + 0.2 * hashUnit(this.seed, h, 5),
            siteSpeed: siteSpeed.get(d.site)!,
            signalOffset: -6 + 12 * hashUnit(this.seed, h, 6),
            bootedAt: Math.floor(hashUnit(this.seed, h, 7) * 5 * 86_400_000),
          };
        }),
      ),
    );
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

  /** Every event with event time in [from, to), ordered by event time. */
  generate(from: number, to: number): TelemetryEvent[] {
    if (to - from <= 60_000) return this.generateChunk(from, to);
    // Sorting is the cost that grows with the span: sort minute by minute instead.
    const events: TelemetryEvent[] = [];
    for (let start = from; start < to; start += 60_000) {
      for (const event of this.generateChunk(start, Math.min(start + 60_000, to))) events.push(event);
    }
    return events;
  }

  private generateChunk(from: number, to: number): TelemetryEvent[] {
    const events: TelemetryEvent[] = [];
    for (const device of this.devices) {
      this.appChecks(device, from, to, events);
      if (!device.wired) this.every(device, this.cadence.wifi, 1, from, to, (ts) => events.push(this.wifi(device, ts)));
      this.every(device, this.cadence.net, 2, from, to, (ts) => events.push(this.net(device, ts)));
      this.every(device, this.cadence.health, 3, from, to, (ts) => events.push(this.health(device, ts)));
      this.logons(device, from, to, events);
    }
    events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    return events;
  }

  // ---- schedules ----

  private every(device: DeviceModel, cadence: number, salt: number, from: number, to: number, emit: (ts: number) => void): void {
    const offset = (device.phase + salt * 7919) % cadence;
    let ts = Math.ceil((from - offset) / cadence) * cadence + offset;
    for (; ts < to; ts += cadence) emit(ts);
  }

  private appChecks(device: DeviceModel, from: number, to: number, out: TelemetryEvent[]): void {
    this.estate.apps.forEach((app, i) => {
      this.every(device, this.cadence.app, 10 + i, from, to, (ts) => out.push(this.appCheck(device, app, i, ts)));
    });
  }

  /** Logons: a Poisson process per device whose rate follows the clinical day (UTC ≈ UK time). */
  private logons(device: DeviceModel, from: number, to: number, out: TelemetryEvent[]): void {
    const minute = 60_000;
    for (let slot = Math.ceil(from / minute) * minute; slot < to; slot += minute) {
      const perHour = logonRate(slot);
      if (hashUnit(this.seed, device.index, slot, 101) >= perHour / 60) continue;
      const ts = slot + Math.floor(hashUnit(this.seed, device.index, slot, 102) * 59_000);
      if (ts >= from && ts < to) out.push(this.logon(device, ts));
    }
  }

  // ---- measurements ----

  private envelope(device: DeviceModel, ts: number, slot: number) {
    const seq = ts * 16 + slot;
    return {
      v: 1 as const,
      id: `${device.id}-${seq}`,
      seq,
      ts,
      trust: device.trust,
      site: device.site,
      ward: device.ward,
      device: device.id,
      ...(device.wired ? {} : { ap: device.ap }),
    };
  }

  private impairment(device: DeviceModel, ts: number): Impairment {
    return impairmentFor(this.faultList, ts, device);
  }

  private appCheck(device: DeviceModel, app: AppSpec, appIndex: number, ts: number): TelemetryEvent {
    const u = (salt: number) => hashUnit(this.seed, device.index, ts, salt * 16 + appIndex);
    const imp = this.impairment(device, ts);
    const envelope = this.envelope(device, ts, appIndex);
    const dnsMs = logNormal(u(1), u(2), 4, 0.5) + imp.dnsExtraMs * (0.8 + 0.4 * u(3));
    const tcpMs = logNormal(u(4), u(5), 6, 0.4) * (imp.appSlowdown > 1 ? 3 : 1);
    const tlsMs = logNormal(u(6), u(7), 22, 0.3) * (imp.appSlowdown > 1 ? 2 : 1);
    const ttfbMs = logNormal(u(8), u(9), app.baseMs * 0.8, 0.35) * device.speed * device.siteSpeed * imp.appSlowdown;
    const totalMs = dnsMs + tcpMs + tlsMs + ttfbMs + logNormal(u(10), u(11), app.baseMs * 0.1, 0.4);
    const round = (n: number) => Math.round(n * 10) / 10;
    if (imp.appsDown.has(app.id)) {
      const kind = Math.floor(u(12) * 3);
      const error = (['refused', 'timeout', 'http5xx'] as const)[kind]!;
      return {
        ...envelope,
        kind: 'app',
        body: {
          app: app.id, ok: false, error, source: 'synthetic',
          ...(error === 'http5xx' ? { status: 503, dnsMs: round(dnsMs), tcpMs: round(tcpMs), tlsMs: round(tlsMs), ttfbMs: round(ttfbMs) } : {}),
          totalMs: error === 'timeout' ? 10_000 : error === 'refused' ? round(dnsMs + 1) : round(totalMs),
        },
      };
    }
    if (u(13) < Math.max(imp.appFailure, imp.appsFlaky.get(app.id) ?? 0, 0.0008)) {
      return { ...envelope, kind: 'app', body: { app: app.id, ok: false, error: 'timeout', totalMs: 10_000, dnsMs: round(dnsMs), source: 'synthetic' } };
    }
    return {
      ...envelope,
      kind: 'app',
      body: { app: app.id, ok: true, status: 200, dnsMs: round(dnsMs), tcpMs: round(tcpMs), tlsMs: round(tlsMs), ttfbMs: round(ttfbMs), totalMs: round(totalMs), source: 'synthetic' },
    };
  }

  private wifi(device: DeviceModel, ts: number): TelemetryEvent {
    const imp = this.impairment(device, ts);
    const base = this.apBase.get(device.ap)!;
    const noise = -3 + 6 * hashUnit(this.seed, device.index, ts, 201);
    const signal = imp.weakSignal ? -84 + 6 * hashUnit(this.seed, device.index, ts, 202) : base.signal + device.signalOffset + noise;
    const signalDbm = Math.round(Math.min(-30, signal));
    const linkMbps = signalDbm > -60 ? 866 : signalDbm > -67 ? 400 : signalDbm > -75 ? 144 : 24;
    return {
      ...this.envelope(device, ts, SLOT.wifi),
      kind: 'wifi',
      body: { connected: true, ssid: 'NHS-Clinical', bssid: device.ap, signalDbm, linkMbps, channel: base.channel },
    };
  }

  private net(device: DeviceModel, ts: number): TelemetryEvent {
    const imp = this.impairment(device, ts);
    const u = (salt: number) => hashUnit(this.seed, device.index, ts, 300 + salt);
    const rttMs = Math.round((logNormal(u(1), u(2), 2, 0.4) + imp.netExtraMs * (0.7 + 0.6 * u(3))) * 10) / 10;
    const lossPct = imp.netLossPct > 0 ? Math.round(imp.netLossPct * (0.5 + u(4)) * 10) / 10 : 0;
    return { ...this.envelope(device, ts, SLOT.net), kind: 'net', body: { target: 'gateway', rttMs, lossPct } };
  }

  private health(device: DeviceModel, ts: number): TelemetryEvent {
    const imp = this.impairment(device, ts);
    const u = (salt: number) => hashUnit(this.seed, device.index, ts, 400 + salt);
    const cpuPct = imp.starved ? 92 + 7 * u(1) : Math.min(100, logNormal(u(2), u(3), 14, 0.5));
    const memPct = imp.starved ? 90 + 8 * u(4) : 35 + 25 * u(5);
    const bootedAt = Math.floor(ts / (5 * 86_400_000)) * 5 * 86_400_000 + (device.bootedAt % (5 * 86_400_000));
    const uptimeS = Math.max(60, Math.round((ts - (bootedAt > ts ? bootedAt - 5 * 86_400_000 : bootedAt)) / 1000));
    return {
      ...this.envelope(device, ts, SLOT.health),
      kind: 'health',
      body: { cpuPct: Math.round(cpuPct * 10) / 10, memPct: Math.round(memPct * 10) / 10, diskFreePct: Math.round(30 + 40 * hashUnit(this.seed, device.index, 0, 499)), uptimeS },
    };
  }

  private logon(device: DeviceModel, ts: number): TelemetryEvent {
    const imp = this.impairment(device, ts);
    const u = (salt: number) => hashUnit(this.seed, device.index, ts, 500 + salt);
    let s = imp.logonSlowdown * (imp.starved ? 1 : 1) * device.speed;
    for (const c of this.logonChanges) if (c.site === device.site && ts >= c.at) s *= c.logonFactor;
    const phase = (median: number, sigma: number, a: number) => Math.round(logNormal(u(a), u(a + 1), median, sigma) * s);
    const phases = {
      winlogonMs: phase(1200, 0.3, 1),
      profileMs: phase(3400, 0.4, 3),
      groupPolicyMs: phase(4800, 0.4, 5),
      preShellMs: phase(1400, 0.3, 7),
      shellMs: phase(2800, 0.35, 9),
      ...(u(11) < 0.4 ? { appLogonMs: phase(4000, 0.4, 12) } : {}),
    };
    const totalMs = Object.values(phases).reduce((sum, v) => sum + v, 0);
    const ok = u(14) > 0.01;
    return {
      ...this.envelope(device, ts, SLOT.logon),
      kind: 'logon',
      body: { user: pseudonym(this.seed, device.index, ts), totalMs: Math.min(totalMs, 600_000), ok, phases },
    };
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
        const wireless = this.devices.filter((d) => !d.wired);
        return pick(wireless.length > 0 ? wireless : this.devices, 4).id;
      }
      case 'app':
        return this.estate.apps.find((a) => a.id === 'pacs')?.id ?? this.estate.apps[0]!.id;
    }
  }

  private checkTarget(kind: 'ap' | 'site' | 'device' | 'app', target: string): void {
    const known =
      kind === 'site' ? this.estate.sites.some((s) => s.id === target)
      : kind === 'app' ? this.estate.apps.some((a) => a.id === target)
      : kind === 'device' ? this.devices.some((d) => d.id === target)
      : this.apBase.has(target);
    if (!known) throw new Error(`no ${kind} "${target}" in the simulated estate`);
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

function pseudonym(seed: number, device: number, ts: number): string {
  // Stands in for the agent's HMAC: ~30 staff per device over a day.
  const staff = Math.floor(hashUnit(seed, device, Math.floor(ts / 3_600_000), 600) * 30);
  return (hashString(`staff-${device}-${staff}`) >>> 0).toString(16).padStart(8, '0').repeat(2);
}
