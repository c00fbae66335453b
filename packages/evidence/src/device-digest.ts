// A device's month in one small record: for each London day, exactly what the evidence pack reads of
// that device — the SLI counts of its application, Wi-Fi, health and logon rollups, the bins of its
// logon and boot times, and its active and disrupted minutes computed hour by hour as the pack does.
// Hourly device rollups are folded into these once they are two days old (device-compaction.ts):
// devices are most of a store's rows, and the pack needs none of their other figures, so a device's
// month takes about 2 kB instead of 4 MB. Pure: rows in, bytes out.
import { RELATIVE_ACCURACY, sketchBins } from '@wardwatch/sketch';
import type { RollupRecord } from '@wardwatch/store';
import { londonDate, londonDayOf } from './before-after-days.ts';
import { londonMonth, monthOf } from './months.ts';
import { deviceHour, type HourRollups } from './pack-experience.ts';

/** The device metrics a digest keeps, in the order the format writes them (append only). */
export const DIGEST_METRICS = ['app.totalMs', 'wifi.signalDbm', 'health.cpuPct', 'health.memPct', 'health.diskFreePct', 'logon.totalMs', 'health.bootMs'] as const;
export type DigestMetric = (typeof DIGEST_METRICS)[number];
/** Metrics whose value distribution the pack reads (kept as bins); the others as counts only. */
const BINNED: ReadonlySet<DigestMetric> = new Set(['logon.totalMs', 'health.bootMs']);

export interface DigestCounts {
  valid: number;
  good: number;
  fast: number;
  /** Bin value → count (binned metrics only). */
  bins?: Map<number, number>;
}

export interface DeviceDay {
  /** The London day's start, epoch ms. */
  day: number;
  metrics: Map<DigestMetric, DigestCounts>;
  /** Active and disrupted minutes, each hour's computed as the pack computes it (pack-experience.ts). */
  active: number;
  disrupted: number;
}

const FORMAT = 1;
const LN_GAMMA = Math.log((1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY));

/** A stored bin value's key in the sketches' logarithmic mapping (0 for the zero bin). */
function keyOf(value: number): number {
  if (value === 0) return 0;
  const k = Math.round(Math.log(value / (1 + RELATIVE_ACCURACY)) / LN_GAMMA) + 1;
  // Keys are shifted by one so that 0 stays the zero bin (values below 1 ms do not occur here).
  return k >= 0 ? k + 1 : k;
}

function valueOf(key: number): number {
  if (key === 0) return 0;
  const k = key > 0 ? key - 1 : key;
  return Math.exp((k - 1) * LN_GAMMA) * (1 + RELATIVE_ACCURACY);
}

/** The bin values as the sketches store them, so digest bins and sketch bins of one key coincide. */
const canonical = new Map<number, number>();
function canonicalValue(value: number): number {
  const key = keyOf(value);
  let v = canonical.get(key);
  if (v === undefined) canonical.set(key, (v = value));
  return v;
}

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

const dateNumbers = new Map<number, number>();
/**
 * The London date number (days since 1970-01-01) of a day's start, cached: the offsets a digest
 * writes, per device-day. Intl's time-zone lookup behind londonDate costs microseconds a call, which
 * for 10,000 devices' 31 days was most of the time a pack took to read their digests.
 */
function dateNumberOf(dayStart: number): number {
  let n = dateNumbers.get(dayStart);
  if (n === undefined) {
    if (dateNumbers.size > 100_000) dateNumbers.clear();
    dateNumbers.set(dayStart, (n = londonDate(dayStart).day));
  }
  return n;
}

const dayStarts = new Map<number, number[]>();
/** The start of the day `offset` days into the month starting at `month`, cached per month. */
function dayStartIn(month: number, offset: number): number {
  let days = dayStarts.get(month);
  if (!days) {
    if (dayStarts.size > 1_000) dayStarts.clear();
    dayStarts.set(month, (days = []));
  }
  return (days[offset] ??= londonDate(londonDate(month).start + offset * 86_400_000 + 12 * 3_600_000).start);
}

const endOfDay = new Map<number, number>();
/** The end of the London day starting at `day` (23, 24 or 25 hours on). */
export function dayEnd(day: number): number {
  let end = endOfDay.get(day);
  if (end === undefined) endOfDay.set(day, (end = londonDate(day + 36 * 3_600_000).start));
  return end;
}

