// How each measurement of a device at an instant is drawn: application checks, Wi-Fi, gateway probes,
// device health and logons, bent by an impairment. Every figure is a hash of (seed, device, time,
// purpose), so an event depends on nothing but its key. Per event: one object for the envelope and
// one for the body, in the key order they always had; no closures (tsx names every closure it
// creates, a property definition per call) and no spreads.
import type { TelemetryEvent } from '@wardwatch/schema';
import type { DeviceTable } from './device-table.ts';
import type { AppSpec } from './estate.ts';
import { hashAbsorb, hashString, hashToUnit, hashUnit, logNormal } from './random.ts';
import type { Impairment } from './scenarios.ts';
import type { LogonChange } from './simulator.ts';

/** Slots within one millisecond keep seq strictly increasing per device (seq = ts × 16 + slot); app checks use their app's index. */
export const SLOT = { wifi: 8, net: 9, health: 10, logon: 11 } as const;
const APP_ERRORS = ['refused', 'timeout', 'http5xx'] as const;
const FIVE_DAYS_MS = 5 * 86_400_000;

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** One phase of a logon, ms: log-normal from the draws for `purpose` and the next, scaled by `scale`. */
function logonPhase(key: number, purpose: number, median: number, sigma: number, scale: number): number {
  return Math.round(logNormal(draw(key, purpose), draw(key, purpose + 1), median, sigma) * scale);
}

/** The number for one purpose from a device's hash state at an instant. */
function draw(key: number, purpose: number): number {
  return hashToUnit(hashAbsorb(key, purpose));
}

export class Measurements {
  constructor(
    private readonly devices: DeviceTable,
    private readonly trust: string,
    private readonly apps: readonly AppSpec[],
    private readonly logonChanges: readonly LogonChange[],
    private readonly seed: number,
  ) {}

  /** The hash state of a device at an instant: hashToUnit(hashAbsorb(state, purpose)) = hashUnit(seed, device, ts, purpose). */
  private keyAt(pos: number, ts: number): number {
    return hashAbsorb(this.devices.hashKey[pos]!, ts);
  }

  private event(pos: number, ts: number, slot: number, kind: TelemetryEvent['kind'], body: object): TelemetryEvent {
    const d = this.devices.specs[pos]!;
    const seq = ts * 16 + slot;
    const id = `${d.id}-${seq}`;
    return (
      d.wired
        ? { v: 1, id, seq, ts, trust: this.trust, site: d.site, ward: d.ward, device: d.id, kind, body }
        : { v: 1, id, seq, ts, trust: this.trust, site: d.site, ward: d.ward, device: d.id, ap: d.ap, kind, body }
    ) as TelemetryEvent;
  }

  app(pos: number, appIndex: number, ts: number, imp: Impairment): TelemetryEvent {
    const app = this.apps[appIndex]!;
    const key = this.keyAt(pos, ts);
    // Purpose `salt × 16 + appIndex`: draw(key, 16 + appIndex) is the first.
    const dnsMs = logNormal(draw(key, 16 + appIndex), draw(key, 32 + appIndex), 4, 0.5) + imp.dnsExtraMs * (0.8 + 0.4 * draw(key, 48 + appIndex));
    const tcpMs = logNormal(draw(key, 64 + appIndex), draw(key, 80 + appIndex), 6, 0.4) * (imp.appSlowdown > 1 ? 3 : 1);
    const tlsMs = logNormal(draw(key, 96 + appIndex), draw(key, 112 + appIndex), 22, 0.3) * (imp.appSlowdown > 1 ? 2 : 1);
    const ttfbMs = logNormal(draw(key, 128 + appIndex), draw(key, 144 + appIndex), app.baseMs * 0.8, 0.35) * this.devices.speed[pos]! * this.devices.siteSpeed[pos]! * imp.appSlowdown;
    const totalMs = dnsMs + tcpMs + tlsMs + ttfbMs + logNormal(draw(key, 160 + appIndex), draw(key, 176 + appIndex), app.baseMs * 0.1, 0.4);
    if (imp.appsDown.size > 0 && imp.appsDown.has(app.id)) {
      const error = APP_ERRORS[Math.floor(draw(key, 192 + appIndex) * 3)]!;
      const totalMsReported = error === 'timeout' ? 10_000 : error === 'refused' ? round(dnsMs + 1) : round(totalMs);
      const body =
        error === 'http5xx'
          ? { app: app.id, ok: false, error, source: 'synthetic', status: 503, dnsMs: round(dnsMs), tcpMs: round(tcpMs), tlsMs: round(tlsMs), ttfbMs: round(ttfbMs), totalMs: totalMsReported }
          : { app: app.id, ok: false, error, source: 'synthetic', totalMs: totalMsReported };
      return this.event(pos, ts, appIndex, 'app', body);
    }
    if (draw(key, 208 + appIndex) < Math.max(imp.appFailure, imp.appsFlaky.size > 0 ? (imp.appsFlaky.get(app.id) ?? 0) : 0, 0.0008)) {
      return this.event(pos, ts, appIndex, 'app', { app: app.id, ok: false, error: 'timeout', totalMs: 10_000, dnsMs: round(dnsMs), source: 'synthetic' });
    }
    return this.event(pos, ts, appIndex, 'app', {
      app: app.id, ok: true, status: 200, dnsMs: round(dnsMs), tcpMs: round(tcpMs), tlsMs: round(tlsMs), ttfbMs: round(ttfbMs), totalMs: round(totalMs), source: 'synthetic',
    });
  }

