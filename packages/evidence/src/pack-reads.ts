// How the pack reads a span of a scope's rollups: the day tier's rows (site-days.ts) for the days it
// holds, hourly rows for the rest — the days not folded yet, the days noted for a refold (a late
// correction or history written after the fold: until refolded, only the hourly rows are current),
// and the days a maintenance window touches, where the pack must leave out single hours. For those it
// takes the hourly rows when they are all still there (the same hours as the day row), else the day
// row, which the pack then leaves out whole where the window applies. Day rows are pruned a month at a
// time some weeks after the month is folded into month rows (site-months.ts): for a whole month in the
// span where a series' rows no longer cover every day its month row holds, the month row in their
// place — left out whole where a maintenance window applies, like a day row without its hours.
// And a whole month that is folded, not stale, and has no day noted for a refold or touched by a
// maintenance window is read as its month rows alone, whether or not its day rows are still kept: the
// same counts, bins and hours (a month row is its days' merged, and nothing has changed them since),
// one row where there were thirty — a month's pack reads its wards' and access points' months so, and
// the trend its earlier months.
import type { DayFoldState, DayRollupStore, FoldedMonth, MonthRollupStore, RollupRecord, RollupStore } from '@wardwatch/store';
import { dayEnd } from './device-digest.ts';
import { dayRecord, londonDayOf, londonDaysOf, type SpanRecord } from './site-days.ts';
import { monthRecord } from './site-months.ts';
import { dateNumberOf } from './digest-bytes.ts';

export interface SpanRead {
  metric?: string;
  countsOnly?: boolean;
}

export class PackReads {
  private readonly refold: Set<number>;
  private readonly maintenanceDays = new Set<number>();

  private constructor(
    private readonly store: RollupStore,
    private readonly days: (RollupStore & DayRollupStore) | null,
    private readonly state: DayFoldState,
    maintenance: ReadonlyArray<{ from: number; to: number }>,
    /** The months folded into month rows and not stale since. */
    private readonly foldedMonths: readonly FoldedMonth[],
  ) {
    this.refold = new Set(state.refold.map(londonDayOf));
    // Every window, whatever its site: reading a day's hourly rows is exact anywhere.
    for (const w of maintenance) if (w.to > w.from) for (const d of londonDaysOf(w.from, w.to)) this.maintenanceDays.add(d);
  }

  /**
   * `byDay`: never read a whole month from its month rows where its days are still kept — for readers
   * that need the days themselves (the before-and-after comparison's units, an export by day).
   */
  static async open(store: RollupStore, maintenance: ReadonlyArray<{ from: number; to: number }>, options: { byDay?: boolean } = {}): Promise<PackReads> {
    const days = isDayRollupStore(store) ? store : null;
    const state = days ? await days.dayFoldState() : { foldedTo: 0, refold: [], firstHour: undefined };
    const months = days && isMonthRollupStore(store) && !options.byDay ? (await store.monthFoldState()).folded.filter((m) => !m.stale) : [];
    return new PackReads(store, days, state, maintenance, months);
  }

  /** Rollups of `scope` (exact or prefix) in [from, to), London midnights. */
  async read(scope: string, from: number, to: number, options: SpanRead = {}): Promise<SpanRecord[]> {
    const whole = isMonthRollupStore(this.store) && mayHoldMonthScopes(scope) ? this.wholeMonths(from, to) : [];
    if (whole.length === 0) return this.readDays(scope, from, to, options);
    // Whole months by their month rows, a run of consecutive months a query; the days around and
    // between them as before.
    const out: SpanRecord[] = [];
    let at = from;
    for (let i = 0; i < whole.length; ) {
      let j = i;
      while (j + 1 < whole.length && whole[j + 1]!.month === whole[j]!.end) j++;
      if (at < whole[i]!.month) out.push(...(await this.readDays(scope, at, whole[i]!.month, options)));
      for (const r of await (this.store as RollupStore & MonthRollupStore).monthRollups({ scope, from: whole[i]!.month, to: whole[j]!.month + 1, ...options })) out.push(monthRecord(r));
      at = whole[j]!.end;
      i = j + 1;
    }
    if (at < to) out.push(...(await this.readDays(scope, at, to, options)));
    return out;
  }

  /** The folded, not stale months inside [from, to) (and inside the folded days) with no refold or maintenance day, in order. */
  private wholeMonths(from: number, to: number): FoldedMonth[] {
    const end = Math.min(to, this.state.foldedTo);
    return this.foldedMonths.filter((m) => m.month >= from && m.end <= end && !londonDaysOf(m.month, m.end).some((d) => this.refold.has(d) || this.maintenanceDays.has(d))).sort((a, b) => a.month - b.month);
  }

