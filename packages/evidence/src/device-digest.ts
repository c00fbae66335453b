// A device's month in one small record: for each London day, exactly what the evidence pack reads of
// that device — the SLI counts of its application, Wi-Fi, health and logon rollups, the bins of its
// logon and boot times, and its active and disrupted minutes computed hour by hour as the pack does.
// Hourly device rollups are folded into these once they are two days old (device-compaction.ts):
// devices are most of a store's rows, and the pack needs none of their other figures, so a device's
// month takes about 1.2 kB instead of 4 MB. Pure: rows in, bytes out. The stored formats side by side:
// digest-format-1.ts (still read), digest-format-2.ts (written).
import { sketchBins } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { londonDate, londonDayOf } from './before-after-days.ts';
import { BINNED, DIGEST_METRICS, canonicalValue, type DeviceDay, type DigestCounts, type DigestMetric, type DigestVisitor } from './digest-bytes.ts';
import { FORMAT_1, walkFormat1 } from './digest-format-1.ts';
import { encodeFormat2, FORMAT_2, walkFormat2 } from './digest-format-2.ts';
import { londonMonth, monthOf } from './months.ts';
import { deviceHour, type HourRollups } from './pack-experience.ts';

export { DIGEST_METRICS, DIGEST_BINNED, type DeviceDay, type DigestCounts, type DigestMetric, type DigestVisitor } from './digest-bytes.ts';

/**
 * Adds one device's hourly rollups (any hours, any of its metrics) into `days` (by day start). Each
 * hour's active and disrupted minutes are computed from that hour's rows, as the pack does.
 */
export function addHours(days: Map<number, DeviceDay>, rows: readonly RollupRecord[]): void {
  const hours = new Map<number, HourRollups>();
  for (const r of rows) {
    if (!(DIGEST_METRICS as readonly string[]).includes(r.metric)) continue;
    let h = hours.get(r.start);
    if (!h) hours.set(r.start, (h = {}));
    (h as Record<string, RollupRecord>)[r.metric] = r;
  }
  for (const [hour, h] of hours) {
    const start = londonDayOf(hour);
    let day = days.get(start);
    if (!day) days.set(start, (day = { day: start, metrics: new Map(), active: 0, disrupted: 0 }));
    const { active, disrupted } = deviceHour(h);
    day.active += active;
    day.disrupted += disrupted;
    for (const metric of DIGEST_METRICS) {
      const r = (h as Partial<Record<string, RollupRecord>>)[metric];
      if (!r) continue;
      const c = counts(day, metric);
      c.valid += r.valid;
      c.good += r.good;
      c.fast += r.fast;
      if (c.bins && r.sketch.length > 0) {
        const { values, counts: n } = sketchBins(r.sketch);
        for (let i = 0; i < values.length; i++) addBin(c.bins, canonicalValue(values[i]!), n[i]!);
      }
    }
  }
}

function counts(day: DeviceDay, metric: DigestMetric): DigestCounts {
  let c = day.metrics.get(metric);
  if (!c) day.metrics.set(metric, (c = { valid: 0, good: 0, fast: 0, ...(BINNED.has(metric) ? { bins: new Map<number, number>() } : {}) }));
  return c;
}

function addBin(bins: Map<number, number>, value: number, n: number): void {
  bins.set(value, (bins.get(value) ?? 0) + n);
}

/** Adds the days of `from` into `into` (counts and bins add; minutes add). */
export function mergeDays(into: Map<number, DeviceDay>, from: Iterable<DeviceDay>): void {
  for (const d of from) {
    let day = into.get(d.day);
    if (!day) into.set(d.day, (day = { day: d.day, metrics: new Map(), active: 0, disrupted: 0 }));
    day.active += d.active;
    day.disrupted += d.disrupted;
    for (const [metric, c] of d.metrics) {
      const to = counts(day, metric);
      to.valid += c.valid;
      to.good += c.good;
      to.fast += c.fast;
      if (to.bins && c.bins) for (const [v, n] of c.bins) addBin(to.bins, canonicalValue(v), n);
    }
  }
}

const monthOfDay = new Map<number, number>();
/** The London month start (epoch ms) a day belongs to: digests are stored a device-month a row. */
export function monthStartOf(day: number): number {
  let month = monthOfDay.get(day);
  if (month === undefined) monthOfDay.set(day, (month = londonMonth(monthOf(day)).from));
  return month;
}

const endOfDay = new Map<number, number>();
/** The end of the London day starting at `day` (23, 24 or 25 hours on). */
export function dayEnd(day: number): number {
  let end = endOfDay.get(day);
  if (end === undefined) endOfDay.set(day, (end = londonDate(day + 36 * 3_600_000).start));
  return end;
}

/** A device-month's days as stored: the current format (2). */
export function encodeDigest(month: number, days: Iterable<DeviceDay>): Uint8Array {
  return encodeFormat2(month, days);
}

/** Walks a digest of either format, reporting each day, metric and bin to `visitor` in order. */
export function walkDigest(month: number, bytes: Uint8Array, visitor: DigestVisitor): void {
  if (bytes[0] === FORMAT_2) walkFormat2(month, bytes, visitor);
  else if (bytes[0] === FORMAT_1) walkFormat1(month, bytes, visitor);
  else throw new Error(`device digest: unknown format ${bytes[0]}`);
}

/** A digest's days as objects (compaction merges them; the pack walks the bytes instead). */
export function decodeDigest(month: number, bytes: Uint8Array): DeviceDay[] {
  const days: DeviceDay[] = [];
  let day: DeviceDay;
  walkDigest(month, bytes, {
    day(start) {
      days.push((day = { day: start, metrics: new Map(), active: 0, disrupted: 0 }));
      return true;
    },
    counts(m, valid, good, fast) {
      const metric = DIGEST_METRICS[m]!;
      day.metrics.set(metric, { valid, good, fast, ...(BINNED.has(metric) ? { bins: new Map<number, number>() } : {}) });
    },
    bin(m, value, count) {
      addBin(day.metrics.get(DIGEST_METRICS[m]!)!.bins!, value, count);
    },
    minutes(active, disrupted) {
      day.active = active;
      day.disrupted = disrupted;
    },
  });
  return days;
}
