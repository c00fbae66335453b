// How charts write time and values: en-GB dates, 24-hour times in UK time (Europe/London, as every
// other time on the dashboard: format.ts), values in the unit the page's figures use. Pure, so the
// formats are table-tested.
import type { ScopeKind } from '@wardwatch/schema';
import { CLOCK_TIME_ZONE, dateTime, hourMinute } from './format.ts';
import { age } from './freshness.ts';

const DAY = 86_400;

// Made once: an axis formats every tick on every redraw.
const TICK_DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: CLOCK_TIME_ZONE });

/** Axis tick labels for epoch-second ticks: times within two days, then dates ("30 Nov"), in en-GB and UK time. */
export function timeTicks(ticks: readonly number[], spanSeconds: number): string[] {
  let lastDay = '';
  return ticks.map((t) => {
    const day = TICK_DAY.format(t * 1000);
    if (spanSeconds > 2 * DAY) return day;
    const time = hourMinute(t * 1000);
    // The first tick of each day carries the date, so a 24-hour chart says which day it shows.
    const label = day !== lastDay ? `${time}\n${day}` : time;
    lastDay = day;
    return label;
  });
}

const TICK_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: CLOCK_TIME_ZONE });
const TICK_YEAR = new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone: CLOCK_TIME_ZONE });
const MONTH_LONG = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: CLOCK_TIME_ZONE });

/**
 * Tick labels for a chart of one point a month (the evidence trend), one at each month: the month,
 * with its year under the first and under each January ("Nov\n2025", "Dec", "Jan\n2026").
 */
export function monthTicks(ticks: readonly number[]): string[] {
  return ticks.map((t, i) => {
    const month = TICK_MONTH.format(t * 1000);
    return i === 0 || month === 'Jan' ? `${month}\n${TICK_YEAR.format(t * 1000)}` : month;
  });
}

/** A monthly point's month in full: "November 2026". */
export const pointMonth = (epochSeconds: number): string => MONTH_LONG.format(epochSeconds * 1000);

/** A point's time in full, in UK time: "30/11/2026, 14:05". */
export const pointTime = (epochSeconds: number): string => dateTime(epochSeconds * 1000);

/** The spacing of a chart's points, s: the least step between two in a row (a gap in the data is wider); undefined under two points. */
export function pointStep(t: readonly number[]): number | undefined {
  let step: number | undefined;
  for (let i = 1; i < t.length; i++) {
    const d = t[i]! - t[i - 1]!;
    if (d > 0 && (step === undefined || d < step)) step = d;
  }
  return step;
}

/**
 * The legend's note of what its latest values are: the window the latest point covers, from its start
 * to its end — "latest 1 min: 30/11/2026, 14:05–14:06", "latest 1 h: 30/11/2026, 13:00–14:00" — so
 * that a minute's availability under a card's fifteen-minute figure says why the two differ. Without
 * a step (a chart of one point, or of values at instants) it says when ("latest at 30/11/2026, 14:05").
 */
export function latestWindowText(start: number, step: number | undefined): string {
  if (step === undefined) return `latest at ${pointTime(start)}`;
  const end = step < DAY ? hourMinute((start + step) * 1000) : pointTime(start + step);
  return `latest ${age(step * 1000)}: ${pointTime(start)}–${end}`;
}

/** A value with its unit ("1.25 s", "99.5 %"), "–" for a gap. */
export function valueText(value: number | null | undefined, unit: string, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value.toFixed(decimals)} ${unit.trim()}`.trim();
}

/** The last value that is not a gap, with its time; undefined when the series is all gaps. */
export function latest(t: readonly number[], values: readonly (number | null)[]): { t: number; value: number } | undefined {
  for (let i = Math.min(t.length, values.length) - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return { t: t[i]!, value: v };
  }
  return undefined;
}

/**
 * How a chart's value axis is scaled. `zero`: the axis starts at zero (response times, hours: a bar
 * of nothing is nothing). Otherwise it fits the values and targets (availability: 97 % against a
 * 99.5 % objective is a flat line at the top of a 0–100 axis), at least `minSpan` tall so that noise
 * is not blown up, and never past `ceiling` (100 for a share in per cent).
 */
export interface ValueAxis {
  zero: boolean;
  minSpan?: number;
  ceiling?: number;
  /** The lowest the axis goes, whatever the values: a line below it runs off the plot (an overspent budget at −1,400 %). */
  floor?: number;
}

/**
 * The value axis's [min, max] for the values' own extent (uPlot's; null when every value is a gap)
 * and the target lines, which always stay in view.
 */
export function valueRange(dataMin: number | null, dataMax: number | null, targets: readonly number[], axis: ValueAxis): [number, number] {
  const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
  // From zero: a little room above the values (a line along the plot's top edge reads as cut off),
  // more above the targets, so their labels stay clear of the top.
  const floored = (v: number) => (axis.floor === undefined ? v : Math.max(axis.floor, v));
  if (axis.zero) return [floored(Math.min(0, finite(dataMin) ? dataMin : 0)), Math.max(1e-9, finite(dataMax) ? dataMax * 1.05 : 0, ...targets.map((t) => t * 1.15))];
  const known = [dataMin, dataMax, ...targets].filter(finite);
  if (known.length === 0) return [0, axis.ceiling ?? 1];
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const span = Math.max(hi - lo, axis.minSpan ?? 0, 1e-9);
  const pad = span * 0.1;
  const top = axis.ceiling === undefined ? hi + pad : Math.min(axis.ceiling, hi + pad);
  // Widened downwards to the least span (a line near the ceiling has nowhere to go up).
  const bottom = Math.min(lo - pad, top - span - pad);
  return [floored(dataMin !== null && dataMin >= 0 ? Math.max(0, bottom) : bottom), top];
}

export const CHART_RANGES = [
  { label: '1 h', hours: 1 },
  { label: '6 h', hours: 6 },
  { label: '24 h', hours: 24 },
  { label: '7 d', hours: 7 * 24 },
  { label: '30 d', hours: 30 * 24 },
] as const;

/**
 * Why there is no chart: a chart needs two points. A device is stored by the hour, so a short range
 * holds too few of its rows (choose a longer one); on a day or more, it has not been reporting long.
 */
export function noChartText(scope: ScopeKind, hours: number, points: number): string {
  if (scope !== 'device') return 'Not enough history stored in this range to draw.';
  if (hours < 24) return 'Not enough history stored in this range to draw (devices are kept by the hour: choose 24 h or more).';
  return `Devices are kept by the hour, and a chart needs two hours: ${points === 0 ? 'none is' : 'only one is'} stored for this device in this range so far.`;
}
