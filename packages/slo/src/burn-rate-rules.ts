// The multiwindow, multi-burn-rate table (SRE workbook table 5-8 with Sloth's extra ticket row).
import { parseSloDuration } from './duration.ts';
import type { Severity } from './definition.ts';

export interface BurnRateRule {
  severity: Severity;
  /** Fires when the burn rate is at least this over BOTH windows. */
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  longWindowMs: number;
  shortWindowMs: number;
}

export interface BurnRateRuleInput {
  severity: Severity;
  burnRate: number;
  longWindow: string;
  shortWindow: string;
}

export function burnRateRule(input: BurnRateRuleInput): BurnRateRule {
  const longWindowMs = parseSloDuration(input.longWindow);
  const shortWindowMs = parseSloDuration(input.shortWindow);
  if (longWindowMs === undefined || shortWindowMs === undefined) {
    throw new RangeError(`burn-rate rule windows must be durations such as "1h" or "5m"; got ${input.longWindow} and ${input.shortWindow}`);
  }
  if (shortWindowMs >= longWindowMs) throw new RangeError(`burn-rate rule short window ${input.shortWindow} must be shorter than ${input.longWindow}`);
  if (!(input.burnRate > 0)) throw new RangeError(`burn-rate rule rate must be greater than 0; got ${input.burnRate}`);
  return { ...input, longWindowMs, shortWindowMs };
}

/**
 * Sloth's defaults for a 30-day window: 2 % of the budget gone in 1 h or 5 % in 6 h pages;
 * 10 % in 1 d or 3 d (at burn 3 and 1) opens a ticket.
 */
export const BURN_RATE_RULES: readonly BurnRateRule[] = Object.freeze([
  burnRateRule({ severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m' }),
  burnRateRule({ severity: 'page', burnRate: 6, longWindow: '6h', shortWindow: '30m' }),
  burnRateRule({ severity: 'ticket', burnRate: 3, longWindow: '1d', shortWindow: '2h' }),
  burnRateRule({ severity: 'ticket', burnRate: 1, longWindow: '3d', shortWindow: '6h' }),
]);
