// Calendar months in Europe/London: a month starts at local midnight on the 1st, so March (GMT→BST)
// has 743 hours and October (BST→GMT) 745.
import { EvidenceMonth } from '@wardwatch/schema';

const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** London's offset from UTC at an instant, ms (0 in winter, 3,600,000 in summer). */
export function londonOffsetMs(at: number): number {
  const parts: Record<string, number> = {};
  for (const p of LONDON.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(at / 1000) * 1000;
}

export interface MonthPeriod {
  month: string;
  /** [from, to) epoch ms: London midnight on the 1st to London midnight on the next 1st. */
  from: number;
  to: number;
  hours: number;
}

export class MonthError extends Error {
  override readonly name = 'MonthError';
  readonly code = 'BAD_MONTH';
}

/** The period of a "YYYY-MM" month in London time; throws MonthError naming the form expected. */
export function londonMonth(month: string): MonthPeriod {
  const parsed = EvidenceMonth.safeParse(month);
  if (!parsed.success) throw new MonthError(`month ${JSON.stringify(month)}: ${parsed.error.issues[0]!.message}`);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = localMidnight(y, m);
  const to = localMidnight(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1);
  return { month, from, to, hours: Math.round((to - from) / 3_600_000) };
}

// The clocks change at 01:00 UTC on a Sunday late in the month, never at midnight on the 1st.
function localMidnight(year: number, month: number): number {
  const utcMidnight = Date.UTC(year, month - 1, 1);
  return utcMidnight - londonOffsetMs(utcMidnight);
}

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The London month an instant falls in. */
export function monthOf(at: number): string {
  const local = new Date(at + londonOffsetMs(at));
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A month in words: "October 2026". */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}
