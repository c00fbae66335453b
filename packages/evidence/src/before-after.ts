// Before and after a change at a scope: the weeks before against the weeks after (the change day left
// out), for logon and application figures, with a bootstrap confidence interval over the days (or
// hours) so that a funded fix can be shown to have worked — or not. By day it reads hourly rows or the
// day tier's rows alike (a London day's row is that day's hours merged); by hour only hourly rows.
import { evidenceChange, evidenceDifference, evidenceFigure } from '@wardwatch/schema';
import { sketchBins } from '@wardwatch/sketch';
import { mulberry32 } from '@wardwatch/simulator';
import { RESOLUTION_MS, type Resolution, type RollupRecord } from '@wardwatch/store';
import { londonDate, addDays } from './before-after-days.ts';

/** A change at a scope: "SSO live at site:RXX03 on 2026-09-14" is { scope: 'site:RXX03', at: <that day> }. */
export interface ChangePoint {
  scope: string;
  /** When the change happened, epoch ms; its whole day (Europe/London) belongs to neither side. */
  at: number;
}

export interface BeforeAfterOptions {
  /** Weeks on each side of the change day (default 4). */
  weeks?: number;
  /** What the bootstrap resamples: whole days (default; Europe/London calendar days) or hours. */
  unit?: 'day' | 'hour';
  /** Confidence level of the interval and of the verdict (default 0.95). */
  confidence?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling PRNG: the same inputs and seed give the same interval (default 1). */
  seed?: number;
  /** Rollup resolution to read (default '1h'); other resolutions in the input are ignored. */
  resolution?: Resolution;
  /** Periods left out of both sides (maintenance windows), [from, to) epoch ms. */
  exclude?: ReadonlyArray<{ from: number; to: number }>;
  /** Fewest units with data on each side for a verdict (default 7). */
  minUnits?: number;
}

export const BEFORE_AFTER_FIGURES = ['logon.p50', 'logon.p95', 'logon.overTarget', 'app.p95', 'app.availability'] as const;
export type BeforeAfterFigureName = (typeof BEFORE_AFTER_FIGURES)[number];

export interface BeforeAfterFigure {
  figure: BeforeAfterFigureName;
  label: string;
  unit: 'ms' | 'share';
  /** Which way is an improvement. */
  betterWhen: 'lower' | 'higher';
  /** The figure over each whole window (merged sketches / summed counts); null without data. */
  before: number | null;
  after: number | null;
  /** after − before, and relative to before. */
  change: number | null;
  relativeChange: number | null;
  /** Confidence interval of `change`, or null when either side has too few units. */
  interval: [number, number] | null;
  /** The interval excludes zero. */
  significant: boolean;
  direction: 'better' | 'worse' | 'no clear change' | 'not enough data';
  /** Units (days or hours) with data on each side. */
  unitsBefore: number;
  unitsAfter: number;
  /** The result in plain words. */
  summary: string;
}

export interface BeforeAfterResult {
  scope: string;
  at: number;
  /** The windows compared, [from, to) epoch ms. */
  before: { from: number; to: number };
  after: { from: number; to: number };
  confidence: number;
  /** How the interval was computed, for the method section. */
  method: string;
  figures: BeforeAfterFigure[];
  /** The significant changes in plain words, or that there was none. */
  summary: string;
}

interface FigureSpec {
  figure: BeforeAfterFigureName;
  metric: string;
  label: string;
  unit: 'ms' | 'share';
  betterWhen: 'lower' | 'higher';
  /** Quantile of the merged sketch, or a ratio of summed counts. */
  q?: number;
  ratio?: (r: Units) => [number, number];
}

/** Summed counts of one unit. */
interface Units {
  valid: number;
  good: number;
  fast: number;
}

const SPECS: FigureSpec[] = [
  { figure: 'logon.p50', metric: 'logon.totalMs', label: 'Logon time, median', unit: 'ms', betterWhen: 'lower', q: 0.5 },
  { figure: 'logon.p95', metric: 'logon.totalMs', label: 'Logon time, 95th percentile', unit: 'ms', betterWhen: 'lower', q: 0.95 },
  // Failed logons count as over target: the clinician did not get in within it either.
  { figure: 'logon.overTarget', metric: 'logon.totalMs', label: 'Share of logons over target or failed', unit: 'share', betterWhen: 'lower', ratio: (u) => [u.valid - u.fast, u.valid] },
  { figure: 'app.p95', metric: 'app.totalMs', label: 'Application response, 95th percentile', unit: 'ms', betterWhen: 'lower', q: 0.95 },
  { figure: 'app.availability', metric: 'app.totalMs', label: 'Application availability', unit: 'share', betterWhen: 'higher', ratio: (u) => [u.good, u.valid] },
];

/** One unit's data for one metric: its counts, and its bins as indexes into a shared value table. */
interface UnitData extends Units {
  bins: number[];
  counts: number[];
}

