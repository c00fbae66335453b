// The trend: up to 13 months of time lost, cost, logon and application p95 and the score, each month
// against a baseline (the months the trust names, or the first three full months with data).
import { FULL_MONTH_COVERAGE, type EvidenceTrend, type EvidenceTrendMonth } from '@wardwatch/schema';
import type { RollupRecord } from '@wardwatch/store';
import type { PackContext } from './pack-context.ts';
import { components, scoreOf } from './pack-experience.ts';
import { addMonths, londonMonth, type MonthPeriod } from './months.ts';
import { costOf } from './staff-costs.ts';
import { Tally, TallyIndex } from './tally.ts';

export interface MonthFigures extends EvidenceTrendMonth {
  /** Of the month's hours, the share with data. */
  coverage: number;
}

/** `hoursWithData`: known for merged earlier months (their records carry one start each). */
export function monthFigures(ctx: PackContext, period: MonthPeriod, index: TallyIndex, hoursWithData?: number): MonthFigures {
  const sites = ctx.inputs.sites;
  let hours = 0;
  const logon = new Tally();
  const app = new Tally();
  const wifi = new Tally();
  const withData = new Set<number>();
  for (const site of sites) {
    hours += ctx.logonHours(`site:${site}`, undefined, index) + ctx.appHours(site, undefined, index);
    for (const [metric, into] of [['logon.totalMs', logon], ['app.totalMs', app], ['wifi.signalDbm', wifi]] as const) {
      const t = index.get(`site:${site}`, metric);
      if (t) {
        into.merge(t);
        for (const h of t.hours) withData.add(h);
      }
    }
  }
  const appAll = index.sum(index.scopes('siteapp:'), 'app.totalMs');
  const c = components({ logon: logon.valid ? logon : undefined, app: app.valid ? app : undefined, wifi: wifi.valid ? wifi : undefined });
  return {
    month: period.month,
    hours,
    cost: costOf(hours, ctx.costs),
    logonP95Ms: logon.bins.quantile(0.95),
    appP95Ms: appAll.bins.quantile(0.95),
    score: scoreOf(c),
    vsBaseline: null,
    hoursWithData: hoursWithData ?? withData.size,
    full: false, // set by trendSection, against the trend's best-covered month
    coverage: (hoursWithData ?? withData.size) / period.hours,
  };
}

export interface TrendResult {
  trend: EvidenceTrend;
  /** The report month's figures. */
  reportMonth: MonthFigures;
  /** Figures of the month before the report month (null without data). */
  lastMonth: MonthFigures | null;
}

export function trendSection(ctx: PackContext): TrendResult {
  const { config, inputs } = ctx;
  const month = inputs.request.month;
  const trendMonths = Array.from({ length: config.trendMonths }, (_, i) => addMonths(month, i - (config.trendMonths - 1)));
  const wanted = new Set(trendMonths);
  if (config.baseline) for (let m = config.baseline.from; m <= config.baseline.to; m = addMonths(m, 1)) wanted.add(m);
  const periods = [...wanted].sort().map(londonMonth);
  const byMonth = new Map(periods.map((p) => [p.month, [] as RollupRecord[]]));
  const find = (start: number) => {
    let lo = 0;
    let hi = periods.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = periods[mid]!;
      if (start < p.from) hi = mid - 1;
      else if (start >= p.to) lo = mid + 1;
      else return p.month;
    }
    return undefined;
  };
  // Earlier months come merged with maintenance already left out. The month itself is the pack's
  // own tallies: its site and site-application scopes hold the month's records less maintenance,
  // which is all the trend would tally again.
  for (const r of inputs.history) {
    const m = find(r.start);
    if (m && m !== month) byMonth.get(m)!.push(r);
  }
  const figures = new Map(periods.map((p) => [p.month, p.month === month ? monthFigures(ctx, p, ctx.index) : monthFigures(ctx, p, new TallyIndex(byMonth.get(p.month)!), inputs.historyHours.get(p.month) ?? 0)]));
  // A full month has data in nearly as many of its hours as the best-covered month: a trust whose
  // devices report only by day has full months of half their hours, and the month its agents were
  // installed, or one a store began in, is a part month.
  const best = Math.max(0, ...[...figures.values()].map((f) => f.coverage));
  for (const f of figures.values()) f.full = f.hoursWithData > 0 && f.coverage >= FULL_MONTH_COVERAGE * best;

  let baselineMonths: string[];
  let label: string;
  if (config.baseline) {
    baselineMonths = periods.map((p) => p.month).filter((m) => m >= config.baseline!.from && m <= config.baseline!.to);
    label = config.baseline.label ?? `the trust's baseline, ${config.baseline.from} to ${config.baseline.to}`;
  } else {
    const full = trendMonths.filter((m) => m !== month && figures.get(m)!.full);
    baselineMonths = full.slice(0, 3);
    // Said as it is: a store with two earlier months has a baseline of two, not "three".
    const first = ['', 'the first', 'the first two', 'the first three'][baselineMonths.length];
    const months = baselineMonths.length === 1 ? 'month' : 'months';
    const anyEarlier = trendMonths.some((m) => m !== month && figures.get(m)!.hoursWithData > 0);
    label =
      baselineMonths.length > 0
        ? `${first} full ${months} with data`
        : anyEarlier
          ? 'no baseline: no earlier month is a full month'
          : 'no baseline: no earlier month has data';
  }
  const withData = baselineMonths.map((m) => figures.get(m)!).filter((f) => f.hoursWithData > 0);
  const baselineHours = withData.length > 0 ? withData.reduce((s, f) => s + f.hours, 0) / withData.length : null;
  const scores = withData.map((f) => f.score).filter((s): s is number => s !== null);
  const months: EvidenceTrendMonth[] = trendMonths.map((m) => {
    const { coverage: _coverage, ...f } = figures.get(m)!;
    // A part month's total is not set against whole months': August with one day of data read "−97 %".
    return { ...f, vsBaseline: baselineHours && f.full ? (f.hours - baselineHours) / baselineHours : null };
  });
  const last = figures.get(addMonths(month, -1));
  return {
    trend: {
      baseline: {
        label,
        from: baselineMonths[0] ?? month,
        to: baselineMonths[baselineMonths.length - 1] ?? month,
        hoursPerMonth: baselineHours,
        score: scores.length > 0 ? Math.round((10 * scores.reduce((s, v) => s + v, 0)) / scores.length) / 10 : null,
      },
      months,
    },
    reportMonth: figures.get(month)!,
    lastMonth: last && last.hoursWithData > 0 ? last : null,
  };
}
