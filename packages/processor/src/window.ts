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

  constructor(private readonly lagMs: number) {}

  get value(): number {
    return Math.max(this.highest - this.lagMs, this.pushed);
  }

  observe(eventTime: number): void {
    if (eventTime > this.highest) this.highest = eventTime;
  }

  advanceTo(time: number): void {
    if (time > this.pushed) this.pushed = time;
  }

  /** For snapshots. */
  get state(): { highest: number; pushed: number } {
    return { highest: this.highest, pushed: this.pushed };
  }

  static from(lagMs: number, state: { highest: number; pushed: number }): Watermark {
    const watermark = new Watermark(lagMs);
    watermark.highest = state.highest ?? -Infinity;
    watermark.pushed = state.pushed ?? -Infinity;
    return watermark;
  }
}
