// Robust statistics for peer comparison: medians and the median absolute deviation, which a few
// broken peers cannot drag the way they drag a mean and a standard deviation.

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The lower median: for an even count, the smaller of the middle pair. A group's typical member by
 * this measure is slow only when more than half its members are, so one slow device of two does not
 * make its access point look slow.
 */
export function lowerMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** Median absolute deviation scaled to estimate a standard deviation for normal data (× 1.4826). */
export function mad(values: readonly number[]): number | null {
  const centre = median(values);
  if (centre === null) return null;
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)))!;
}

export interface OutlierRule {
  /** How many scaled MADs above the peers' median a value must be. */
  deviations: number;
  /** And at least this far above the median in absolute terms (noise floor). */
  minExcess: number;
  /** And at least this multiple of the median (1 = no ratio test). */
  minRatio: number;
}

/**
 * Whether `value` stands out above its peers. Needs at least two peers: one peer is an anecdote.
 * All three tests must pass, so tight peers (MAD ≈ 0) do not turn noise into verdicts.
 */
export function standsOut(value: number, peers: readonly number[], rule: OutlierRule): boolean {
  if (peers.length < 2) return false;
  const centre = median(peers)!;
  const spread = mad(peers)!;
  return value > centre + Math.max(rule.deviations * spread, rule.minExcess) && value >= centre * rule.minRatio;
}
