// What attribution reads of a status. A board that re-attributes the whole estate whenever a status
// arrives spends most of an idle server's time on verdicts that cannot have moved: between window ends
// the processor publishes every site at each tick (its figures, its time) and other scopes only when
// their state or reason changes, and a site's own latency, availability and logon figures, a reason,
// `since` and `asOf` are never read by attribute(). Kept beside attribute.ts: a rule that reads a new
// field must name it here (attribution-inputs.test.ts holds the two together).
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';

/** A site's figures the rules read: its name resolution and gateway, against the other sites' (rule 4). */
const SITE_FIGURES: ReadonlyArray<keyof ScopeFigures> = ['dnsP95Ms', 'gatewayRttP95Ms'];
/** Every other scope's figures any rule reads (devices' most; wards' none, counted anyway). */
const SCOPE_FIGURES: ReadonlyArray<keyof ScopeFigures> = ['appChecks', 'p95Ms', 'availability', 'logons', 'logonP95Ms', 'wifiSignalDbm', 'cpuPct'];

/**
 * Whether attribute() could give a different verdict with `after` in place of `before` (the same
 * scope's previous status): its state, where it sits, or a figure the rules read changed. False means
 * the last verdict over the estate stands.
 */
export function attributionInputChanged(before: ScopeStatus, after: ScopeStatus): boolean {
  if (before.status !== after.status || before.scope !== after.scope || before.id !== after.id) return true;
  if (before.site !== after.site || before.ward !== after.ward || before.ap !== after.ap || before.app !== after.app) return true;
  const fields = after.scope === 'site' ? SITE_FIGURES : SCOPE_FIGURES;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (before.figures[field] !== after.figures[field]) return true;
  }
  return false;
}
