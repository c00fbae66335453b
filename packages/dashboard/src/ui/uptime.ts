// The words of the uptime strip: each period's label and description, and the strip's summary. Pure,
// so they are table-tested.
import { countText, durationText, shareText, type Health, type UptimeHistory, type UptimePeriod } from '@wardwatch/schema';
import { CLOCK_TIME_ZONE, hourMinute, oneSlowValue, STATUS_LABEL } from './format.ts';

// Made on first use, each once (a strip of 90 bars formats 90 labels). Hours are told in UK time
// (Europe/London, as every clock time on the dashboard), whatever the browser's zone.
let formats: { hourDay: Intl.DateTimeFormat; day: Intl.DateTimeFormat } | undefined;
const format = () =>
  (formats ??= {
    hourDay: new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: CLOCK_TIME_ZONE }),
    // Days are the server's UTC days: named as such, whatever the browser's zone.
    day: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  });

const WORD: Record<Health, string> = { ok: STATUS_LABEL.ok.word, degraded: STATUS_LABEL.degraded.word, down: STATUS_LABEL.down.word, unknown: 'No figures' };

/** "Mon 30 Nov 14:00–15:00" for an hour (to "now" for the one under way); "30 Nov 2026" for a day. */
export function periodLabel(period: UptimePeriod, kind: UptimeHistory['period'], underWay: boolean): string {
  const f = format();
  if (kind === 'day') return `${f.day.format(period.start)}${underWay ? ' (so far)' : ''}`;
  return `${f.hourDay.format(period.start)} ${hourMinute(period.start)}–${underWay ? 'now' : hourMinute(period.end)}`;
}

/** What a bar says, for its tooltip and for screen readers: when, the verdict, the figures behind it. */
export function periodText(period: UptimePeriod, kind: UptimeHistory['period'], underWay: boolean): string {
  const parts = [`${periodLabel(period, kind, underWay)}: ${WORD[period.status]}`];
  if (period.appChecks > 0) parts.push(`availability ${shareText(period.availability)} of ${countText(period.appChecks)} checks, app p95 ${durationText(period.p95Ms)}${oneSlow(period.slowAppChecks, period.appChecks)}`);
  if (period.logons > 0) parts.push(`logon p95 ${durationText(period.logonP95Ms)} over ${period.logons} logons${oneSlow(period.slowLogons, period.logons)}`);
  if (period.status !== 'ok' && period.status !== 'unknown' && period.reason) parts.push(period.reason);
  if (period.maintenance?.length) parts.push(`maintenance: ${period.maintenance.join('; ')} (planned; left out of the evidence pack)`);
  return parts.join(' — ');
}

/** " (1 slow)" where a period's p95 is one slow value, over the line beside an OK (format.ts's `oneSlowValue`). */
const oneSlow = (slow: number | undefined, n: number): string => (oneSlowValue(slow, n) ? ' (1 slow)' : '');

/** "Last 24 hours: 21 OK, 2 degraded, 1 down, 0 without figures; 99.41 % of 1,440 checks succeeded." and, when any, " 2 hours with planned maintenance (marked)." */
export function uptimeSummary(history: UptimeHistory): string {
  const counts: Record<Health, number> = { ok: 0, degraded: 0, down: 0, unknown: 0 };
  let checks = 0;
  let succeeded = 0;
  let maintained = 0;
  for (const p of history.periods) {
    counts[p.status]++;
    if (p.maintenance?.length) maintained++;
    checks += p.appChecks;
    succeeded += (p.availability ?? 0) * p.appChecks;
  }
  const n = history.periods.length;
  const span = `Last ${n} ${history.period === 'hour' ? (n === 1 ? 'hour' : 'hours') : n === 1 ? 'day' : 'days'}`;
  const verdicts = `${counts.ok} OK, ${counts.degraded} degraded, ${counts.down} down, ${counts.unknown} without figures`;
  const availability = checks > 0 ? `${shareText(succeeded / checks)} of ${countText(checks)} checks succeeded` : 'no application checks';
  const unit = history.period === 'hour' ? (maintained === 1 ? 'hour' : 'hours') : maintained === 1 ? 'day' : 'days';
  const maintenance = maintained > 0 ? ` ${maintained} ${unit} with planned maintenance (marked).` : '';
  return `${span}: ${verdicts}; ${availability}.${maintenance}`;
}
