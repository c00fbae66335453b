import { describe, expect, it } from 'vitest';
import { addMonths, londonMonth, londonOffsetMs, MonthError, monthName, monthOf } from './months.ts';

describe('London calendar months', () => {
  it.each([
    ['2026-10', 745, Date.UTC(2026, 8, 30, 23), Date.UTC(2026, 9, 31, 24)],
    ['2026-03', 743, Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 31, 23)],
    ['2026-01', 744, Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1)],
    ['2026-07', 744, Date.UTC(2026, 5, 30, 23), Date.UTC(2026, 6, 31, 23)],
    ['2026-02', 672, Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1)],
    ['2024-02', 696, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)],
    ['2026-12', 744, Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)],
  ])('%s has %i hours, from London midnight to London midnight', (month, hours, from, to) => {
    expect(londonMonth(month)).toEqual({ month, from, to, hours });
  });

  it.each(['2026-13', '2026-1', 'October', '2026-10-01'])('rejects %j with the form expected', (month) => {
    expect(() => londonMonth(month)).toThrow(MonthError);
    expect(() => londonMonth(month)).toThrow(/YYYY-MM/);
  });

  it.each([
    [Date.UTC(2026, 9, 25, 0, 59), 3_600_000],
    [Date.UTC(2026, 9, 25, 1, 0), 0],
    [Date.UTC(2026, 2, 29, 0, 59), 0],
    [Date.UTC(2026, 2, 29, 1, 0), 3_600_000],
  ])('offset at %i is %i', (at, offset) => {
    expect(londonOffsetMs(at)).toBe(offset);
  });

  it('finds the month an instant falls in by London time, and steps months', () => {
    expect(monthOf(Date.UTC(2026, 8, 30, 23, 30))).toBe('2026-10'); // 00:30 BST on 1 October
    expect(monthOf(Date.UTC(2026, 11, 31, 23, 30))).toBe('2026-12');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-10', -12)).toBe('2025-10');
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(monthName('2026-10')).toBe('October 2026');
  });
});
