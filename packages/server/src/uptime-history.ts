// A site's uptime history, as Uptime Kuma draws it: the last N hours or days, each judged from the
// stored rollups by the processor's own status rules (judge), so a bar says what the grid would have
// said over that period. Hours come from hourly rollups; an hour not yet rolled up (the one under
// way, or the one before it while its rollup settles) from its 1-minute rollups. Days merge hours —
// and a day older than the hourly rows' retention (62 days; the strip goes back 90) is judged from the
// day tier's row for the London day it mostly covers, which the period names (`day`).
import type { AnnotationStore, DayRollupRecord, RollupRecord, RollupStore } from '@wardwatch/store';
import { dayEnd, londonDayOf } from '@wardwatch/evidence';
import { mergeRollups } from '@wardwatch/sketch';
import { DEFAULT_THRESHOLDS, judge, slowOf, type StatusThresholds } from '@wardwatch/status-rules';
import type { UptimeHistory, UptimePeriod } from '@wardwatch/schema';
import { hourlyKeptFrom, isDayRollupStore } from './hourly-kept.ts';
import { isMaintenanceAt } from './maintenance-now.ts';

const HOUR = 3_600_000;
const PERIOD_MS = { hour: HOUR, day: 24 * HOUR } as const;
export type UptimePeriodKind = keyof typeof PERIOD_MS;
export const UPTIME_LIMITS = { hour: 168, day: 90 } as const;
const METRICS = ['app.totalMs', 'logon.totalMs'] as const;
/** Hours this recent may lack their hourly rollup and are read from 1-minute ones. */
const MINUTE_FALLBACK_MS = 2 * HOUR;

export interface UptimeQuery {
  period: UptimePeriodKind;
  count: number;
  /** The server's clock: the last period is the one under way at this time. */
  now: number;
  thresholds?: StatusThresholds;
}

/** A recorded maintenance window, as the periods it overlaps name it. */
export interface MaintenanceWindow {
  from: number;
  to: number;
  title: string;
}

/** The periods' [start, end), oldest first; UTC hours and days. */
export function uptimePeriods({ period, count, now }: Pick<UptimeQuery, 'period' | 'count' | 'now'>): Array<[number, number]> {
  const ms = PERIOD_MS[period];
  const current = Math.floor(now / ms) * ms;
  return Array.from({ length: count }, (_, i) => {
    const start = current - (count - 1 - i) * ms;
    return [start, Math.min(start + ms, now)] as [number, number];
  });
}

/**
 * Judges each period from the rollups given (hourly and 1-minute, of both metrics): per hour the
 * hourly rollup when there is one, else its minutes. A period starting before `hourlyFrom` (where the
 * hourly rows' retention leaves whole days) is judged from the day rows given for the London day its
 * middle falls in, when there are any. A period a maintenance window overlaps names it. Pure: the
 * table tests feed it rows.
 */
