// What ingest refused, for the server's log: one line per reason at most once a window (a misbehaving
// sender can send thousands a second), with how many and the first refusal's words — so an operator
// reading the log can tell why an agent's `delivery.rejected` grows without reading the dead letters.

export interface RejectionSummary {
  reason: string;
  /** Refusals for this reason in the window. */
  count: number;
  /** The first one's message, e.g. "body.bssid: must be lower-case hex pairs …". */
  example: string;
  /** The window, epoch ms. */
  from: number;
  to: number;
}

export class RejectionSummaries {
  private readonly open = new Map<string, { count: number; example: string; from: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (summary: RejectionSummary) => void,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A refusal: the first of a reason in a window is written at once, the rest summed at the window's end. */
  note(reason: string, message: string): void {
    const now = this.clock();
    const current = this.open.get(reason);
    if (current) {
      current.count++;
      return;
    }
    this.write({ reason, count: 1, example: message, from: now, to: now });
    this.open.set(reason, { count: 0, example: message, from: now });
    this.timer ??= setTimeout(() => this.flush(), this.windowMs).unref();
  }

  /** Writes the refusals counted since each reason's first line, and starts afresh. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.clock();
    for (const [reason, { count, example, from }] of this.open) if (count > 0) this.write({ reason, count, example, from, to: now });
    this.open.clear();
  }
}
