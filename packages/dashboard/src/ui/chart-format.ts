// How charts write time and values: en-GB dates, 24-hour times in UK time (Europe/London, as every
// other time on the dashboard: format.ts), values in the unit the page's figures use. Pure, so the
// formats are table-tested.
import { CLOCK_TIME_ZONE, dateTime, hourMinute } from './format.ts';

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

/** A point's time in full, in UK time: "30/11/2026, 14:05". */
export const pointTime = (epochSeconds: number): string => dateTime(epochSeconds * 1000);

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

export const CHART_RANGES = [
  { label: '1 h', hours: 1 },
  { label: '6 h', hours: 6 },
  { label: '24 h', hours: 24 },
  { label: '7 d', hours: 7 * 24 },
  { label: '30 d', hours: 30 * 24 },
] as const;