export function judgePeriods(rows: readonly RollupRecord[], query: UptimeQuery, days: readonly DayRollupRecord[] = [], hourlyFrom = -Infinity, maintenance: readonly MaintenanceWindow[] = []): UptimePeriod[] {
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  // Per metric and hour: the hourly row, or else the minute rows.
  const hourly = new Map<string, RollupRecord>();
  const minutes = new Map<string, RollupRecord[]>();
  for (const row of rows) {
    const hour = Math.floor(row.start / HOUR) * HOUR;
    const key = `${row.metric}|${hour}`;
    if (row.resolution === '1h') hourly.set(key, row);
    else if (row.resolution === '1m') minutes.set(key, [...(minutes.get(key) ?? []), row]);
  }
  const dayRows = new Map<string, RollupRecord>();
  for (const d of days) dayRows.set(`${d.metric}|${d.day}`, { scope: d.scope, metric: d.metric, resolution: '1h', start: d.day, count: d.count, valid: d.valid, good: d.good, fast: d.fast, sketch: d.sketch });
  return uptimePeriods(query).map(([periodStart, periodEnd]) => {
    // Past the hourly rows: the London day (23–25 hours) this UTC day mostly is, judged as a whole.
    const londonDay = periodStart < hourlyFrom ? londonDayOf(periodStart + (periodEnd - periodStart) / 2) : undefined;
    const fromDay = londonDay !== undefined && METRICS.some((metric) => dayRows.has(`${metric}|${londonDay}`));
    const start = fromDay ? londonDay! : periodStart;
    const end = fromDay ? dayEnd(londonDay!) : periodEnd;
    const merged = METRICS.map((metric) => {
      if (fromDay) {
        const row = dayRows.get(`${metric}|${londonDay}`);
        return mergeRollups(row ? [row] : []);
      }
      const picked: RollupRecord[] = [];
      for (let hour = Math.floor(start / HOUR) * HOUR; hour < end; hour += HOUR) {
        const key = `${metric}|${hour}`;
        const row = hourly.get(key);
        if (row) picked.push(row);
        else picked.push(...(minutes.get(key) ?? []));
      }
      return mergeRollups(picked);
    });
    const [app, logon] = merged as [ReturnType<typeof mergeRollups>, ReturnType<typeof mergeRollups>];
    const figures = {
      appChecks: app.valid,
      p50Ms: app.valid > 0 ? app.quantile(0.5) : null,
      p95Ms: app.valid > 0 ? app.quantile(0.95) : null,
      p99Ms: app.valid > 0 ? app.quantile(0.99) : null,
      availability: app.valid > 0 ? app.good / app.valid : null,
      slowAppChecks: slowOf(app),
      logons: logon.valid,
      logonP95Ms: logon.valid > 0 ? logon.quantile(0.95) : null,
      slowLogons: slowOf(logon),
      wifiSignalDbm: null,
    };
    const minutesLong = Math.round((end - start) / 60_000);
    const verdict = app.valid + logon.valid === 0 ? { status: 'unknown' as const, reason: 'no figures' } : judge('site', figures, thresholds, minutesLong);
    // The rules name their horizon ("last 60 min"); here the period says it.
    const horizon = `last ${minutesLong} min`;
    const reason = verdict.reason.replaceAll(`, ${horizon}`, '').replaceAll(`${horizon}, `, '');
    const windows = [...new Set(maintenance.filter((w) => w.from < end && w.to > start).map((w) => w.title))];
    return {
      start: periodStart,
      end: periodEnd,
      status: verdict.status,
      reason,
      availability: figures.availability,
      appChecks: app.valid,
      p95Ms: figures.p95Ms,
      logons: logon.valid,
      logonP95Ms: figures.logonP95Ms,
      slowAppChecks: figures.slowAppChecks,
      slowLogons: figures.slowLogons,
      ...(fromDay ? { day: { start, end } } : {}),
      ...(windows.length > 0 ? { maintenance: windows } : {}),
    };
  });
}

/**
 * Reads the rollups the periods need and judges them; with `annotations` (and the site's trust), names
 * the maintenance windows recorded at the site or across its trust in the periods they overlap.
 */
export async function uptimeHistory(store: RollupStore, site: string, query: UptimeQuery, annotations?: { store: AnnotationStore; trust: string }): Promise<UptimeHistory> {
  const periods = uptimePeriods(query);
  const from = periods[0]![0];
  const to = query.now + 1;
  const scope = `site:${site}`;
  const recent = Math.max(from, Math.floor((query.now - MINUTE_FALLBACK_MS) / HOUR) * HOUR);
  const reads = METRICS.flatMap((metric) => [
    store.query({ scope, metric, resolution: '1h', from, to }),
    store.query({ scope, metric, resolution: '1m', from: recent, to }),
  ]);
  const rows = (await Promise.all(reads)).flat();
  // Days older than the hourly rows kept: the day tier's rows of the site.
  const hourlyFrom = query.period === 'day' ? await hourlyKeptFrom(store, query.now) : -Infinity;
  let days: DayRollupRecord[] = [];
  if (hourlyFrom > from && isDayRollupStore(store)) {
    days = (await Promise.all(METRICS.map((metric) => store.dayRollups({ scope, metric, from: londonDayOf(from), to: hourlyFrom })))).flat();
  }
  const maintenance = annotations
    ? (await annotations.store.annotations({ trust: annotations.trust, kind: 'maintenance', from, to }))
        .filter((a) => isMaintenanceAt(a, annotations.trust, site))
        .map((a) => ({ from: a.start, to: a.end!, title: a.title }))
    : [];
  return { site, period: query.period, periods: judgePeriods(rows, query, days, hourlyFrom, maintenance) };
}
