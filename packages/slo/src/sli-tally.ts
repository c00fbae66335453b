// What the monotonic SLI counters on /metrics (`wardwatch_sli_events_total`, `…good…`) have counted of
// one SLO and target scope, minute by minute over the last few, so that they keep to the store's rows:
// a minute written after an evaluation passed it (a lagging processor's, or one partition's minute
// behind another's in the trust-wide count) and a minute a late correction added to while it was
// recent are counted when they change, by what changed, rather than passed over. Pure: the caller owns
// the counters.
import type { IndicatorKind } from './definition.ts';
import type { SliCounter, SliCounts } from './sli-counter.ts';

/**
 * How far behind the settled minute changed minutes are looked for. Not further: Prometheus's
 * `increase()` counts events when the counters move, not at the minute they belong to, so an old
 * outage's failures added now (a spool flushed an hour after the link came back) would read as a burn
 * now, and the generated rules would page for an outage long over. Within this, a minute counted late
 * lands in the rules' windows at most this far from its own time. An older correction is in the store,
 * the budgets, wardwatch's own alerts and the evidence pack, not in the counters.
 */
export const SLI_TALLY_LOOK_BACK_MS = 10 * 60_000;

export class SliTally {
  /** What has been counted of each minute still inside the look-back, by its start. */
  private readonly counted = new Map<number, SliCounts>();

  /** Counting starts at `from` (a process's first evaluation: its counters start at zero). */
  constructor(
    private readonly from: number,
    private readonly lookBackMs = SLI_TALLY_LOOK_BACK_MS,
  ) {}

  /**
   * The increments for the counters as of `settled` (minutes that end by it): every 1-minute rollup
   * since counting started and inside the look-back, less what was counted of it before.
   */
  step(counter: SliCounter, scope: string, indicator: IndicatorKind, settled: number): SliCounts {
    const since = Math.max(this.from, settled - this.lookBackMs);
    for (const start of this.counted.keys()) if (start < since) this.counted.delete(start);
    const increment = { good: 0, valid: 0 };
    counter.forEachMinute(scope, indicator, since, settled, (start, now) => {
      const before = this.counted.get(start);
      if (before && before.valid === now.valid && before.good === now.good) return;
      // Rows only grow (a correction adds events). One written again smaller — the counters cannot go
      // back — is held at what was counted, so that growing back to it adds nothing twice.
      const valid = Math.max(now.valid, before?.valid ?? 0);
      const good = Math.max(now.good, before?.good ?? 0);
      increment.valid += valid - (before?.valid ?? 0);
      increment.good += good - (before?.good ?? 0);
      this.counted.set(start, { valid, good });
    });
    return increment;
  }
}
