// Anti-replay over a device's sequence numbers (as in IPsec): the highest seq seen plus a bitmap of
// the 128 below it. Constant state per device; a seq more than 128 behind the highest is treated as
// a replay, which holds because agents send their spool in order.

const BITS = 128;

export class ReplayWindow {
  highest = -1;
  /** Bit i set = seq (highest - i) seen; 4 × 32 bits, word 0 holds i = 0..31. */
  readonly bitmap = new Uint32Array(BITS / 32);

  /** Records the seq; false when it was seen already (or is too old to tell). */
  accept(seq: number): boolean {
    if (seq > this.highest) {
      this.shift(this.highest < 0 ? BITS : seq - this.highest);
      this.highest = seq;
      this.bitmap[0]! |= 1;
      return true;
    }
    const offset = this.highest - seq;
    if (offset >= BITS) return false;
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if (this.bitmap[word]! & bit) return false;
    this.bitmap[word]! |= bit;
    return true;
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