  private async readDays(scope: string, from: number, to: number, options: SpanRead): Promise<SpanRecord[]> {
    const hourly = (a: number, b: number) => this.store.query({ scope, resolution: '1h', from: a, to: b, ...options });
    const folded = Math.min(to, this.state.foldedTo);
    if (!this.days || folded <= from) return hourly(from, to);
    const out: SpanRecord[] = [];
    const byHour = new Set<number>();
    for (const d of londonDaysOf(from, folded)) if (this.refold.has(d) || this.maintenanceDays.has(d)) byHour.add(d);
    // The hourly rows of those days, a run of consecutive days a query.
    const hours = new Map<string, RollupRecord[]>();
    for (const [a, b] of runs([...byHour].sort((x, y) => x - y))) {
      for (const r of await hourly(a, b)) {
        const key = `${r.scope}\u0000${r.metric}\u0000${londonDayOf(r.start)}`;
        const list = hours.get(key);
        if (list) list.push(r);
        else hours.set(key, [r]);
      }
    }
    for (const d of await this.days.dayRollups({ scope, from, to: folded, ...options })) {
      const key = `${d.scope}\u0000${d.metric}\u0000${d.day}`;
      const rows = hours.get(key);
      if (!byHour.has(d.day)) {
        out.push(dayRecord(d));
        continue;
      }
      // A refold is pending: the hourly rows are newer. Else (maintenance) they serve when all there.
      if (this.refold.has(d.day) || (rows && sameHours(rows, d.day, d.hours))) continue;
      hours.delete(key);
      out.push(dayRecord(d));
    }
    for (const rows of hours.values()) out.push(...rows);
    if (folded < to) out.push(...(await hourly(folded, to)));
    if (isMonthRollupStore(this.store) && mayHoldMonthScopes(scope)) await this.addMonths(this.store, out, scope, from, to, options);
    return out;
  }

  /**
   * Month rows of whole months in [from, to), for each series whose day (or hourly) rows no longer
   * cover every day its month row holds — the store prunes a ward's days one at a time as they age —
   * in place of what is left of them.
   */
  private async addMonths(store: MonthRollupStore, out: SpanRecord[], scope: string, from: number, to: number, options: SpanRead): Promise<void> {
    const months = (await store.monthRollups({ scope, from, to, ...options })).filter((m) => m.end <= to);
    if (months.length === 0) return;
    const monthOf = (start: number) => months.find((m) => start >= m.month && start < m.end)?.month;
    const key = (scope: string, metric: string, month: number) => `${scope}\u0000${metric}\u0000${month}`;
    // The days of each series and month the rows read cover, as the month row's bit set counts them.
    const covered = new Map<string, number>();
    for (const r of out) {
      const month = monthOf(r.start);
      if (month === undefined) continue;
      const k = key(r.scope, r.metric, month);
      const bit = 2 ** (dateNumberOf(londonDayOf(r.start)) - dateNumberOf(month));
      const mask = covered.get(k) ?? 0;
      if (Math.floor(mask / bit) % 2 === 0) covered.set(k, mask + bit);
    }
    const replaced = new Set<string>();
    for (const m of months) {
      const k = key(m.scope, m.metric, m.month);
      if ((covered.get(k) ?? 0) === m.days) continue;
      replaced.add(k);
      out.push(monthRecord(m));
    }
    if (replaced.size === 0) return;
    let kept = 0;
    for (const r of out) {
      const month = r.end !== undefined && r.end - r.start > 25 * 3_600_000 ? undefined : monthOf(r.start);
      if (month === undefined || !replaced.has(key(r.scope, r.metric, month))) out[kept++] = r;
    }
    out.length = kept;
  }
}

/** Whether a scope key or prefix can name a scope the month tier holds: every one but devices. */
function mayHoldMonthScopes(scope: string): boolean {
  return !scope.startsWith('device:');
}

function isMonthRollupStore(store: RollupStore): store is RollupStore & MonthRollupStore {
  return typeof (store as Partial<MonthRollupStore>).monthRollups === 'function';
}

function sameHours(rows: readonly RollupRecord[], day: number, mask: number): boolean {
  let seen = 0;
  for (const r of rows) seen |= 1 << Math.round((r.start - day) / 3_600_000);
  return seen === mask;
}

/** Consecutive London days as [from, to) spans. */
function runs(days: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (last && last[1] === d) last[1] = dayEnd(d);
    else out.push([d, dayEnd(d)]);
  }
  return out;
}

export function isDayRollupStore(store: RollupStore): store is RollupStore & DayRollupStore {
  return typeof (store as Partial<DayRollupStore>).dayRollups === 'function';
}
