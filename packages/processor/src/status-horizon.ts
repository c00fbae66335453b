// The status horizon as a sliding aggregate. A status reads the last `statusHorizonMs` of one-minute
// windows of its scope; merging them afresh at every evaluation cost fifteen merges per scope and
// metric, for every scope, whether anything had changed or not. Here each scope keeps one running
// cell per status metric: a window's cells are added as the window enters the horizon, the events
// counted into a window already inside are added as they come, and a window's cells are subtracted
// as it leaves. DDSketch bins and SLI counts are plain sums, and a cell's exact values a multiset, so
// the running cell answers the same figures as the merge would, bin for bin. Only scopes whose cells
// changed since the last evaluation need their figures worked out again — and of those, only the
// metrics that changed (a check moves a site's application figures, not its Wi-Fi median).
import { Cell, EXACT_VALUES, type CellParts } from './cell.ts';
import type { ScopeParts, ScopeVisitor } from './cell-columns.ts';
import { subtractFromSketch } from '@wardwatch/sketch';

/** A running cell: `Cell` plus taking out what was added. */
export class HorizonCell extends Cell {
  /**
   * Takes `part` (added before) out. False when that cannot be done exactly — the sketch collapsed
   * its lowest bins, or the cell is down to as few values as a merge keeps exactly — and the caller
   * must rebuild the cell from the parts still inside.
   */
  subtract(part: CellParts): boolean {
    this.valid -= part.valid;
    this.good -= part.good;
    this.fast -= part.fast;
    if (part.count === 0) return true;
    if (!this.sketch) {
      if (part.sketch) return false; // a part bigger than the whole: the caller's books are wrong; rebuild
      // Exact values: a multiset, so take each of the part's values out once — shifting the rest down,
      // not moving the last into the gap: values the last quantile read left sorted stay sorted, and
      // the next read sorts only what entered since (swapping scrambled them, and the insertion sort
      // then moved nearly every value).
      const values = this.values!;
      const theirs = part.values!;
      for (let k = 0; k < theirs.length; k++) {
        const v = theirs[k]!;
        const i = values.indexOf(v);
        if (i < 0) return false;
        const last = values.length - 1;
        for (let j = i; j < last; j++) values[j] = values[j + 1]!;
        values.pop();
      }
      return true;
    }
    if (!subtractFromSketch(this.sketch, part.sketch ?? part.values!)) return false;
    // A merge of parts holding this few values keeps them exactly: so must the running cell.
    return this.sketch.count > EXACT_VALUES;
  }

  /** Starts again from `parts` (rebuilding after a subtraction that could not be exact). */
  rebuild(parts: Iterable<CellParts>): void {
    this.valid = this.good = this.fast = 0;
    this.values = [];
    this.sketch = null;
    this.sorted = true;
    for (const part of parts) this.mergeFrom(part);
  }
}

/** Every metric's bit: figures worked out afresh. */
export const ALL_METRICS = 0x7fffffff;

/** The running cells of one scope, by metric index (only the status metrics are kept). */
export type HorizonCells = Array<HorizonCell | undefined>;

/**
 * What the per-event path holds of one scope (a ScopeInfo is one), so that adding a value does no
 * lookup by key: the scope's running cells, and the metrics its adds changed since the horizon last
 * gathered them. Three map operations by string key per value added were most of `add`'s cost, and
 * with the deployed one-second evaluations every status metric's value is added.
 */
export interface HorizonSlot {
  readonly key: string;
  /** The scope's running cells, valid while `horizonEpoch` is the horizon's epoch. */
  horizonCells: HorizonCells | undefined;
  horizonEpoch: number;
  /** Metrics (a bit per index) changed by adds not yet gathered into the horizon's changed scopes. */
  horizonChanged: number;
}

interface HorizonWindow {
  readonly start: number;
  eachScope<C>(visit: ScopeVisitor<C>, context: C): void;
  partOf(scope: string, metric: number): CellParts | undefined;
  /** Whether the window's cells are in the running cells. */
  inHorizon: boolean;
}

/**
 * Running cells per scope over the windows inside the horizon of the latest evaluation: those
 * overlapping [end − horizonMs, end) — with `end` on a window boundary, exactly the whole windows in
 * it; otherwise also the one straddling its start, as the merge it replaces counted it.
 */
export class StatusHorizon {
  private readonly byScope = new Map<string, HorizonCells>();
  /** Windows inside, oldest first. */
  private members: HorizonWindow[] = [];
  /** Scopes whose running cells changed since `takeChanged` was last called → which metrics (bit per index). */
  private changed = new Map<string, number>();
  /** Slots whose `horizonChanged` went from none to some since they were last gathered, in that order. */
  private readonly pending: HorizonSlot[] = [];
  /**
   * Moves on whenever a scope's running cells leave `byScope`: cells a slot holds from an earlier
   * epoch may have been dropped, and are looked up again.
   */
  private epoch = 0;

  constructor(
    private readonly windowMs: number,
    private readonly horizonMs: number,
    /** Metric indexes kept: the ones statuses read. */
    private readonly metrics: readonly number[],
  ) {}

