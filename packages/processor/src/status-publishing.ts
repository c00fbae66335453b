// Which judged statuses go on the status topic: changes, not snapshots. A scope is published when
// its status changed or its reason says something else, at a window's end when any figure (or the
// figures its reason names) changed, when it has not been published for the refresh interval, and —
// a site — between window ends when a figure moved past a tolerance: a site's checks and availability
// move with nearly every event, and publishing every site at every tick was most of the status
// traffic, at rest and at scale. A site's time moves on without it (the partition's live edge,
// LiveEdge), so the board's clock and greying stay right. A reason names its evidence ("app p95 4.1 s
// … 212 checks"), so it moves with every check of a degraded scope: one that differs only in its
// numbers is a figure change, not a new reason. Pure.
import { ScopeFigures, type ScopeStatus } from '@wardwatch/schema';

/** How far a site's figures may move between window ends before it is published again. */
export interface FigureTolerance {
  /** Counts and times (checks, logons, quantiles in ms): relative to the figure last published. */
  relative: number;
  /** Availability (0..1): absolute. */
  availability: number;
  /** Wi-Fi signal median, dBm: absolute. */
  dbm: number;
}

/**
 * 2 % of a count or a time (the grid shows seconds to one decimal; a sketch's quantiles are within
 * 1 % anyway), a tenth of a point of availability (the grid's precision), 1 dB of signal.
 */
export const DEFAULT_FIGURE_TOLERANCE: FigureTolerance = { relative: 0.02, availability: 0.001, dbm: 1 };

export interface PublishContext {
  /** Event time of the evaluation. */
  end: number;
  /** A window's end: every scope judged, every figure that changed at all published. */
  full: boolean;
  /** When the scope was last published (event time). */
  publishedAt: number;
  refreshMs: number;
  tolerance: FigureTolerance;
}

/** Why `status` is published, given the one published last (undefined: it is not). */
export type PublishReason = 'first' | 'status' | 'figures' | 'refresh' | 'moved';

/**
 * What publishing reads of a judged scope: a whole status, or — in the processor, which builds a status
 * only once it is to be published — the parts of one.
 */
export type Judgement = Pick<ScopeStatus, 'scope' | 'status' | 'reason' | 'figures'>;

export function publishReason(last: ScopeStatus | undefined, status: Judgement, context: PublishContext): PublishReason | undefined {
  if (!last) return 'first';
  const reasonMoved = last.reason !== status.reason;
  if (last.status !== status.status || (reasonMoved && !sameWording(last.reason, status.reason))) return 'status';
  if (context.full && (reasonMoved || figuresChanged(last.figures, status.figures))) return 'figures';
  if (context.end - context.publishedAt >= context.refreshMs) return 'refresh';
  // Between window ends only sites' figures go out (a device's, from a few values, move with every event).
  if (status.scope === 'site' && figuresMovedPast(last.figures, status.figures, context.tolerance)) return 'moved';
  return undefined;
}

/**
 * Whether two reasons say the same but for their numbers ("212 checks" and "215 checks"): as if each
 * number (digits, and a fraction after a point) were one character '#'. Walked in place: a degraded
 * scope's reason moves with nearly every check, and two copies with the numbers replaced, at every
 * tick for every such scope, were the reasons' main garbage.
 */
export function sameWording(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const numberA = isDigit(a.charCodeAt(i));
    const numberB = isDigit(b.charCodeAt(j));
    if (numberA || numberB) {
      // A number stands for '#', so it matches another number or a '#' itself.
      if (!(numberA || a.charCodeAt(i) === HASH) || !(numberB || b.charCodeAt(j) === HASH)) return false;
      i = numberA ? afterNumber(a, i) : i + 1;
      j = numberB ? afterNumber(b, j) : j + 1;
      continue;
    }
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
    i++;
    j++;
  }
  return i === a.length && j === b.length;
}

const HASH = 0x23;
const POINT = 0x2e;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** The index after the number starting at `i`: /\d+(?:\.\d+)?/ — digits, then a point only if digits follow it. */
function afterNumber(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i + 1 < text.length && text.charCodeAt(i) === POINT && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/** Whether any figure changed, appeared or went (what a window's end publishes). */
export function figuresChanged(before: ScopeFigures, after: ScopeFigures): boolean {
  // Over the contract's fields (figures hold no others) instead of two Object.keys arrays per call.
  for (let i = 0; i < FIGURE_KEYS.length; i++) {
    const key = FIGURE_KEYS[i]!;
    if (before[key] !== after[key] || (key in before) !== (key in after)) return true;
  }
  return false;
}

/** Whether a figure appeared, went, or moved past `tolerance`. */
export function figuresMovedPast(before: ScopeFigures, after: ScopeFigures, tolerance: FigureTolerance): boolean {
  for (let i = 0; i < MOVING_KEYS.length; i++) {
    const key = MOVING_KEYS[i]!;
    const a = before[key];
    const b = after[key];
    if (a === b) {
      if ((key in before) !== (key in after)) return true;
      continue;
    }
    if (typeof a !== 'number' || typeof b !== 'number') return true; // null ↔ a figure
    const allowed = key === 'availability' ? tolerance.availability : key === 'wifiSignalDbm' ? tolerance.dbm : tolerance.relative * Math.abs(a);
    if (Math.abs(b - a) > allowed) return true;
  }
  return false;
}

const FIGURE_KEYS = Object.keys(ScopeFigures.shape) as Array<keyof ScopeFigures>;
/**
 * The figures a site is published for between window ends when they move: not its slow checks and
 * logons — a site's few slow ones move from 0 to 1 and on with each, and what they decide (a status
 * or its reason) is published by itself; they go out at the window's end with the rest.
 */
const MOVING_KEYS = FIGURE_KEYS.filter((key) => key !== 'slowAppChecks' && key !== 'slowLogons');
