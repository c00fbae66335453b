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
 * What attribute() could judge differently with `after` in place of `before` (the same scope's
 * previous status): undefined — nothing it reads changed, the last verdict over the estate stands;
 * 'site-network' — only a site's name-resolution or gateway figure, which can change the words of a
 * site's cause (its evidence, "(name resolution)") but never who is blamed for what; 'verdicts' —
 * its state, where it sits, or any other figure a rule reads.
 */
export function attributionInputChange(before: ScopeStatus, after: ScopeStatus): 'site-network' | 'verdicts' | undefined {
  if (before.status !== after.status || before.scope !== after.scope || before.id !== after.id) return 'verdicts';
  if (before.site !== after.site || before.ward !== after.ward || before.ap !== after.ap || before.app !== after.app) return 'verdicts';
  const site = after.scope === 'site';
  const fields = site ? SITE_FIGURES : SCOPE_FIGURES;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (before.figures[field] !== after.figures[field]) return site ? 'site-network' : 'verdicts';
  }
  return undefined;
}

/** Whether attribute() could give a different verdict at all (attributionInputChange says how). */
export function attributionInputChanged(before: ScopeStatus, after: ScopeStatus): boolean {
  return attributionInputChange(before, after) !== undefined;
}
