// Number formatting for the dashboard: dates and times. Durations, shares, counts, Wi-Fi signals and
// clock skews are @wardwatch/schema's figure-text (durationText, shareText, countText, signalText,
// clockSkewText), as every page and reason writes them.
import { NO_FIGURE, durationText, signalText, type Health } from '@wardwatch/schema';

/** The status horizon the live figures are over, as every page says it (the grid's summary, a site's figures). */
export const HORIZON_WORDS = 'the last 15 minutes';

/**
 * Under this many values the count is shown beside a p95: few values are few, whatever they say. The
 * status rules judge logons from three and application checks from five by default.
 */
export const FEW_VALUES = 10;

/**
 * Whether a p95 of `n` values is one slow value that decided nothing: under 20 values a p95 is their
 * slowest one (the nearest rank: ⌈0.95 n⌉ is n below 20), and the status rules let no single slow
 * value decide a status — with only one over the target, a figure says so ("4.8 s (1 slow of 15
 * checks)") beside a status that is still OK. One test for the tables, cards and uptime strip alike.
 */
export const oneSlowValue = (slow: number | undefined, n: number): boolean => slow === 1 && n < 20;

/** A p95 as a figure and, where it needs one, the note that goes beside it ("3 checks", "1 slow of 15 checks"). */
export interface P95Text {
  value: string;
  note: string | undefined;
}

const p95Text = (ms: number | null | undefined, n: number, one: string, slow: number | undefined): P95Text => {
  if (ms === null || ms === undefined) return { value: NO_FIGURE, note: undefined };
  const value = durationText(ms);
  if (n < FEW_VALUES) return { value, note: `${n} ${one}${n === 1 ? '' : 's'}` };
  if (oneSlowValue(slow, n)) return { value, note: `1 slow of ${n} ${one}s` };
  return { value, note: undefined };
};

/** A p95 and its note on one line: "4.8 s (3 checks)". */
export const p95Line = ({ value, note }: P95Text): string => (note === undefined ? value : `${value} (${note})`);

/**
 * A scope's logon p95, with the count beside it when the logons are few ("33.0 s (2 logons)"): a
 * ward's p95 of two logons over the 30 s line, shown bare, read as a finding its status did not make.
 * `slow`: how many were over the logon target (the figures' `slowLogons`).
 */
export const logonP95Text = (ms: number | null | undefined, logons: number, slow?: number): P95Text => p95Text(ms, logons, 'logon', slow);
export const logonP95 = (ms: number | null | undefined, logons: number, slow?: number): string => p95Line(logonP95Text(ms, logons, slow));

/**
 * A scope's application p95, with the count beside it when the checks are few ("4.8 s (3 checks)"):
 * a device's first few checks after a restart, over the 2 s line while the device is still OK (not
 * judged below five, nor on one slow check), or its site degraded on the site's many checks while the
 * device rows read OK. `slow`: how many were over the target (the figures' `slowAppChecks`).
 */
export const appP95Text = (ms: number | null | undefined, checks: number, slow?: number): P95Text => p95Text(ms, checks, 'check', slow);
export const appP95 = (ms: number | null | undefined, checks: number, slow?: number): string => p95Line(appP95Text(ms, checks, slow));

/** A Wi-Fi cell of a scope table: its text, and a title when the text alone would not say why. */
export interface WifiCell {
  text: string;
  title?: string;
}

/**
 * A row's Wi-Fi signal. A device with no signal and no access point has sent no Wi-Fi reading in the
 * status horizon — a wired workstation (its agent finds no wireless adapter and sends none), or one
 * not heard from on Wi-Fi for a while — which a bare "–" did not say; a device that has an access
 * point but no signal this horizon, and every other scope, keep the dash.
 */
export function wifiCell(row: { scope: string; ap?: string | undefined; figures: { wifiSignalDbm: number | null } }): WifiCell {
  if (row.figures.wifiSignalDbm !== null || row.scope !== 'device' || row.ap !== undefined) return { text: signalText(row.figures.wifiSignalDbm) };
  return { text: 'no Wi-Fi', title: 'No Wi-Fi reading from this device: a wired workstation, or no wireless reading lately' };
}

/**
 * The zone every clock time on the dashboard is told in: the UK's, where the estate and its service
 * desk are (the evidence pack's days and months are London's too). Named rather than left to the
 * runtime, so that the server's first frame (markup/first-frame.ts, written in Node in whatever zone
 * the host runs) says the same times as the app in the browser.
 */
export const CLOCK_TIME_ZONE = 'Europe/London';

// One formatter, made once: toLocaleTimeString with options builds a new one per call, which a
// thousand tiles a render cannot afford.
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: CLOCK_TIME_ZONE });

/** 24-hour, en-GB, UK time: "14:05:09". */
export const clockTime = (epochMs: number): string => CLOCK.format(epochMs);

const HOUR_MINUTE = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: CLOCK_TIME_ZONE });

/** 24-hour, en-GB, UK time, to the minute: "14:05" (chart ticks, the uptime strip's hours). */
export const hourMinute = (epochMs: number): string => HOUR_MINUTE.format(epochMs);

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: CLOCK_TIME_ZONE });
const DATE_TIME_MEDIUM = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: CLOCK_TIME_ZONE });
const DATE_MEDIUM = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: CLOCK_TIME_ZONE });

/** A date and time in UK time, whatever the browser's zone: "01/07/2026, 13:00" (alerts, SLOs). */
export const dateTime = (epochMs: number): string => DATE_TIME.format(epochMs);

/** The same with the month named: "1 Jul 2026, 13:00" (annotations, maintenance windows). */
export const dateTimeMedium = (epochMs: number): string => DATE_TIME_MEDIUM.format(epochMs);

/** A UK date with the month named: "1 Jul 2026". */
export const dateMedium = (epochMs: number): string => DATE_MEDIUM.format(epochMs);

/**
 * What a table's rows are as of, beside the figures above it on the page (`pageAsOf`): "Figures to
 * 14:05:00 (those above: to 14:05:42)", or '' when they are of the same second, or there are no rows
 * or no page time. A site's figures move with every check (its status goes out when they move), while
 * its wards', access points', applications' and devices' go out at each window's end or when their
 * status changes: the two disagree for up to a window, and the page says so rather than leave
 * 4,800 checks under wards beside the site's 5,010. Rows of different times give the span.
 */
export function figuresToText(rowsAsOf: readonly number[], pageAsOf: number): string {
  if (rowsAsOf.length === 0 || !(pageAsOf > 0)) return '';
  let first = Infinity;
  let last = -Infinity;
  for (const t of rowsAsOf) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const second = (t: number) => Math.floor(t / 1000);
  if (second(first) === second(pageAsOf) && second(last) === second(pageAsOf)) return '';
  const rows = second(first) === second(last) ? clockTime(first) : `${clockTime(first)}–${clockTime(last)}`;
  return `Figures to ${rows} (those above: to ${clockTime(pageAsOf)})`;
}

/** A clock time, or "–" before there is one (0: no figures yet). */
export const time = (epochMs: number): string => (epochMs > 0 ? clockTime(epochMs) : NO_FIGURE);

export const STATUS_LABEL: Record<Health, { icon: string; word: string }> = {
  ok: { icon: '✓', word: 'OK' },
  degraded: { icon: '▲', word: 'Degraded' },
  down: { icon: '✕', word: 'Down' },
  unknown: { icon: '?', word: 'Unknown' },
};
