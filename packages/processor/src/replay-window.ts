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
  // Bit i set = seq (highest − i) seen; 4 × 32 bits, word 0 holds i = 0..31 — as int32 fields of this
  // object, not a Uint32Array: every event reads the window, and the typed array was two more objects
  // to load from memory (a device's window is cold: it is read once a minute or so), and clearing it
  // (nearly every event: agents' seqs follow their clock, so consecutive ones are thousands apart) a
  // call of the built-in fill.
  private word0 = 0;
  private word1 = 0;
  private word2 = 0;
  private word3 = 0;
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
      this.word0 |= 1;
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
      this.word1 = this.word2 = this.word3 = 0;
      this.word0 = 1;
      this.highest = seq;
      this.latestTs = ts;
      return 'restart';
    }
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    const bits = this.word(word);
    if (bits & bit) return 'duplicate';
    this.setWord(word, bits | bit);
    if (ts > this.latestTs) this.latestTs = ts;
    return 'new';
  }

  /** The four words as unsigned 32-bit numbers, word 0 first (as snapshots keep them). */
  get bitmap(): number[] {
    return [this.word0 >>> 0, this.word1 >>> 0, this.word2 >>> 0, this.word3 >>> 0];
  }

  /** Sets the first `words.length` words (at most four), each taken as a 32-bit word — as Uint32Array.set did. */
  setBitmap(words: readonly number[]): void {
    if (words.length > BITS / 32) throw new RangeError(`a replay bitmap has ${BITS / 32} words; got ${words.length}`);
    for (let i = 0; i < words.length; i++) this.setWord(i, words[i]! | 0);
  }

  get state(): ReplayState {
    return { highest: this.highest, bitmap: this.bitmap, latestTs: this.latestTs };
  }

  restore(state: ReplayState): void {
    this.highest = state.highest;
    this.setBitmap(state.bitmap);
    this.latestTs = state.latestTs;
    this.beforeJump = undefined;
  }

  private word(i: number): number {
    return i === 0 ? this.word0 : i === 1 ? this.word1 : i === 2 ? this.word2 : this.word3;
  }

  private setWord(i: number, value: number): void {
    if (i === 0) this.word0 = value;
    else if (i === 1) this.word1 = value;
    else if (i === 2) this.word2 = value;
    else this.word3 = value;
  }

  /** Moves every bit `by` places up (older), bits past 128 dropped, as the highest seq moves up by `by`. */
  private shift(by: number): void {
    if (by >= BITS) {
      this.word0 = this.word1 = this.word2 = this.word3 = 0;
      return;
    }
    const w0 = this.word0;
    const w1 = this.word1;
    const w2 = this.word2;
    const w3 = this.word3;
    this.word0 = shiftedWord(w0, w1, w2, w3, 0, by);
    this.word1 = shiftedWord(w0, w1, w2, w3, 1, by);
    this.word2 = shiftedWord(w0, w1, w2, w3, 2, by);
    this.word3 = shiftedWord(w0, w1, w2, w3, 3, by);
  }
}

/**
 * Word `i` of the 128-bit bitmap (words `w0`…`w3`, word 0 the lowest) shifted up by `by` bits
 * (0 ≤ by < 128), as an int32: the bits below come from the words under it, zeros from below word 0.
 */
export function shiftedWord(w0: number, w1: number, w2: number, w3: number, i: number, by: number): number {
  const from = i - (by >>> 5);
  const bits = by & 31;
  const high = wordOf(w0, w1, w2, w3, from);
  if (bits === 0) return high | 0;
  return (high << bits) | (wordOf(w0, w1, w2, w3, from - 1) >>> (32 - bits));
}

const wordOf = (w0: number, w1: number, w2: number, w3: number, i: number): number => (i === 0 ? w0 : i === 1 ? w1 : i === 2 ? w2 : i === 3 ? w3 : 0);
