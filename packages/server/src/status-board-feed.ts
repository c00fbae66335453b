// Statuses reach the board in batches — a message from the processor thread per round of its status
// reads, more when other messages come between them. Each apply may attribute again (when it changes
// what attribution reads: the sites it touched, and a degraded site's comparison with every other),
// so the feed gathers what arrives for a moment and applies
// it together: `gatherMs` after the first status of a quiet spell, so the rest of the round joins it,
// and never sooner than `minIntervalMs` after the last apply, so a flood of batches costs at most one
// apply per interval. The wait is feedDelay's, a pure function of the times.
import type { LiveEdge, ScopeStatus } from '@wardwatch/schema';
import type { StatusBoard } from './status-board.ts';

export interface FeedTiming {
  /** How long the first status of a quiet spell waits for the rest of its round. */
  gatherMs: number;
  /** Least time between two applies. */
  minIntervalMs: number;
}

/** The processor delivers a round every quarter second: gathered briefly, and applied as it comes. */
export const DEFAULT_FEED_TIMING: FeedTiming = { gatherMs: 10, minIntervalMs: 100 };

/**
 * A source whose every round comes in one message (the embedded pipeline's one processor thread:
 * its outbox sends a round at once): nothing to gather, so a round is applied as it arrives — no
 * timer, no second wake of the thread — unless it comes within the interval of the last apply.
 */
export const WHOLE_ROUND_FEED_TIMING: FeedTiming = { gatherMs: 0, minIntervalMs: 100 };

/** How long statuses arriving at `now` wait before the board gets them. */
export function feedDelay(now: number, lastAppliedAt: number, { gatherMs, minIntervalMs }: FeedTiming): number {
  return Math.max(gatherMs, lastAppliedAt + minIntervalMs - now);
}

export class StatusBoardFeed {
  private pending: ScopeStatus[] = [];
  private pendingEdges: LiveEdge[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastAppliedAt = -Infinity;

  constructor(
    private readonly board: StatusBoard,
    private readonly timing: FeedTiming = DEFAULT_FEED_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  push(statuses: readonly ScopeStatus[], edges: readonly LiveEdge[] = []): void {
    if (statuses.length === 0 && edges.length === 0) return;
    for (const status of statuses) this.pending.push(status);
    for (const edge of edges) this.pendingEdges.push(edge);
    if (this.timer) return;
    const delay = feedDelay(this.now(), this.lastAppliedAt, this.timing);
    if (delay <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), delay);
  }

  /** Applies whatever is waiting now (also at shutdown, and when a stepped clock's step ends). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 && this.pendingEdges.length === 0) return;
    const statuses = this.pending;
    const edges = this.pendingEdges;
    this.pending = [];
    this.pendingEdges = [];
    this.lastAppliedAt = this.now();
    this.board.applyAll(statuses, edges);
  }
}
