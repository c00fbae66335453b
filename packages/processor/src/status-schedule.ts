// When a processor evaluates statuses, and as of what time. Evaluations are rate-limited on a grid of
// `intervalMs` in event time — at most one per cell of it, and one per advance — and a window's end
// always gets its own: the evaluation there judges every scope and publishes every figure that moved,
// so one that a busy advance skipped past would leave the board without that window's figures. Between
// window ends, an evaluation is as of the live edge itself (what has been counted), not the grid line
// before it, which would show the figures up to an interval older than they are.
import { windowStart } from './window.ts';

export interface StatusEvaluation {
  /** Event time the statuses are as of. */
  end: number;
  /** A window's end: every scope is judged. */
  full: boolean;
  /** The earliest live edge at which the next evaluation is due. */
  nextDueEnd: number;
}

/**
 * The evaluation due at `liveEdge`, if any, given when the next was due (−∞: no window seen yet).
 * `intervalMs` divides `windowMs`, so window ends lie on the grid.
 */
export function statusEvaluationDue(liveEdge: number, nextDueEnd: number, windowMs: number, intervalMs: number): StatusEvaluation | undefined {
  if (nextDueEnd === -Infinity) return undefined;
  const tick = windowStart(liveEdge, intervalMs);
  if (tick < nextDueEnd) return undefined;
  const windowEnd = windowStart(liveEdge, windowMs);
  // A window's end not evaluated yet comes first; the ticks after it follow at the next advance.
  if (windowEnd >= nextDueEnd) return { end: windowEnd, full: true, nextDueEnd: windowEnd + intervalMs };
  return { end: liveEdge, full: false, nextDueEnd: tick + intervalMs };
}
