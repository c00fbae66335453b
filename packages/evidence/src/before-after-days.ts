// Calendar days in Europe/London (23 or 25 hours when the clocks change), for grouping rollups by day.

export interface LondonDay {
  /** Days since 1970-01-01 of the London calendar date: consecutive dates differ by 1. */
  day: number;
  /** That date, YYYY-MM-DD. */
  iso: string;
  /** Its London midnight, epoch ms. */
  start: number;
}

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** London wall-clock time minus UTC at `ms` (0 in GMT, one hour in BST). */
function offsetAt(ms: number): number {
  const p = Object.fromEntries(parts.formatToParts(ms).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!);
  return wall - Math.floor(ms / 60_000) * 60_000;
}

/** The London calendar day that `ms` falls in. */
export function londonDate(ms: number): LondonDay {
  const local = ms + offsetAt(ms);
  const day = Math.floor(local / 86_400_000);
  return dayOf(day);
}

/** The London day `n` days after `d` (negative: before). */
export function addDays(d: LondonDay, n: number): LondonDay {
  return dayOf(d.day + n);
}

function dayOf(day: number): LondonDay {
  const utcMidnight = day * 86_400_000;
  // The clocks change at 01:00 UTC, never across London midnight: the offset an hour before UTC
  // midnight is the offset at London midnight.
  const start = utcMidnight - offsetAt(utcMidnight - 3_600_000);
  return { day, iso: new Date(utcMidnight).toISOString().slice(0, 10), start };
}

const dayOfHour = new Map<number, number>();
/** The start of the London day an hour starts in, cached (every scope and device shares the hours). */
export function londonDayOf(hour: number): number {
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    day = londonDate(hour).start;
    if (dayOfHour.size > 100_000) dayOfHour.clear();
    dayOfHour.set(hour, day);
  }
  return day;
}