  /** Whether no window's cells are in the running cells (none evaluated yet, or none inside). */
  get holdsNone(): boolean {
    return this.members.length === 0;
  }

  /** The running cells of `scope` (undefined: nothing inside the horizon). */
  cellsOf(scope: string): HorizonCells | undefined {
    return this.byScope.get(scope);
  }

  /** A value counted into a window already inside: added to the scope's running cell as well. */
  add(slot: HorizonSlot, metric: number, value: number, good: boolean, fast: boolean): void {
    let cells = slot.horizonEpoch === this.epoch ? slot.horizonCells : undefined;
    if (!cells) {
      cells = this.byScope.get(slot.key);
      if (!cells) this.byScope.set(slot.key, (cells = []));
      slot.horizonCells = cells;
      slot.horizonEpoch = this.epoch;
    }
    let cell = cells[metric];
    if (!cell) cells[metric] = cell = new HorizonCell();
    cell.add(value, good, fast);
    if (slot.horizonChanged === 0) this.pending.push(slot);
    slot.horizonChanged |= 1 << metric;
  }

  /**
   * Gathers the adds' changes into `changed`, in the order the scopes were first added to — before
   * a slide touches it, so its keys stay in the order the map alone gave them (the order of a tick's
   * published statuses).
   */
  private gatherAdds(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    const changed = this.changed;
    for (let i = 0; i < pending.length; i++) {
      const slot = pending[i]!;
      changed.set(slot.key, (changed.get(slot.key) ?? 0) | slot.horizonChanged);
      slot.horizonChanged = 0;
    }
    pending.length = 0;
  }

  /**
   * Moves the horizon to end at `end`: windows that left it are subtracted, windows that entered it
   * (among `windows`) are added. `end` never goes back.
   */
  slide(end: number, windows: Iterable<HorizonWindow>): void {
    this.gatherAdds();
    const from = end - this.horizonMs;
    let leaving = 0;
    while (leaving < this.members.length && this.members[leaving]!.start + this.windowMs <= from) leaving++;
    // One at a time: a subtraction that cannot be exact rebuilds the cell from the members still
    // inside, so a window still to be subtracted must be among them then (taken out of them all at
    // once, it was left out of the rebuild and then subtracted from it as well).
    for (let i = 0; i < leaving; i++) {
      const window = this.members[0]!;
      this.members = this.members.slice(1);
      window.inHorizon = false;
      window.eachScope(this.takeEach, undefined);
    }
    const entering: HorizonWindow[] = [];
    for (const window of windows) {
      if (window.inHorizon || window.start >= end || window.start + this.windowMs <= from) continue;
      entering.push(window);
    }
    if (entering.length === 0) return;
    entering.sort((a, b) => a.start - b.start);
    for (const window of entering) {
      window.inHorizon = true;
      window.eachScope(this.putEach, undefined);
    }
    this.members = [...this.members, ...entering].sort((a, b) => a.start - b.start);
  }

  /** Scopes whose running cells changed since the last call, with a bit set for each metric that did (and forgets them). */
  takeChanged(): Map<string, number> {
    this.gatherAdds();
    const changed = this.changed;
    this.changed = new Map();
    return changed;
  }

  // Bound once, living as long as the horizon (a closure per window's scope walk otherwise: CellColumns.eachScope).
  private readonly putEach = (scope: string, parts: ScopeParts): void => this.put(scope, parts);
  private readonly takeEach = (scope: string, parts: ScopeParts): void => this.take(scope, parts);

  private put(scope: string, parts: ScopeParts): void {
    let cells = this.byScope.get(scope);
    let moved = 0;
    const metrics = this.metrics;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i]!;
      const part = parts.part(m);
      if (!part) continue;
      if (!cells) this.byScope.set(scope, (cells = []));
      let cell = cells[m];
      if (!cell) cells[m] = cell = new HorizonCell();
      cell.mergeFrom(part);
      moved |= 1 << m;
    }
    if (moved !== 0) this.changed.set(scope, (this.changed.get(scope) ?? 0) | moved);
  }

  private take(scope: string, parts: ScopeParts): void {
    const cells = this.byScope.get(scope);
    if (!cells) return;
    let empty = true;
    let moved = 0;
    const metrics = this.metrics;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i]!;
      const part = parts.part(m);
      const cell = cells[m];
      if (part) moved |= 1 << m;
      if (part && cell && !cell.subtract(part)) cell.rebuild(this.partsOf(scope, m));
      if (cell && cell.valid === 0 && cell.count === 0) cells[m] = undefined;
      else if (cells[m]) empty = false;
    }
    if (empty) {
      this.byScope.delete(scope);
      this.epoch++;
    }
    // Every metric when the scope's cells went: its figures are worked out afresh (empty).
    this.changed.set(scope, (this.changed.get(scope) ?? 0) | (empty ? ALL_METRICS : moved));
  }

  /** The scope's cells of `metric` in the windows inside, each a view valid until the next is read. */
  private *partsOf(scope: string, metric: number): Iterable<CellParts> {
    for (const window of this.members) {
      const part = window.partOf(scope, metric);
      if (part) yield part;
    }
  }
}
