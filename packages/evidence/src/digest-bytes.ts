// What the device digests' stored formats share (digest-format-1.ts, digest-format-2.ts): the metrics
// in the order they are written, the visitor a walk reports to, bin keys in the sketches' mapping, a
// day's offset in its month, and LEB128 varints. Pure: no clock, no I/O.
import { RELATIVE_ACCURACY } from '@wardwatch/sketch';
import { londonDate } from './before-after-days.ts';

/** The device metrics a digest keeps, in the order the formats write them (append only). */
export const DIGEST_METRICS = ['app.totalMs', 'wifi.signalDbm', 'health.cpuPct', 'health.memPct', 'health.diskFreePct', 'logon.totalMs', 'health.bootMs'] as const;
export type DigestMetric = (typeof DIGEST_METRICS)[number];
/** Metrics whose value distribution the pack reads (kept as bins); the others as counts only. */
export const BINNED: ReadonlySet<DigestMetric> = new Set(['logon.totalMs', 'health.bootMs']);
/** Whether the metric at an index of DIGEST_METRICS keeps bins. */
export const DIGEST_BINNED: readonly boolean[] = DIGEST_METRICS.map((m) => BINNED.has(m));

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

/**
 * What a walk over a digest reports: a call per day, per metric and per bin, so a reader adds the
 * figures where it keeps them (the pack: straight into its tallies) without an object per device-day.
 * Metrics are given by their index in DIGEST_METRICS.
 */
export interface DigestVisitor {
  /** A day begins (its start, epoch ms); false skips its figures, which are still read past. */
  day(start: number): boolean;
  counts(metric: number, valid: number, good: number, fast: number): void;
  /**
   * A bin of a binned metric, after that metric's counts: its value as the sketches store it, and
   * (unless the value is 0, the zero bin) its key in the sketches' mapping, so that a reader summing
   * by key (the pack's tallies) need not find the key again from the value.
   */
  bin(metric: number, value: number, count: number, key: number): void;
  /** The day's active and disrupted minutes, after its metrics. */
  minutes(active: number, disrupted: number): void;
}

const LN_GAMMA = Math.log((1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY));

/** A stored bin value's key in the sketches' logarithmic mapping (0 for the zero bin). */
export function keyOf(value: number): number {
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
export function canonicalValue(value: number): number {
  const key = keyOf(value);
  let v = canonical.get(key);
  if (v === undefined) canonical.set(key, (v = value));
  return v;
}

const valueOfKey: number[] = [];
/**
 * A digest key's bin value as the sketches store it, cached by key (keys of values of 1 ms and more
 * are small non-negative integers): the logarithm and exponential behind it were a third of walking
 * 10,000 devices' digests.
 */
/** A digest key's key in the sketches' mapping (digest keys are shifted by one from 0 up; 0 is the zero bin). */
export const sketchKeyOf = (key: number): number => (key > 0 ? key - 1 : key);

export function binValueOf(key: number): number {
  if (key < 0 || key > 100_000) return canonicalValue(valueOf(key));
  return (valueOfKey[key] ??= canonicalValue(valueOf(key)));
}

/** A day's bins as keys in ascending order, each with its count. */
export function sortedBins(bins: Map<number, number> | undefined): (readonly [number, number])[] {
  return [...(bins ?? [])].map(([v, n]) => [keyOf(v), n] as const).sort((a, b) => a[0] - b[0]);
}

const dateNumbers = new Map<number, number>();
/**
 * The London date number (days since 1970-01-01) of a day's start, cached: the offsets a digest
 * writes, per device-day. Intl's time-zone lookup behind londonDate costs microseconds a call, which
 * for 10,000 devices' 31 days was most of the time a pack took to read their digests.
 */
export function dateNumberOf(dayStart: number): number {
  let n = dateNumbers.get(dayStart);
  if (n === undefined) {
    if (dateNumbers.size > 100_000) dateNumbers.clear();
    dateNumbers.set(dayStart, (n = londonDate(dayStart).day));
  }
  return n;
}

const dayStarts = new Map<number, number[]>();
/** The start of the day `offset` days into the month starting at `month`, cached per month. */
export function dayStartIn(month: number, offset: number): number {
  let days = dayStarts.get(month);
  if (!days) {
    if (dayStarts.size > 1_000) dayStarts.clear();
    dayStarts.set(month, (days = []));
  }
  return (days[offset] ??= londonDate(londonDate(month).start + offset * 86_400_000 + 12 * 3_600_000).start);
}

/** Zig-zag for any safe integer (arithmetic, not 32-bit shifts: counts may pass 2^31). */
export const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);
export const unzigzag = (z: number): number => (z % 2 === 1 ? -(z + 1) / 2 : z / 2);

export function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Reads a digest's bytes in order. */
export class DigestReader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('device digest: truncated');
    return this.bytes[this.at++]!;
  }

  varint(): number {
    const bytes = this.bytes;
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= bytes.length) throw new Error('device digest: truncated');
      const b = bytes[this.at++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }
}
