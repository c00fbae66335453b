// Statuses reach the board in batches — one per partition, per read of the status topic — several for
// one status tick. Applying a batch re-attributes every degraded scope against its peers across the
// whole estate, so applying each batch as it comes cost most of an idle server's CPU once statuses
// ticked every second. The feed gathers what arrives and applies it at most every `intervalMs`: one
// attribution per interval, whatever the number of batches; the first batch after a quiet spell goes
// at once.
import type { ScopeStatus } from '@wardwatch/schema';
import type { StatusBoard } from './status-board.ts';

export class StatusBoardFeed {
  private pending: ScopeStatus[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastAppliedAt = -Infinity;

  constructor(
    private readonly board: StatusBoard,
    private readonly intervalMs = 500,
    private readonly now: () => number = Date.now,
  ) {}

  push(statuses: readonly ScopeStatus[]): void {
    if (statuses.length === 0) return;
    for (const status of statuses) this.pending.push(status);
    if (this.timer) return;
    const wait = this.lastAppliedAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Applies whatever is waiting now (also at shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const statuses = this.pending;
    this.pending = [];
    this.lastAppliedAt = this.now();
    this.board.applyAll(statuses);
  }
}