  wifi(pos: number, ts: number, imp: Impairment): TelemetryEvent {
    const key = this.keyAt(pos, ts);
    const noise = -3 + 6 * draw(key, 201);
    const signal = imp.weakSignal ? -84 + 6 * draw(key, 202) : this.devices.apSignal[pos]! + this.devices.signalOffset[pos]! + noise;
    const signalDbm = Math.round(Math.min(-30, signal));
    const linkMbps = signalDbm > -60 ? 866 : signalDbm > -67 ? 400 : signalDbm > -75 ? 144 : 24;
    const bssid = this.devices.specs[pos]!.ap;
    return this.event(pos, ts, SLOT.wifi, 'wifi', { connected: true, ssid: 'NHS-Clinical', bssid, signalDbm, linkMbps, channel: this.devices.apChannel[pos]! });
  }

  net(pos: number, ts: number, imp: Impairment): TelemetryEvent {
    const key = this.keyAt(pos, ts);
    const rttMs = Math.round((logNormal(draw(key, 301), draw(key, 302), 2, 0.4) + imp.netExtraMs * (0.7 + 0.6 * draw(key, 303))) * 10) / 10;
    const lossPct = imp.netLossPct > 0 ? Math.round(imp.netLossPct * (0.5 + draw(key, 304)) * 10) / 10 : 0;
    return this.event(pos, ts, SLOT.net, 'net', { target: 'gateway', rttMs, lossPct });
  }

  health(pos: number, ts: number, imp: Impairment): TelemetryEvent {
    const key = this.keyAt(pos, ts);
    const cpuPct = imp.starved ? 92 + 7 * draw(key, 401) : Math.min(100, logNormal(draw(key, 402), draw(key, 403), 14, 0.5));
    const memPct = imp.starved ? 90 + 8 * draw(key, 404) : 35 + 25 * draw(key, 405);
    const booted = this.devices.bootedAt[pos]!;
    const bootedAt = Math.floor(ts / FIVE_DAYS_MS) * FIVE_DAYS_MS + (booted % FIVE_DAYS_MS);
    const uptimeS = Math.max(60, Math.round((ts - (bootedAt > ts ? bootedAt - FIVE_DAYS_MS : bootedAt)) / 1000));
    const diskFreePct = Math.round(30 + 40 * draw(hashAbsorb(this.devices.hashKey[pos]!, 0), 499));
    return this.event(pos, ts, SLOT.health, 'health', { cpuPct: Math.round(cpuPct * 10) / 10, memPct: Math.round(memPct * 10) / 10, diskFreePct, uptimeS });
  }

  /** The instant of the device's logon in the minute starting at `minute`, or -1 if it has none then. */
  logonIn(pos: number, minute: number, perHour: number): number {
    const key = this.keyAt(pos, minute);
    if (draw(key, 101) >= perHour / 60) return -1;
    return minute + Math.floor(draw(key, 102) * 59_000);
  }

  logon(pos: number, ts: number, imp: Impairment): TelemetryEvent {
    const device = this.devices.specs[pos]!;
    const key = this.keyAt(pos, ts);
    let s = imp.logonSlowdown * this.devices.speed[pos]!;
    for (const c of this.logonChanges) if (c.site === device.site && ts >= c.at) s *= c.logonFactor;
    const winlogonMs = logonPhase(key, 501, 1200, 0.3, s);
    const profileMs = logonPhase(key, 503, 3400, 0.4, s);
    const groupPolicyMs = logonPhase(key, 505, 4800, 0.4, s);
    const preShellMs = logonPhase(key, 507, 1400, 0.3, s);
    const shellMs = logonPhase(key, 509, 2800, 0.35, s);
    let totalMs = winlogonMs + profileMs + groupPolicyMs + preShellMs + shellMs;
    let phases: Record<string, number>;
    if (draw(key, 511) < 0.4) {
      const appLogonMs = logonPhase(key, 512, 4000, 0.4, s);
      totalMs += appLogonMs;
      phases = { winlogonMs, profileMs, groupPolicyMs, preShellMs, shellMs, appLogonMs };
    } else {
      phases = { winlogonMs, profileMs, groupPolicyMs, preShellMs, shellMs };
    }
    const ok = draw(key, 514) > 0.01;
    return this.event(pos, ts, SLOT.logon, 'logon', { user: this.pseudonym(device.index, ts), totalMs: Math.min(totalMs, 600_000), ok, phases });
  }

  private pseudonym(device: number, ts: number): string {
    // Stands in for the agent's HMAC: ~30 staff per device over a day.
    const staff = Math.floor(hashUnit(this.seed, device, Math.floor(ts / 3_600_000), 600) * 30);
    return (hashString(`staff-${device}-${staff}`) >>> 0).toString(16).padStart(8, '0').repeat(2);
  }
}
