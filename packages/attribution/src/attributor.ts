// What a board needs of attribution: statuses in, causes out, and which causes moved at each run.
// Two implementations: WholeEstateAttribution runs attribute() over every status each time (the
// reference), LiveAttribution (live-attribution.ts) judges again only what changed.
import type { Cause, ScopeStatus } from '@wardwatch/schema';
import { attribute, DEFAULT_ATTRIBUTION, type AttributionOptions } from './attribute.ts';

export interface Attributor {
  /** Takes a scope's latest status (its cause, if any, is ignored). */
  set(status: ScopeStatus): void;
  /**
   * Attributes the statuses set so far; returns every scope whose cause differs from the previous
   * run's (undefined: it has none now), in the order the scopes were first set.
   */
  run(): Map<string, Cause | undefined>;
  /** A scope's cause as of the latest run. */
  causeOf(key: string): Cause | undefined;
}

/** Every field of two causes alike (or both none). */
export const sameCause = (a: Cause | undefined, b: Cause | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.culprit === b.culprit && a.evidence === b.evidence && a.summary === b.summary && a.kind === b.kind);

/** The causes that differ between two runs' verdicts, over `keys` in their order. */
export function causesMoved(keys: Iterable<string>, before: ReadonlyMap<string, Cause>, after: ReadonlyMap<string, Cause>): Map<string, Cause | undefined> {
  const changed = new Map<string, Cause | undefined>();
  for (const key of keys) {
    const cause = after.get(key);
    if (!sameCause(before.get(key), cause)) changed.set(key, cause);
  }
  return changed;
}

/** Attributes the whole estate from scratch at every run: the reference LiveAttribution is held to. */
export class WholeEstateAttribution implements Attributor {
  private readonly statuses = new Map<string, ScopeStatus>();
  private verdicts = new Map<string, Cause>();

  constructor(private readonly options: AttributionOptions = DEFAULT_ATTRIBUTION) {}

  set(status: ScopeStatus): void {
    this.statuses.set(status.key, status);
  }

  run(): Map<string, Cause | undefined> {
    const verdicts = attribute(this.statuses.values(), this.options);
    const changed = causesMoved(this.statuses.keys(), this.verdicts, verdicts);
    this.verdicts = verdicts;
    return changed;
  }

  causeOf(key: string): Cause | undefined {
    return this.verdicts.get(key);
  }
}
