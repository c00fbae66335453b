import { describe, expect, it } from 'vitest';
import { BANK_HOLIDAY_YEARS, ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays.ts';
import { firstWorkingDay, holidaysKnown, isWorkingDay, londonTime, nextReportDue } from './report-schedule.ts';

describe('first working day of the month (England and Wales)', () => {
  it.each([
    ['2026-01', '2026-01-02', "New Year's Day, a Thursday"],
    ['2026-02', '2026-02-02', 'the 1st is a Sunday'],
    ['2026-03', '2026-03-02', 'the 1st is a Sunday'],
    ['2026-08', '2026-08-03', 'the 1st is a Saturday'],
    ['2026-09', '2026-09-01', 'the summer bank holiday is the day before'],
    ['2026-12', '2026-12-01', 'an ordinary Tuesday'],
    ['2027-01', '2027-01-04', "New Year's Day a Friday, then a weekend"],
    ['2027-05', '2027-05-04', 'the 1st a Saturday and the early May bank holiday on Monday the 3rd'],
    ['2028-01', '2028-01-04', "New Year's Day a Saturday: its substitute is Monday the 3rd"],
    ['2028-05', '2028-05-02', 'the early May bank holiday on Monday the 1st'],
  ])('%s: %s (%s)', (month, expected) => {
    expect(firstWorkingDay(month)).toBe(expected);
  });

  it('every listed bank holiday is a weekday in a year the table covers', () => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.size).toBe(8 * BANK_HOLIDAY_YEARS.length);
    for (const date of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
      const day = new Date(`${date}T12:00:00Z`).getUTCDay();
      expect([0, 6], date).not.toContain(day);
      expect(isWorkingDay(date), date).toBe(false);
      expect(holidaysKnown(Number(date.slice(0, 4)))).toBe(true);
    }
    expect(holidaysKnown(2029)).toBe(false);
  });
});

describe('the next monthly send', () => {
  it.each([
    // [now, time, expected instant, pack month]
    ['2026-11-30T12:00:00Z', '07:00', '2026-12-01T07:00:00.000Z', '2026-11'],
    ['2026-12-01T06:59:00Z', '07:00', '2026-12-01T07:00:00.000Z', '2026-11'],
    ['2026-12-01T07:00:00Z', '07:00', '2027-01-04T07:00:00.000Z', '2026-12'],
    ['2026-12-15T00:00:00Z', '09:30', '2027-01-04T09:30:00.000Z', '2026-12'],
    // Summer time: 07:00 in London is 06:00 UTC.
    ['2026-05-20T00:00:00Z', '07:00', '2026-06-01T06:00:00.000Z', '2026-05'],
    ['2027-04-02T00:00:00Z', '07:00', '2027-05-04T06:00:00.000Z', '2027-04'],
    // Just after London midnight on the 1st (still the 31st in UTC): this month's send is still to come.
    ['2026-06-30T23:30:00Z', '07:00', '2026-07-01T06:00:00.000Z', '2026-06'],
  ])('after %s at %s: %s for %s', (now, time, at, month) => {
    const due = nextReportDue(Date.parse(now), time);
    expect(new Date(due.at).toISOString()).toBe(at);
    expect(due.month).toBe(month);
  });

  it('refuses a time that is not HH:MM, saying the form', () => {
    expect(() => londonTime('2026-12-01', '7am')).toThrow(/must be HH:MM/);
    expect(() => nextReportDue(0, '24:00')).toThrow(/must be HH:MM/);
  });
});
