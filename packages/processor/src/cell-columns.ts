// The cells of a one-minute window while it is being filled, in columns: counts and exact values in
// typed arrays indexed by cell, not a `Cell` object with its own values array per scope and metric.
// The per-event path counts an event into five or six scopes; as objects that was a cell made about
// every other count and an array made for every value of a cell holding fewer than four — garbage the
// collector copied as long as the window lived — and a walk through four objects scattered over the
// heap per count. Here a count is a few array writes in place. What reads a window's cells — its
// rollups, the roll-up into 5-minute and hourly windows, the status horizon — reads them through a
// view (`part`), and only a snapshot turns them into `Cell`s: the same counts, the same values in the
// order they came, the same sketch for a cell that outgrew EXACT_VALUES.
import type { DDSketch } from '@datadog/sketches-js';
import { acceptValue, sketchOf } from '@wardwatch/sketch';
import { Cell, EXACT_VALUES, METRICS, type CellParts, type ScopeCells } from './cell.ts';

const METRIC_COUNT = METRICS.length;
/** Room a cell's values start with in the pool; it doubles up to EXACT_VALUES. */
const FIRST_ROOM = 4;

export class CellColumns {
  /** Each entry's scope key, in the order the scopes were first counted (the order rollups leave in). */
  private keys: string[] = [];
  private readonly entries = new Map<string, number>();
  /** Entry × METRIC_COUNT + metric → the cell's id + 1 (0: no cell). */
  private cellIds: Int32Array;
  private cellCount = 0;
  // By cell id.
  private valid = new Uint32Array(0);
  private good = new Uint32Array(0);
  private fast = new Uint32Array(0);
  /** Where the cell's values start in `pool`, how many it holds, and room for how many (−1: a sketch holds them). */
  private at = new Int32Array(0);
  private held = new Int32Array(0);
  private room = new Int32Array(0);
  private sketches: Array<DDSketch | undefined> = [];
  private pool: Float64Array;
  private poolUsed = 0;
  /** What `part` gives: one object, filled for each cell read (its values copied into a scratch array). */
  private readonly view: CellView = { valid: 0, good: 0, fast: 0, values: null, sketch: null, count: 0 };
  /** Scratch arrays by length (setting an array's length to each cell's count was a runtime call a cell). */
  private readonly scratch: number[][] = [];
  /** The scope reader `eachScope` hands over, set to each entry in turn. */
  private readonly reader = new EntryParts(this);

  /**
   * Columns sized for about what `like` held (the previous window's): an estate's windows hold about
   * the same scopes, and growing each window's arrays from small copied them a dozen times a minute.
   */
  constructor(like?: CellColumns) {
    // An eighth more than `like` held: a window a little busier than the last then fits without
    // doubling every array. At least room for a small partition's minute (the demo's twelve partitions
    // hold ~80 devices each, and keep sixteen or so windows each).
    const room = (n: number, least: number) => Math.max(least, Math.ceil(n * 1.125));
    this.cellIds = new Int32Array(room(like?.keys.length ?? 0, 64) * METRIC_COUNT);
    this.roomForCells(room(like?.cellCount ?? 0, 256));
    this.pool = new Float64Array(room(like?.poolUsed ?? 0, 1024));
  }

  /** Scopes counted. */
  get size(): number {
    return this.keys.length;
  }

  /** The entry of scope `key`, or −1 when it has none. */
  find(key: string): number {
    return this.entries.get(key) ?? -1;
  }

