// How the evidence pack writes its figures: on the Evidence page, in the printed pack and in the
// pack's own sentences. Defined once so that screen and paper read the same — a p95 of 15,500 ms was
// "15.5 s" on the page and "16 s" in print, an availability of 99.6 % "99.60 %" and "100 %".
// Durations and shares are figure-text's, as everywhere else. Pure functions without zod, so the
// dashboard imports them without the validators.
import type { EvidenceTrendMonth, LogonPhaseFigure } from './evidence.ts';
import { NO_FIGURE, durationText, shareText } from './figure-text.ts';

/** How nearly a month must be covered, against the trend's best-covered month, to be full (EvidenceTrendMonth.full). */
export const FULL_MONTH_COVERAGE = 0.9;

/** A before-and-after figure in its unit: a duration or a share. */
export function evidenceFigure(value: number | null, unit: 'ms' | 'share'): string {
  return unit === 'ms' ? durationText(value) : shareText(value);
}

/** Hours: one decimal under 100, whole and grouped from 100 ("1,234"). */
export function evidenceHours(hours: number): string {
  return hours >= 100 ? Math.round(hours).toLocaleString('en-GB') : hours.toFixed(1);
}

/** Pounds, whole and grouped: "£1,234". */
export function evidencePounds(value: number): string {
  return `£${Math.round(value).toLocaleString('en-GB')}`;
}

/** A low–high money range, never one bare number: "£1,200 – £3,400". */
export function evidencePoundsRange(range: { low: number; high: number }): string {
  return `${evidencePounds(range.low)} – ${evidencePounds(range.high)}`;
}

/** Under this relative change (either way) a figure has not changed: "no change" in words, "0 %" as a figure. */
export const NO_CHANGE = 0.005;

/**
 * A relative change as a figure: signed with a true minus, its size as shareText writes it ("−9.5 %",
 * "+12 %"), "0 %" under NO_CHANGE. The pack's sentence said "9.5 % less" beside a figure of "−9 %".
 */
export function evidenceChange(relative: number | null): string {
  if (relative === null) return NO_FIGURE;
  if (Math.abs(relative) < NO_CHANGE) return '0 %';
  return `${relative < 0 ? '−' : '+'}${shareText(Math.abs(relative))}`;
}

/** The same change in words: "9.5 % less", "12 % more", "no change". */
export function evidenceChangeWords(relative: number): string {
  return Math.abs(relative) < NO_CHANGE ? 'no change' : `${shareText(Math.abs(relative))} ${relative < 0 ? 'less' : 'more'}`;
}

/** The phase taking the largest share of logon time, with that share ("Group Policy (41 %)"); "not reported" where no phases came. */
export function dominantPhaseText(phase: Pick<LogonPhaseFigure, 'label' | 'shareOfTime'> | null): string {
  return phase ? `${phase.label} (${shareText(phase.shareOfTime)})` : 'not reported';
}

/** A signed difference between two figures: a duration ("−1.2 s") or a share's percentage points ("+2.0 pts"). */
export function evidenceDifference(value: number | null, unit: 'ms' | 'share'): string {
  if (value === null) return NO_FIGURE;
  const size = Math.abs(value);
  const text = unit === 'ms' ? durationText(size) : `${(size * 100).toFixed(1)} pts`;
  // A difference that rounds to nothing has no sign: "0.0 pts", not "−0.0 pts" beside "+0.0 pts".
  if (/^0(\.0+)? /.test(text)) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/**
 * A before-and-after figure's change: the difference (what its interval is of), with the relative
 * change beside it where there is one ("−22.0 s (−58 %)"). The page showed the difference under
 * "Change", the print the relative change.
 */
export function beforeAfterChange(figure: { change: number | null; relativeChange: number | null; unit: 'ms' | 'share' }): string {
  const difference = evidenceDifference(figure.change, figure.unit);
  return figure.change === null || figure.relativeChange === null ? difference : `${difference} (${evidenceChange(figure.relativeChange)})`;
}

/** What makes a trend month a part month, as the page and the print say it. */
export function partMonthMeaning(): string {
  return `with data for under ${shareText(FULL_MONTH_COVERAGE)} as many hours as the best-covered month`;
}

/** The trend table's one row for the months before its first month with data. */
export interface MonthsBeforeData {
  from: string;
  to: string;
  months: number;
}

/**
 * The trend table's rows, as the page and the print list them: the months before the first with data
 * as one row — a store begun in September has a thirteen-month trend whose first ten months are empty,
 * ten rows of "no data" above the three that say anything — then a row a month. One month without data
 * before the first keeps its row, as does a month without data after it (a gap in the data is news).
 * The pack's JSON and CSV keep every month.
 */
export function trendTableRows<M extends Pick<EvidenceTrendMonth, 'month' | 'hoursWithData'>>(months: readonly M[]): Array<M | MonthsBeforeData> {
  let first = months.findIndex((m) => m.hoursWithData > 0);
  if (first === -1) first = months.length;
  if (first < 2) return [...months];
  return [{ from: months[0]!.month, to: months[first - 1]!.month, months: first }, ...months.slice(first)];
}

/** The Month and Hours lost cells of a MonthsBeforeData row: "2025-11 – 2026-08", "no data (10 months)". */
export function monthsBeforeDataText(row: MonthsBeforeData): { month: string; hoursLost: string } {
  return { month: `${row.from} – ${row.to}`, hoursLost: `no data (${row.months} months)` };
}
