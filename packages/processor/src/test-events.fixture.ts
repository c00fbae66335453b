// Test helpers: a seeded PRNG and compact event builders. Not exported from the package entry.
import type { TelemetryEvent } from '@wardwatch/schema';

// The simulator's seeded PRNG: one implementation of it in the project.
export { mulberry32 } from '@wardwatch/simulator';

const seqs = new Map<string, number>();
export function nextSeq(device: string): number {
  const n = (seqs.get(device) ?? 0) + 1;
  seqs.set(device, n);
  return n;
}

export interface Where {
  site?: string;
  ward?: string;
  device?: string;
  ap?: string;
}

export function app(ts: number, totalMs: number, where: Where = {}, ok = true, seq?: number): TelemetryEvent {
  const device = where.device ?? 'D1';
  return {
    v: 1, id: `e-${device}-${ts}-${Math.random().toString(36).slice(2, 8)}`, seq: seq ?? nextSeq(device), ts,
    trust: 'RXX', site: where.site ?? 'S1', ward: where.ward ?? 'W1', device, ...(where.ap ? { ap: where.ap } : {}),
    kind: 'app', body: { app: 'epr', ok, totalMs, ...(ok ? {} : { error: 'timeout' as const }) },
  };
}

export function logon(ts: number, totalMs: number, where: Where = {}, ok = true): TelemetryEvent {
  const device = where.device ?? 'D1';
  return {
    v: 1, id: `l-${device}-${ts}`, seq: nextSeq(device), ts, trust: 'RXX', site: where.site ?? 'S1', ward: where.ward ?? 'W1', device,
    kind: 'logon', body: { totalMs, ok },
  };
}

export function wifi(ts: number, signalDbm: number, where: Where = {}): TelemetryEvent {
  const device = where.device ?? 'D1';
  const ap = where.ap ?? '3c:a8:2a:00:00:01';
  return {
    v: 1, id: `w-${device}-${ts}`, seq: nextSeq(device), ts, trust: 'RXX', site: where.site ?? 'S1', ward: where.ward ?? 'W1', device, ap,
    kind: 'wifi', body: { connected: true, bssid: ap, signalDbm, linkMbps: 144, channel: 36 },
  };
}

export const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
export const MIN = 60_000;
