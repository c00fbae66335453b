// Where rollups have been written lately: a log of each write's earliest window start by resolution,
// and of each prune's cut-off, stamped with the store's clock, so a reader that keeps rollups in
// memory (the SLO evaluator's counts) reads again only the windows that may have changed instead of
// every window of its spans. A row is written when its window is final and again by a late
// correction or history written afterwards, so the log says how far back to look; a prune deletes
// rows below its cut-off, which matters to a reader only where its spans reach below it.
import type { Resolution, RollupRecord } from './rollup-store.ts';

export interface RollupChanges {
  /**
   * The store's clock when asked (epoch ms, taken before the log is read): ask next time from
   * ROLLUP_CHANGES_OVERLAP_MS before it, which also covers a write stamped before this moment but
   * committed after it.
   */
  at: number;
  /** The earliest window start written at each resolution since the time asked from; absent: none. */
  from: Partial<Record<Resolution, number>>;
  /** The latest cut-off below which a prune deleted rows of each resolution since then; absent: none. */
  deletedBefore: Partial<Record<Resolution, number>>;
  /**
   * Every entry of the log stamped at or after the time asked from, known or not (their ids): what
   * the next ask, from ROLLUP_CHANGES_OVERLAP_MS before `at`, gives as `known`.
   */
  seen: number[];
}

export interface RollupChangeLog {
  /**
   * What the writes and prunes stamped at or after `since` changed, by resolution — leaving out the
   * entries in `known` (an earlier answer's `seen`): a reader asks again from well before its last
   * look, for a write stamped before it but committed after it, and without them would read again,
   * every time for ten minutes, what the writes it has already read changed (history written months
   * back: every window of the SLO spans, once a minute).
   */
  rollupChanges(since: number, known?: ReadonlySet<number>): Promise<RollupChanges>;
}

/** How far before the last answer's clock a reader asks again: longer than any write's transaction. */
export const ROLLUP_CHANGES_OVERLAP_MS = 10 * 60_000;

/** How long the log keeps an entry (by the store's clock): a reader a day behind reads everything again. */
export const ROLLUP_CHANGES_KEPT_MS = 86_400_000;

export function hasRollupChangeLog(store: object): store is RollupChangeLog {
  return typeof (store as Partial<RollupChangeLog>).rollupChanges === 'function';
}

/** The earliest start of each resolution among `records`: what one write logs. */
export function earliestStarts(records: readonly RollupRecord[]): Map<Resolution, number> {
  const earliest = new Map<Resolution, number>();
  for (const r of records) {
    const known = earliest.get(r.resolution);
    if (known === undefined || r.start < known) earliest.set(r.resolution, r.start);
  }
  return earliest;
}

/** The log's entries (as either store reads them) gathered by resolution, those in `known` left out. */
export function changesOf(
  at: number,
  entries: ReadonlyArray<{ id: number | string; resolution: string; start: number | string | null; deleted: number | string | null }>,
  known?: ReadonlySet<number>,
): RollupChanges {
  const changes: RollupChanges = { at, from: {}, deletedBefore: {}, seen: [] };
  for (const entry of entries) {
    const id = Number(entry.id);
    changes.seen.push(id);
    if (known?.has(id)) continue;
    const resolution = entry.resolution as Resolution;
    if (entry.start !== null) changes.from[resolution] = Math.min(changes.from[resolution] ?? Infinity, Number(entry.start));
    if (entry.deleted !== null) changes.deletedBefore[resolution] = Math.max(changes.deletedBefore[resolution] ?? -Infinity, Number(entry.deleted));
  }
  return changes;
}
