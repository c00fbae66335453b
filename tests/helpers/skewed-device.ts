// One site's traffic in which one device's clock is 5 minutes ahead, then 5 minutes behind: the
// batches each device flushes, stamped by its own clock, and the skew that clock has when it sends.
// The same measurements (times and values) whatever the clocks say, so a run with the device's clock
// right is the control. Shared by the HTTP and the Kafka end-to-end tests.
import type { ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import { mulberry32 } from '@wardwatch/simulator';

export const SKEW_SITE = 'SKEW1';
export const SKEWED_DEVICE = 'SKEW1-W2-D5';
export const DEVICES = ['SKEW1-W1-D1', 'SKEW1-W1-D2', 'SKEW1-W1-D3', 'SKEW1-W2-D4', SKEWED_DEVICE];
const MIN = 60_000;
/** Measurements every 10 s for 20 minutes and 10 s; flushed every 30 s. */
const MEASUREMENTS = 122;
const FLUSH_MS = 30_000;

export interface DeviceFlush {
  device: string;
  /** How far the device's clock is ahead of the true time when it sends (its sent-at header − now). */
  skewMs: number;
  /** Stamped by the device's clock: ts = true time + skew; seq as the agent makes it (clock-tied, only grows). */
  events: TelemetryEvent[];
}

/** The device's clock when it sends at `t`: right for 8 minutes, 5 minutes ahead for 6, then 5 minutes behind. */
export function clockSkew(from: number, t: number): number {
  const minute = (t - from) / MIN;
  return minute < 8 ? 0 : minute < 14 ? 5 * MIN : -5 * MIN;
}

/** Flushes in the order the devices send them; `from` on a minute boundary, in the past. */
export function skewedDeviceTraffic(from: number, skewed: boolean): DeviceFlush[] {
  const random = mulberry32(21);
  const flushes: Array<DeviceFlush & { at: number }> = [];
  for (const [d, device] of DEVICES.entries()) {
    const skewOf = (t: number) => (skewed && device === SKEWED_DEVICE ? clockSkew(from, t) : 0);
    let seq = 0;
    let current: (DeviceFlush & { at: number }) | undefined;
    for (let i = 0; i < MEASUREMENTS; i++) {
      // Device 1 measures last in each round: its last event is the latest of all (it sets the watermark).
      const measured = from + i * 10_000 + (DEVICES.length - 1 - d) * 700;
      const flushAt = from + (Math.floor((measured - from) / FLUSH_MS) + 1) * FLUSH_MS;
      // The clock steps between batches: a batch's skew, measured when it is sent, is its events' skew.
      const stamp = measured + skewOf(flushAt);
      seq = Math.max(seq + 1, stamp * 1000);
      const totalMs = Math.round(250 + random() * 1200);
      if (!current || current.at !== flushAt) {
        current = { device, skewMs: skewOf(flushAt), events: [], at: flushAt };
        flushes.push(current);
      }
      current.events.push({
        v: 1, id: `${device}-${i}`, seq, ts: stamp, trust: 'RXX', site: SKEW_SITE, ward: d < 3 ? 'W1' : 'W2', device,
        kind: 'app', body: { app: 'epr', ok: random() > 0.01, totalMs },
      } as TelemetryEvent);
    }
  }
  flushes.sort((a, b) => a.at - b.at || DEVICES.indexOf(a.device) - DEVICES.indexOf(b.device));
  return flushes.map(({ at: _at, ...flush }) => flush);
}

/**
 * The event time the last evaluation of this traffic is as of (statuses at each window end): the
 * window end at or before the newest measurement — statuses follow the newest event time received,
 * not the watermark.
 */
export function finalAsOf(from: number): number {
  const latest = from + (MEASUREMENTS - 1) * 10_000 + (DEVICES.length - 1) * 700;
  return Math.floor(latest / MIN) * MIN;
}

/** What must not change for the others: status, reason, figures, since and as-of. */
export const judged = (s: ScopeStatus | undefined) => s && { status: s.status, reason: s.reason, figures: s.figures, since: s.since, asOf: s.asOf };
