// Anti-replay over a device's sequence numbers (as in IPsec): the highest seq seen plus a bitmap of
// the 128 below it, and the latest event time accepted. Constant state per device. A seq up to 128
// behind the highest is told apart exactly; one further behind is a replay (agents send their spool
// in order and retry a batch as it was), unless the sequence has plainly restarted: the seq is
// absurdly far behind (one bogus seq such as 2^53 − 1 must not silence the device for ever), or the
// event is newer than anything accepted by more than RESTART_AFTER_MS (a replay carries old times).
// Agents' seqs follow their clock (ts × 1000), so gaps of millions between neighbours are ordinary:
// the distance bound is measured in days of such seqs, not in counts of events.
//
// A jump ahead beyond the bound keeps the window as it was before it: if the next seq comes back
// below the jump, the jump was the bogus one, and the sequence carries on from that window — its
// retries still recognised — rather than starting from nothing.

const BITS = 128;

/**
 * A seq this far from the highest, behind or ahead, starts a new sequence (counted as a restart):
 * 2^40 is 12.7 days of clock-tied agent seqs (ts × 1000 — 8.64 × 10^10 a day), past the 7-day spool
 * (a simulator's ts × 16: two years), and a few thousandths of the distance from any real seq to
 * 2^53 − 1.
 */
export const RESTART_DISTANCE = 2 ** 40;

/**
 * A seq behind the window whose event is this much newer than every accepted one is not a replay but
 * a restarted sequence: a retried batch carries the times it had (give or take a skew estimate).
 */
export const RESTART_AFTER_MS = 10 * 60_000;

/** 'new': counted. 'duplicate': seen already (or too old to tell). 'restart': counted, sequence restarted. */
export type SeqVerdict = 'new' | 'duplicate' | 'restart';

/** The window's state, as snapshots keep it. */
export interface ReplayState {
  highest: number;
  bitmap: number[];
  latestTs: number;
}

export class ReplayWindow {
  highest = -1;
  /** Bit i set = seq (highest - i) seen; 4 × 32 bits, word 0 holds i = 0..31. */
  readonly bitmap = new Uint32Array(BITS / 32);
  /** Latest event time accepted (−∞ before any). */
  latestTs = -Infinity;
  /** The window before the last jump ahead beyond RESTART_DISTANCE, until the next seq tells. */
  beforeJump: ReplayState | undefined = undefined;

  /** Records the seq of an event at `ts`. */
  accept(seq: number, ts: number): SeqVerdict {
    if (seq > this.highest) {
      const jump = seq - this.highest;
      const fresh = this.highest < 0;
      const far = !fresh && jump > RESTART_DISTANCE;
      // A seq beyond the jump: the jump was real (a long-offline device), the old window is done with.
      this.beforeJump = far ? this.state : undefined;
      this.shift(fresh ? BITS : jump);
      this.highest = seq;
      this.bitmap[0]! |= 1;
      if (ts > this.latestTs) this.latestTs = ts;
      return far ? 'restart' : 'new';
    }
    const offset = this.highest - seq;
    if (offset >= BITS) {
      if (offset <= RESTART_DISTANCE && !(ts > this.latestTs + RESTART_AFTER_MS)) return 'duplicate';
      const before = this.beforeJump;
      if (before && seq <= before.highest + RESTART_DISTANCE) {
        // Back below a bogus jump (counted once, as the jump): judged by the window from before it,
        // where a retry is a duplicate.
        this.restore(before);
        return this.accept(seq, ts);
      }
      this.beforeJump = undefined;
      this.bitmap.fill(0);
      this.highest = seq;
      this.bitmap[0] = 1;
      this.latestTs = ts;
      return 'restart';
    }
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if (this.bitmap[word]! & bit) return 'duplicate';
    this.bitmap[word]! |= bit;
    if (ts > this.latestTs) this.latestTs = ts;
    return 'new';
  }

  get state(): ReplayState {
    return { highest: this.highest, bitmap: [...this.bitmap], latestTs: this.latestTs };
  }

  restore(state: ReplayState): void {
    this.highest = state.highest;
    this.bitmap.set(state.bitmap);
    this.latestTs = state.latestTs;
    this.beforeJump = undefined;
  }

  private shift(by: number): void {
    const bitmap = this.bitmap;
    if (by >= BITS) {
      bitmap.fill(0);
      return;
    }
    const words = by >>> 5;
    const bits = by & 31;
    for (let i = bitmap.length - 1; i >= 0; i--) {
      const from = i - words;
      let value = from >= 0 ? bitmap[from]! << bits : 0;
      if (bits > 0 && from - 1 >= 0) value |= bitmap[from - 1]! >>> (32 - bits);
      bitmap[i] = value >>> 0;
    }
  }
}