/** A rollup, or one standing for a longer span (a day row read back: it ends at `end`). */
export type SpanRollup = RollupRecord & { end?: number };

export function compareBeforeAfter(change: ChangePoint, rollups: readonly SpanRollup[], options: BeforeAfterOptions = {}): BeforeAfterResult {
  const weeks = options.weeks ?? 4;
  const unit = options.unit ?? 'day';
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const resolution = options.resolution ?? '1h';
  const minUnits = options.minUnits ?? 7;
  if (!(weeks > 0)) throw new Error(`weeks must be more than 0; got ${weeks}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be between 0 and 1; got ${confidence}`);
  if (!(resamples >= 100)) throw new Error(`resamples must be at least 100; got ${resamples}`);

  const changeDay = londonDate(change.at);
  const days = weeks * 7;
  const beforeFrom = addDays(changeDay, -days);
  const afterFrom = addDays(changeDay, 1);
  const afterTo = addDays(changeDay, 1 + days);
  const exclude = options.exclude ?? [];

  // Units by metric and side: a day's (or hour's) merged counts and bins.
  const values: number[] = [];
  const valueIndex = new Map<number, number>();
  const sides = new Map<string, [Map<number, UnitData>, Map<number, UnitData>]>();
  const dateOf = new Map<number, number>();
  for (const r of rollups) {
    if (r.scope !== change.scope || r.resolution !== resolution) continue;
    let day = dateOf.get(r.start);
    if (day === undefined) dateOf.set(r.start, (day = londonDate(r.start).day));
    const side = day >= beforeFrom.day && day < changeDay.day ? 0 : day >= afterFrom.day && day < afterTo.day ? 1 : -1;
    if (side < 0) continue;
    const at = side as 0 | 1;
    const end = r.end ?? r.start + RESOLUTION_MS[resolution];
    // An hour cannot be taken out of a day's row, nor a day out of a month's: by hour only rows of one
    // resolution step count, by day only rows of at most a day (a month row's series has too few days
    // left to compare, which the result then says).
    if (end - r.start > (unit === 'hour' ? RESOLUTION_MS[resolution] : 25 * 3_600_000)) continue;
    if (exclude.some((w) => r.start < w.to && end > w.from)) continue;
    let pair = sides.get(r.metric);
    if (!pair) sides.set(r.metric, (pair = [new Map(), new Map()]));
    const key = unit === 'day' ? day : r.start;
    let u = pair[at].get(key);
    if (!u) pair[at].set(key, (u = { valid: 0, good: 0, fast: 0, bins: [], counts: [] }));
    u.valid += r.valid;
    u.good += r.good;
    u.fast += r.fast;
    const b = sketchBins(r.sketch);
    for (let i = 0; i < b.values.length; i++) {
      let idx = valueIndex.get(b.values[i]!);
      if (idx === undefined) {
        idx = values.length;
        values.push(b.values[i]!);
        valueIndex.set(b.values[i]!, idx);
      }
      u.bins.push(idx);
      u.counts.push(b.counts[i]!);
    }
  }
  // The value table sorted, bins re-pointed at sorted positions: the quantile scan runs in order.
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const rank = new Array<number>(values.length);
  order.forEach((idx, pos) => (rank[idx] = pos));
  const sorted = order.map((i) => values[i]!);
  for (const pair of sides.values()) for (const m of pair) for (const u of m.values()) u.bins = u.bins.map((i) => rank[i]!);

  const figures: BeforeAfterFigure[] = [];
  const alpha = 1 - confidence;
  const acc = new Float64Array(sorted.length);
  SPECS.forEach((spec, specIndex) => {
    const pair = sides.get(spec.metric);
    if (!pair) return;
    // Units in time order, however the rows came (day rows and a maintenance day's hours are read
    // apart): the bootstrap draws the same units for the same data.
    const inOrder = (m: Map<number, UnitData>) => [...m].sort((a, b) => a[0] - b[0]).map(([, u]) => u);
    const before = inOrder(pair[0]).filter((u) => u.valid > 0 || u.bins.length > 0);
    const after = inOrder(pair[1]).filter((u) => u.valid > 0 || u.bins.length > 0);
    if (before.length === 0 && after.length === 0) return;
    const stat = (units: readonly UnitData[], weights?: Uint32Array): number | null => {
      if (spec.ratio) {
        let num = 0;
        let den = 0;
        units.forEach((u, i) => {
          const w = weights ? weights[i]! : 1;
          if (w === 0) return;
          const [n, d] = spec.ratio!(u);
          num += w * n;
          den += w * d;
        });
        return den > 0 ? num / den : null;
      }
      acc.fill(0);
      let total = 0;
      units.forEach((u, i) => {
        const w = weights ? weights[i]! : 1;
        if (w === 0) return;
        for (let j = 0; j < u.bins.length; j++) acc[u.bins[j]!] += w * u.counts[j]!;
      });
      for (let j = 0; j < acc.length; j++) total += acc[j]!;
      if (total === 0) return null;
      // DDSketch's rule: the first bin whose running count passes q × (n − 1).
      const target = spec.q! * (total - 1);
      let running = 0;
      for (let j = 0; j < acc.length; j++) {
        running += acc[j]!;
        if (running > target) return sorted[j]!;
      }
      return sorted[sorted.length - 1]!;
    };
    const b = stat(before);
    const a = stat(after);
    const change = a !== null && b !== null ? a - b : null;
    const relativeChange = change !== null && b ? change / b : null;
    let interval: [number, number] | null = null;
    if (change !== null && before.length >= minUnits && after.length >= minUnits) {
      // Each figure draws from its own stream: adding a figure never moves another's interval.
      const random = mulberry32((seed * 0x9e3779b1 + specIndex * 0x85ebca6b) >>> 0);
      const diffs: number[] = [];
      const wb = new Uint32Array(before.length);
      const wa = new Uint32Array(after.length);
      for (let k = 0; k < resamples; k++) {
        draw(wb, random);
        draw(wa, random);
        const sb = stat(before, wb);
        const sa = stat(after, wa);
        if (sb !== null && sa !== null) diffs.push(sa - sb);
      }
      diffs.sort((x, y) => x - y);
      interval = [percentile(diffs, alpha / 2), percentile(diffs, 1 - alpha / 2)];
    }
    const significant = interval !== null && (interval[0] > 0 || interval[1] < 0);
    const direction: BeforeAfterFigure['direction'] =
      interval === null ? 'not enough data' : !significant ? 'no clear change' : (change! < 0) === (spec.betterWhen === 'lower') ? 'better' : 'worse';
    const figure: BeforeAfterFigure = {
      figure: spec.figure,
      label: spec.label,
      unit: spec.unit,
      betterWhen: spec.betterWhen,
      before: b,
      after: a,
      change,
      relativeChange,
      interval,
      significant,
      direction,
      unitsBefore: before.length,
      unitsAfter: after.length,
      summary: '',
    };
    figure.summary = describe(figure, confidence, unit);
    figures.push(figure);
  });

  const changed = figures.filter((f) => f.significant);
  const level = `${Math.round(confidence * 100)} %`;
  const summary =
    figures.length === 0
      ? `No logon or application data at ${change.scope} in the ${weeks} weeks either side of ${changeDay.iso}.`
      : changed.length === 0
        ? `No change at ${change.scope} after ${changeDay.iso} is clear at ${level} confidence (${weeks} weeks either side).`
        : `After ${changeDay.iso} at ${change.scope}: ${changed.map((f) => f.summary).join(' ')}`;
  return {
    scope: change.scope,
    at: change.at,
    before: { from: beforeFrom.start, to: changeDay.start },
    after: { from: afterFrom.start, to: afterTo.start },
    confidence,
    method:
      `${weeks} weeks before and after ${changeDay.iso} (that day left out), ${resolution} rollups grouped into ${unit === 'day' ? 'Europe/London days' : 'hours'}; ` +
      `percentile bootstrap over the ${unit}s of each side (${resamples} resamples, seed ${seed}), ${level} interval of the difference; ` +
      `a change is called when the interval excludes zero.`,
    figures,
    summary,
  };
}

