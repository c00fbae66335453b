// Tumbling-window alignment and the watermark, in event time (epoch ms, UTC).

/** Start of the window of size `sizeMs` holding `ts` (windows align to the epoch, so to UTC minutes/hours). */
export function windowStart(ts: number, sizeMs: number): number {
  return ts - (((ts % sizeMs) + sizeMs) % sizeMs);
}

/**
 * Bounded out-of-orderness: the watermark trails the highest event time seen by a fixed lag, and can
 * be pushed forward (never back) when the source is idle.
 */
export class Watermark {
  private highest = -Infinity;
  private pushed = -Infinity;
  /** Highest event time received, never past the receiving clock: the live edge. */
  private live = -Infinity;

  constructor(private readonly lagMs: number) {}

  get value(): number {
    return Math.max(this.highest - this.lagMs, this.pushed);
  }

  /**
   * How far live figures reach: the newest event time received (no further than the receiving clock)
   * — the lag is for closing windows, not for showing what has been counted — or the watermark when
   * an idle source has had it pushed further.
   */
  get liveEdge(): number {
    return Math.max(this.live, this.value);
  }

  /** `liveTime`: the event's time, capped at the receiving clock when known (default: `eventTime`). */
  observe(eventTime: number, liveTime = eventTime): void {
    if (eventTime > this.highest) this.highest = eventTime;
    if (liveTime > this.live) this.live = liveTime;
  }

  /** The source has delivered everything before `time`: the live edge reaches it (the watermark does not move). */
  reach(time: number): void {
    if (time > this.live) this.live = time;
  }

  advanceTo(time: number): void {
    if (time > this.pushed) this.pushed = time;
  }

  /** For snapshots. */
  get state(): { highest: number; pushed: number; live: number } {
    return { highest: this.highest, pushed: this.pushed, live: this.live };
  }

  static from(lagMs: number, state: { highest: number; pushed: number; live?: number }): Watermark {
    const watermark = new Watermark(lagMs);
    watermark.highest = state.highest ?? -Infinity;
    watermark.pushed = state.pushed ?? -Infinity;
    // Snapshots from before the live edge: the watermark is where it was.
    watermark.live = state.live ?? watermark.value;
    return watermark;
  }
}