  /** The entry of the scope `key`, made on its first count. */
  entry(key: string): number {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.keys.length;
      this.keys.push(key);
      this.entries.set(key, entry);
      const needed = (entry + 1) * METRIC_COUNT;
      if (needed > this.cellIds.length) this.cellIds = grown(this.cellIds, needed);
    }
    return entry;
  }

  /** As `Cell.add` on the entry's cell of `metric`: `value` NaN is counted, not measured. */
  add(entry: number, metric: number, value: number, good: boolean, fast: boolean): void {
    const slot = entry * METRIC_COUNT + metric;
    let cell = this.cellIds[slot]! - 1;
    if (cell < 0) cell = this.newCell(slot);
    this.valid[cell]!++;
    if (good) this.good[cell]!++;
    if (fast) this.fast[cell]!++;
    if (value !== value) return;
    const room = this.room[cell]!;
    if (room < 0) {
      acceptValue(this.sketches[cell]!, value);
      return;
    }
    const held = this.held[cell]!;
    if (held === room) {
      if (held === EXACT_VALUES) {
        // As a Cell does: the value pushed, then the values (in the order they came) to a sketch.
        const values = this.valuesOf(cell);
        values.push(value);
        this.sketches[cell] = sketchOf(values);
        this.room[cell] = -1;
        return;
      }
      this.move(cell, held === 0 ? FIRST_ROOM : Math.min(held * 2, EXACT_VALUES));
    }
    this.pool[this.at[cell]! + held] = value;
    this.held[cell] = held + 1;
  }

  /**
   * The cell of (`entry`, `metric`) as a view valid until the next call (its values a scratch array
   * read in place: copy what must be kept), or undefined when there is none.
   */
  part(entry: number, metric: number): CellParts | undefined {
    const cell = this.cellIds[entry * METRIC_COUNT + metric]! - 1;
    if (cell < 0) return undefined;
    const view = this.view;
    view.valid = this.valid[cell]!;
    view.good = this.good[cell]!;
    view.fast = this.fast[cell]!;
    if (this.room[cell]! < 0) {
      const sketch = this.sketches[cell]!;
      view.values = null;
      view.sketch = sketch;
      view.count = sketch.count;
      return view;
    }
    const held = this.held[cell]!;
    const values = this.scratch[held] ?? (this.scratch[held] = new Array<number>(held).fill(0));
    const pool = this.pool;
    const at = this.at[cell]!;
    for (let i = 0; i < held; i++) values[i] = pool[at + i]!;
    view.values = values;
    view.sketch = null;
    view.count = held;
    return view;
  }

  /** Whether the entry has a cell of `metric`. */
  has(entry: number, metric: number): boolean {
    return this.cellIds[entry * METRIC_COUNT + metric]! > 0;
  }

  /**
   * Calls `visit` with each scope's key, a reader of its cells and `context`, in the order the scopes
   * came. A visitor is a function that lives as long as the code (its state in `context`): the
   * optimised code of a closure made at each call is dropped at every full collection with the closure,
   * and compiled again on the main thread the next time it is hot (docs/benchmarks.md, "Closures made
   * at each call, compiled again after each full collection").
   */
  eachScope<C>(visit: ScopeVisitor<C>, context: C): void {
    const reader = this.reader;
    const keys = this.keys;
    for (let entry = 0; entry < keys.length; entry++) {
      reader.entry = entry;
      visit(keys[entry]!, reader, context);
    }
  }

  /**
   * Empties the columns for another window, keeping their arrays: a window's columns are a megabyte
   * or so of typed arrays for a 2,000-device trust, and a new set each minute was memory outside the
   * heap that the collector answered with old-generation collections of its own.
   */
  clear(): void {
    this.cellIds.fill(0, 0, this.keys.length * METRIC_COUNT);
    this.keys = [];
    this.entries.clear();
    this.valid.fill(0, 0, this.cellCount);
    this.good.fill(0, 0, this.cellCount);
    this.fast.fill(0, 0, this.cellCount);
    this.cellCount = 0;
    this.sketches = [];
    this.poolUsed = 0;
  }

  /** Every entry's cells as `Cell`s, by scope key in the order the scopes came. */
  toCells(): Map<string, ScopeCells> {
    const byScope = new Map<string, ScopeCells>();
    const keys = this.keys;
    for (let entry = 0; entry < keys.length; entry++) {
      const cells: ScopeCells = [];
      const base = entry * METRIC_COUNT;
      for (let m = 0; m < METRIC_COUNT; m++) {
        const cell = this.cellIds[base + m]! - 1;
        if (cell < 0) continue;
        const sketch = this.room[cell]! < 0 ? this.sketches[cell]! : null;
        cells[m] = Cell.of(this.valid[cell]!, this.good[cell]!, this.fast[cell]!, sketch ? null : this.valuesOf(cell), sketch);
      }
      byScope.set(keys[entry]!, cells);
    }
    return byScope;
  }

  private newCell(slot: number): number {
    const cell = this.cellCount++;
    if (cell === this.valid.length) this.roomForCells(cell * 2);
    this.held[cell] = 0;
    this.room[cell] = 0;
    this.cellIds[slot] = cell + 1;
    return cell;
  }

  /** Gives every per-cell column room for `size` cells at least, keeping what they hold. */
  private roomForCells(size: number): void {
    this.valid = grown(this.valid, size);
    this.good = grown(this.good, size);
    this.fast = grown(this.fast, size);
    this.at = grown(this.at, size);
    this.held = grown(this.held, size);
    this.room = grown(this.room, size);
  }

  /** Moves a cell's values to the end of the pool, with room for `room`. */
  private move(cell: number, room: number): void {
    const from = this.at[cell]!;
    const held = this.held[cell]!;
    const to = this.poolUsed;
    if (to + room > this.pool.length) this.pool = grown(this.pool, Math.max(this.pool.length * 2, to + room));
    const pool = this.pool;
    // By hand: a cell moves while it holds a few values, and copyWithin's call cost more than the copy.
    for (let i = 0; i < held; i++) pool[to + i] = pool[from + i]!;
    this.at[cell] = to;
    this.room[cell] = room;
    this.poolUsed = to + room;
  }

  /**
   * The cell's values as an array of exactly their number — as a Cell's few values are kept (a short
   * array grown by push reserves room it never uses, for as long as the window lives).
   */
  private valuesOf(cell: number): number[] {
    const pool = this.pool;
    const at = this.at[cell]!;
    switch (this.held[cell]!) {
      case 0:
        return [];
      case 1:
        return [pool[at]!];
      case 2:
        return [pool[at]!, pool[at + 1]!];
      case 3:
        return [pool[at]!, pool[at + 1]!, pool[at + 2]!];
      case 4:
        return [pool[at]!, pool[at + 1]!, pool[at + 2]!, pool[at + 3]!];
    }
    const values: number[] = [];
    const end = at + this.held[cell]!;
    for (let i = at; i < end; i++) values.push(pool[i]!);
    return values;
  }
}

type NumberArray = Int32Array | Uint32Array | Float64Array;

/** A copy of `array` with room for `size`. */
function grown<T extends NumberArray>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Reads one scope's cells, whichever way its window holds them. */
/** What `eachScope` calls for each scope: its key, a reader of its cells, and the caller's context. */
export type ScopeVisitor<C> = (scope: string, parts: ScopeParts, context: C) => void;

export interface ScopeParts {
  /** The scope's cell of `metric` (a view valid until the next read), or undefined when it has none. */
  part(metric: number): CellParts | undefined;
  /** Whether the scope has a cell of `metric` (reads nothing of it). */
  has(metric: number): boolean;
}

interface CellView {
  valid: number;
  good: number;
  fast: number;
  values: number[] | null;
  sketch: DDSketch | null;
  count: number;
}

/** A scope of columns, by its entry. */
class EntryParts implements ScopeParts {
  entry = 0;
  constructor(private readonly columns: CellColumns) {}
  part(metric: number): CellParts | undefined {
    return this.columns.part(this.entry, metric);
  }
  has(metric: number): boolean {
    return this.columns.has(this.entry, metric);
  }
}
