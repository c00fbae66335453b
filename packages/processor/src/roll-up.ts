// Final minutes into their 5-minute and hourly windows. A scope kept at both resolutions gets its
// hour from its 5-minute windows, each added once it is final, instead of from every minute again:
// the values of a ward's or an access point's minute went into two coarse sketches, one by one, and
// the hourly one took as many as the 5-minute one (over the processor bench's 400,000 events, ~608,000
// of the 1.58 million values final minutes moved). A 5-minute window is mostly a sketch already, so
// adding it to the hour is a walk over its bins. Counts and bins add either way: the hour holds the
// same figures, and its values (while few) the same ones in the same order.
import { cellOf, METRICS, type ScopeCells } from './cell.ts';
import type { ScopeParts } from './cell-columns.ts';
import type { WindowCells } from './processor-state.ts';

/** Where a final minute goes: its 5-minute and hourly windows, and whether device scopes are kept at each. */
export interface RollUpTargets {
  five: WindowCells;
  fiveDevices: boolean;
  hour: WindowCells;
  hourDevices: boolean;
}

/**
 * Merges a final minute (or a correction of one) into its coarser windows, in one pass over its
 * scopes. Where the 5-minute window carries its minutes to the hour (`carriesToHour`), a scope kept
 * at both only has its place in the hour made here — its scope and cells, in the order minutes
 * brought them, so the hour's rollups leave in the same order — and is filled by carryToHour.
 */
export function rollUpMinute(minute: WindowCells, targets: RollUpTargets): void {
  const { five, hour } = targets;
  // They change: incremental snapshots write them again.
  five.revision++;
  hour.revision++;
  minute.eachScope(rollUpScope, targets);
}

/** One scope of a final minute into its coarser windows (rollUpMinute's visitor: CellColumns.eachScope says why not a closure). */
function rollUpScope(scope: string, parts: ScopeParts, { five, fiveDevices, hour, hourDevices }: RollUpTargets): void {
  // Device scopes are the bulk: roll them up only where they are kept.
  const device = scope.startsWith('device:');
  const toFive = !device || fiveDevices;
  if (toFive) mergeParts(five.at(scope), parts);
  if (device && !hourDevices) return;
  const into = hour.at(scope);
  if (toFive && five.carriesToHour) {
    for (let m = 0; m < METRICS.length; m++) if (parts.has(m)) cellOf(into, m);
  } else mergeParts(into, parts);
}

/** Adds a final 5-minute window that carries its minutes to the hour to its hourly window. */
export function carryToHour(five: WindowCells, hour: WindowCells, hourDevices: boolean): void {
  hour.revision++;
  five.eachScope(carryScope, { hour, hourDevices });
}

function carryScope(scope: string, parts: ScopeParts, { hour, hourDevices }: { hour: WindowCells; hourDevices: boolean }): void {
  if (!hourDevices && scope.startsWith('device:')) return;
  mergeParts(hour.at(scope), parts);
}

function mergeParts(into: ScopeCells, parts: ScopeParts): void {
  for (let m = 0; m < METRICS.length; m++) {
    const part = parts.part(m);
    if (part) cellOf(into, m).mergeFrom(part);
  }
}