// The bytes: a format byte, the number of days, then per day its offset in whole days from the
// month's start, a bit set of the metrics present, their counts as valid, valid − good and good − fast
// (mostly 0: a byte), bins as a first key and steps to the next, each with its count, and the minutes
// in tenths. LEB128 varints throughout, signed ones zig-zagged. About 50 bytes a device-day.

export function encodeDigest(month: number, days: Iterable<DeviceDay>): Uint8Array {
  const out: number[] = [FORMAT];
  const sorted = [...days].sort((a, b) => a.day - b.day);
  varint(out, sorted.length);
  const first = dateNumberOf(month);
  for (const d of sorted) {
    varint(out, dateNumberOf(d.day) - first);
    let present = 0;
    DIGEST_METRICS.forEach((m, i) => {
      if (d.metrics.has(m)) present |= 1 << i;
    });
    varint(out, present);
    for (const m of DIGEST_METRICS) {
      const c = d.metrics.get(m);
      if (!c) continue;
      varint(out, c.valid);
      varint(out, zigzag(c.valid - c.good));
      varint(out, zigzag(c.good - c.fast));
      if (BINNED.has(m)) {
        const bins = [...(c.bins ?? [])].map(([v, n]) => [keyOf(v), n] as const).sort((a, b) => a[0] - b[0]);
        varint(out, bins.length);
        let last = 0;
        bins.forEach(([k, n], i) => {
          varint(out, i === 0 ? zigzag(k) : k - last);
          varint(out, n);
          last = k;
        });
      }
    }
    varint(out, Math.round(d.active * 10));
    varint(out, Math.round(d.disrupted * 10));
  }
  return Uint8Array.from(out);
}

/**
 * What a walk over a digest reports: a call per day, per metric and per bin, so a reader adds the
 * figures where it keeps them (the pack: straight into its tallies) without an object per device-day.
 * Metrics are given by their index in DIGEST_METRICS.
 */
export interface DigestVisitor {
  /** A day begins (its start, epoch ms); false skips its figures, which are still read past. */
  day(start: number): boolean;
  counts(metric: number, valid: number, good: number, fast: number): void;
  /** A bin of a binned metric, after that metric's counts (its value as the sketches store it). */
  bin(metric: number, value: number, count: number): void;
  /** The day's active and disrupted minutes, after its metrics. */
  minutes(active: number, disrupted: number): void;
}

/** Whether the metric at an index of DIGEST_METRICS keeps bins. */
export const DIGEST_BINNED: readonly boolean[] = DIGEST_METRICS.map((m) => BINNED.has(m));

const valueOfKey: number[] = [];
/**
 * A digest key's bin value as the sketches store it, cached by key (keys of values of 1 ms and more
 * are small non-negative integers): the logarithm and exponential behind it were a third of walking
 * 10,000 devices' digests.
 */
function binValueOf(key: number): number {
  if (key < 0 || key > 100_000) return canonicalValue(valueOf(key));
  return (valueOfKey[key] ??= canonicalValue(valueOf(key)));
}

export function walkDigest(month: number, bytes: Uint8Array, visitor: DigestVisitor): void {
  const reader = { bytes, at: 0 };
  if (bytes[reader.at++] !== FORMAT) throw new Error(`device digest: unknown format ${bytes[0]}`);
  const n = read(reader);
  for (let i = 0; i < n; i++) {
    const offset = read(reader);
    const wanted = visitor.day(dayStartIn(month, offset));
    const present = read(reader);
    for (let m = 0; m < DIGEST_METRICS.length; m++) {
      if (!(present & (1 << m))) continue;
      const valid = read(reader);
      const good = valid - unzigzag(read(reader));
      const fast = good - unzigzag(read(reader));
      if (wanted) visitor.counts(m, valid, good, fast);
      if (!DIGEST_BINNED[m]) continue;
      const bins = read(reader);
      let key = 0;
      for (let b = 0; b < bins; b++) {
        key = b === 0 ? unzigzag(read(reader)) : key + read(reader);
        const count = read(reader);
        if (wanted) visitor.bin(m, binValueOf(key), count);
      }
    }
    const active = read(reader) / 10;
    const disrupted = read(reader) / 10;
    if (wanted) visitor.minutes(active, disrupted);
  }
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

const zigzag = (n: number) => (n < 0 ? -2 * n - 1 : 2 * n);
const unzigzag = (z: number) => (z % 2 === 1 ? -(z + 1) / 2 : z / 2);

function varint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function read(r: { bytes: Uint8Array; at: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (r.at >= r.bytes.length) throw new Error('device digest: truncated');
    const b = r.bytes[r.at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 0x80;
  }
}
