// What a stream processor must keep to continue after a restart: the windows (open, final but still
// inside the status horizon, partial 5-minute and hourly ones, pending corrections), the scopes and
// devices it knows, the watermark, the next status tick and the counters. The processor works on it;
// snapshots serialise it (snapshot.ts) — neither needs the other's class, only this one.
import type { Resolution } from '@wardwatch/schema';
import type { CellParts, ScopeCells } from './cell.ts';
import type { CellColumns, ScopeParts, ScopeVisitor } from './cell-columns.ts';
import { ScopeRegistry } from './scope-registry.ts';
import { Watermark } from './window.ts';

export interface ProcessorCounters {
  /** Counted, on time. */
  counted: number;
  /** Behind the watermark, window still open: counted. */
  late: number;
  /** Window already final, within the correction horizon: counted as a correction. */
  corrected: number;
  /** Window already final, beyond the correction horizon: not counted; the caller reports it. */
  tooLate: number;
  /** Sequence number seen before: dropped. */
  duplicates: number;
  /**
   * A device's sequence restarted (a seq absurdly far from the highest, or behind it with an event
   * newer than any accepted): counted, and the replay window starts again from it.
   */
  seqResets: number;
}

/**
 * Aggregates of one window: scope key → cells by metric. A live one-minute window is counted into
 * columns (cell-columns.ts), final or not; every other window (coarse, corrections, a final minute made
 * for a correction, restored from a snapshot) holds `Cell`s. What reads a window reads either through
 * `eachScope` and `partOf`.
 */
export class WindowCells {
  private byScope: Map<string, ScopeCells> | undefined;
  /** The columns a live one-minute window is counted into (undefined: the window holds cells). */
  readonly columns: CellColumns | undefined;
  final = false;
  /** Whether the status horizon holds this window's cells (status-horizon.ts). */
  inHorizon = false;
  /**
   * A 5-minute window only: its minutes reach the hourly window through it, added when it is final
   * (roll-up.ts), not each on its own. Windows restored from a snapshot written before this existed
   * have their minutes in the hour already, and keep rolling them in one by one.
   */
  carriesToHour = false;
  /**
   * Counts the changes made to the window (events counted, made final, a minute rolled in): an
   * incremental snapshot (snapshot-parts.ts) writes a window again only when this has moved since.
   */
  revision = 0;
  constructor(
    readonly start: number,
    columns?: CellColumns,
  ) {
    this.columns = columns;
    this.byScope = columns ? undefined : new Map();
  }

  /**
   * Scope key → cells. Of a window counted into columns, a copy made at each read (what is changed in
   * it is not kept): snapshots read this, once a window; the per-minute paths read `eachScope` and
   * `partOf`, which make no cells.
   */
  get cells(): Map<string, ScopeCells> {
    return this.byScope ?? this.columns!.toCells();
  }

  /** Calls `visit` with each scope's key, a reader of its cells and `context`, in the order the scopes came (CellColumns.eachScope). */
  eachScope<C>(visit: ScopeVisitor<C>, context: C): void {
    if (this.columns) {
      this.columns.eachScope(visit, context);
      return;
    }
    const reader = new CellsParts();
    for (const [scope, cells] of this.byScope!) {
      reader.cells = cells;
      visit(scope, reader, context);
    }
  }

  /** The cell of `scope` and `metric` (of columns, a view valid until the next read), or undefined. */
  partOf(scope: string, metric: number): CellParts | undefined {
    if (!this.columns) return this.byScope!.get(scope)?.[metric];
    const entry = this.columns.find(scope);
    return entry < 0 ? undefined : this.columns.part(entry, metric);
  }

  /** The cells of `scope`, made when missing (a window holding cells only). */
  at(scope: string): ScopeCells {
    const byScope = this.byScope!;
    let cells = byScope.get(scope);
    if (!cells) byScope.set(scope, (cells = []));
    return cells;
  }
}

/** A scope of a window holding cells. */
class CellsParts implements ScopeParts {
  cells: ScopeCells = [];
  part(metric: number): CellParts | undefined {
    return this.cells[metric];
  }
  has(metric: number): boolean {
    return this.cells[metric] !== undefined;
  }
}

/** The coarser resolutions final 1-minute windows roll up into, with their sizes. */
export const COARSE: ReadonlyArray<[Resolution, number]> = [
  ['5m', 300_000],
  ['1h', 3_600_000],
];

export class ProcessorState {
  readonly registry = new ScopeRegistry();
  /** 1-minute windows by start: open, and final ones while a status horizon can still see them. */
  readonly windows = new Map<number, WindowCells>();
  /** 5-minute and hourly windows being filled by final 1-minute windows. */
  readonly coarse = new Map<Resolution, Map<number, WindowCells>>(COARSE.map(([resolution]) => [resolution, new Map()]));
  /** Pending corrections: 1-minute windows of events that came after their window was final. */
  readonly corrections = new Map<number, WindowCells>();
  readonly counts: ProcessorCounters = { counted: 0, late: 0, corrected: 0, tooLate: 0, duplicates: 0, seqResets: 0 };
  /** End of the next window whose passing triggers a status evaluation. */
  nextDueEnd = -Infinity;

  constructor(public clock: Watermark) {}

  static empty(watermarkLagMs: number): ProcessorState {
    return new ProcessorState(new Watermark(watermarkLagMs));
  }
}
