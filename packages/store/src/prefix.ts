// Scope prefix queries ("ward:S1/*") as a half-open string range, so that an index on scope serves
// them (LIKE would not, and would treat _ and % in ids as wildcards).

/** For "ward:S1/*": { from: "ward:S1/", to: "ward:S10" }; undefined for an exact scope. */
export function prefixRange(scope: string): { from: string; to: string } | undefined {
  if (!scope.endsWith('*')) return undefined;
  const prefix = scope.slice(0, -1);
  if (prefix === '') return { from: '', to: '\u{10FFFF}' };
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

// The tiers' scope terms in SQL, as string ranges so that an index on scope serves them (under "C"
// collation in PostgreSQL): device scopes, and the scopes kept a row a month (wards, access points).
export const DEVICE_SCOPE = `(scope >= 'device:' AND scope < 'device;')`;
export const MONTH_SCOPE = `((scope >= 'ward:' AND scope < 'ward;') OR (scope >= 'ap:' AND scope < 'ap;'))`;

/**
 * How far from an hour a day-refold note (day_refolds.start, an hour start) may lie and be of the
 * same London day: a day has at most 25 hours. Pruning keeps an hourly row with a note this near —
 * the day it belongs to is still to be folded from its hours — at worst a neighbouring day's rows a
 * little longer.
 */
export const REFOLD_NOTE_REACH_MS = 25 * 3_600_000;