/** Multinomial resample weights: n draws with replacement from n units. */
function draw(weights: Uint32Array, random: () => number): void {
  weights.fill(0);
  const n = weights.length;
  for (let i = 0; i < n; i++) weights[Math.floor(random() * n)]!++;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[i]!;
}

function describe(f: BeforeAfterFigure, confidence: number, unit: 'day' | 'hour'): string {
  const fmt = (v: number) => evidenceFigure(v, f.unit);
  if (f.before === null || f.after === null) return `${f.label}: no data ${f.before === null ? 'before' : 'after'} the change.`;
  if (f.interval === null) {
    return `${f.label}: ${fmt(f.before)} before, ${fmt(f.after)} after, but too few ${unit}s with data (${f.unitsBefore} before, ${f.unitsAfter} after) to judge.`;
  }
  const level = `${Math.round(confidence * 100)} %`;
  const ci = `${level} interval ${evidenceDifference(f.interval[0], f.unit)} to ${evidenceDifference(f.interval[1], f.unit)}`;
  const rel = f.relativeChange !== null ? `, ${evidenceChange(f.relativeChange)}` : '';
  if (!f.significant) return `${f.label}: ${fmt(f.before)} before, ${fmt(f.after)} after — no clear change (${ci}).`;
  const verb = f.change! < 0 ? 'fell' : 'rose';
  return `${f.label} ${verb} from ${fmt(f.before)} to ${fmt(f.after)} (${evidenceDifference(f.change, f.unit)}${rel}; ${ci}): ${f.direction}.`;
}
