// Test helpers: valid telemetry events with a given seq and event time.
import type { TelemetryEvent } from '@wardwatch/schema';

export function netEvent(seq: number, ts: number, device = 'ws-0001'): TelemetryEvent {
  return {
    v: 1,
    id: `${device}-${String(seq).padStart(8, '0')}`,
    seq,
    ts,
    trust: 'RX1',
    site: 'site-a',
    ward: 'ward-7',
    device,
    kind: 'net',
    body: { target: 'gateway', rttMs: 2 + (seq % 7), lossPct: 0 },
  };
}
