// Counts by integer key on one Float64Array (count of key k at k − from), grown as keys arrive: the
// bins of the sketches the pack sums are a few hundred neighbouring keys, so adding a bin is an index
// and an add — no hashing, no entry object, nothing for the collector.

const EMPTY = new Float64Array(0);
/** Room made on each side of the first key (a tally's keys mostly land within it). */
const FIRST_ROOM = 32;
/** Room made on each side of a span first added whole (a merge, or a device's month of bins). */
const SPAN_ROOM = 4;

export class KeyCounts {
  /** counts[k − from] is key k's count. */
  counts: Float64Array = EMPTY;
  from = 0;

  add(key: number, n: number): void {
    let i = key - this.from;
    if (i < 0 || i >= this.counts.length) i = this.make(key, key, FIRST_ROOM) - this.from;
    this.counts[i] += n;
  }

  /** Makes room for keys lo … hi (a sketch's span, before its bins), so they are not added growing. */
  reserve(lo: number, hi: number): void {
    if (lo - this.from < 0 || hi - this.from >= this.counts.length) this.make(lo, hi, SPAN_ROOM);
  }

  /** Adds another's counts key by key. */
  addAll(other: KeyCounts): void {
    const c = other.counts;
    let lo = 0;
    let hi = c.length - 1;
    while (lo <= hi && c[lo] === 0) lo++;
    while (hi >= lo && c[hi] === 0) hi--;
    if (lo > hi) return;
    this.make(other.from + lo, other.from + hi, SPAN_ROOM);
    const at = other.from - this.from;
    const own = this.counts;
    for (let i = lo; i <= hi; i++) own[at + i] += c[i]!;
  }

  /**
   * Becomes `a` less `b` key by key, each count at least 0, in one array of a's span (made once, not
   * grown key by key); returns the counts' sum.
   */
  setLess(a: KeyCounts, b: KeyCounts): number {
    const c = a.counts;
    const out = c.length === 0 ? EMPTY : new Float64Array(c.length);
    let total = 0;
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0) continue;
      const j = a.from + i - b.from;
      const left = c[i]! - (j >= 0 && j < b.counts.length ? b.counts[j]! : 0);
      if (left > 0) (out[i] = left), (total += left);
    }
    this.counts = out;
    this.from = a.from;
    return total;
  }

  /** Sets every count to 0, keeping the array. */
  clear(): void {
    this.counts.fill(0);
  }

  /** Makes room for keys lo … hi (both in the array after; `room` more each side when first made); returns `lo`. */
  private make(lo: number, hi: number, room: number): number {
    const len = this.counts.length;
    if (len === 0) {
      this.from = lo - room;
      this.counts = new Float64Array(hi - lo + 1 + 2 * room);
      return lo;
    }
    const end = this.from + len;
    if (lo >= this.from && hi < end) return lo;
    // Grown at least twofold, the new room on the side that ran out (keys drift one way: a slow month).
    const from = Math.min(lo, this.from);
    const to = Math.max(hi + 1, end);
    const size = Math.max(2 * len, to - from + FIRST_ROOM);
    const start = lo < this.from ? to - size : from;
    const grown = new Float64Array(size);
    grown.set(this.counts, this.from - start);
    this.counts = grown;
    this.from = start;
    return lo;
  }
}
