// When the monthly evidence pack is emailed: on the first working day of each month (not a weekend,
// not an England and Wales bank holiday), at a set London time, for the month before. Pure: the
// caller passes the time in.
import { BANK_HOLIDAY_YEARS, ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays.ts';
import { addMonths, londonOffsetMs, monthOf } from './months.ts';

/** A London calendar date, "2026-12-01". */
export type IsoDate = string;

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
  readonly code = 'BAD_SCHEDULE';
}

/** Whether the bank-holiday table covers a year (outside it only weekends are skipped). */
export function holidaysKnown(year: number): boolean {
  return (BANK_HOLIDAY_YEARS as readonly number[]).includes(year);
}

export function isWorkingDay(date: IsoDate): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !ENGLAND_AND_WALES_BANK_HOLIDAYS.has(date);
}

/** The first working day of a "YYYY-MM" month. */
export function firstWorkingDay(month: string): IsoDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  for (let d = 1; d <= 10; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    if (isWorkingDay(date)) return date;
  }
  throw new ScheduleError(`no working day in the first ten days of ${y}-${m}`);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The instant of "HH:MM" London time on a London date. */
export function londonTime(date: IsoDate, time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new ScheduleError(`time ${JSON.stringify(time)}: must be HH:MM (24-hour, London time), e.g. 07:00`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, Number(match[1]), Number(match[2]));
  const guess = wall - londonOffsetMs(wall);
  return wall - londonOffsetMs(guess);
}

export interface ReportDue {
  /** When to send, epoch ms. */
  at: number;
  /** The London date it is sent on (a first working day). */
  date: IsoDate;
  /** The month the pack covers: the one before. */
  month: string;
}

/**
 * The next monthly send strictly after `after`: this month's first working day at `time` when that
 * is still to come, else next month's. A send missed while nothing ran is not made up later.
 */
export function nextReportDue(after: number, time = '07:00'): ReportDue {
  let month = monthOf(after);
  for (let i = 0; i < 2; i++, month = addMonths(month, 1)) {
    const date = firstWorkingDay(month);
    const at = londonTime(date, time);
    if (at > after) return { at, date, month: addMonths(month, -1) };
  }
  throw new ScheduleError('unreachable: next month always has a first working day');
}
