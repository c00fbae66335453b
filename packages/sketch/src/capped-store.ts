// A DDSketch store of at most `binLimit` bins that collapses its lowest bins into one when a wider
// range arrives (DDSketch's "collapsing lowest dense store": the high quantiles stay exact to the
// relative accuracy). The library ships one, but its collapse and merge sum one bin too many (its
// range sum is inclusive where the callers pass an exclusive end), which double-counts a bin or reads
// past the array (NaN); this is the same store with those sums right.
import { createRequire } from 'node:module';

/** The parts of the library's DenseStore this class builds on. */
interface DenseStoreBase {
  bins: number[];
  count: number;
  minKey: number;
  maxKey: number;
  offset: number;
  chunkSize: number;
  length(): number;
  add(key: number, weight?: number): void;
  copy(store: DenseStoreBase): void;
  _extendRange(key: number, secondKey?: number): void;
  _shiftBins(shift: number): void;
  _centerBins(newMinKey: number, newMaxKey: number): void;
}

const require = createRequire(import.meta.url);
const { DenseStore } = require('@datadog/sketches-js/dist/ddsketch/store/index.js') as { DenseStore: new () => DenseStoreBase };

/** A run of zeros new bins are cut from: a slice of it is a packed array, made in one copy. */
const ZEROS: readonly number[] = Array.from({ length: 2048 }, () => 0);

/**
 * `length` zero bins. `new Array(length).fill(0)` made a holey array and filled it element by element:
 * the bins of the sketches a window's end builds took ~3× as long (a micro-benchmark of 128 bins).
 */
export function zeroBins(length: number): number[] {
  return length <= ZEROS.length ? ZEROS.slice(0, length) : new Array<number>(length).fill(0);
}

export class CappedStore extends DenseStore {
  isCollapsed: boolean;
  readonly binLimit: number;

  constructor(binLimit: number) {
    super();
    // Written twice on purpose: V8 then keeps `binLimit` a mutable field rather than a constant one.
    // Measured on the processor's full path (the bench's 400,000 events, CPU time, runs alternated):
    // ~3.8 s with the field written once, ~2.8 s written twice — and the class-field semantics
    // (useDefineForClassFields, which define it undefined first) gave the same 2.8 s. Keep it so
    // until a V8 release shows no difference (capped-store.test.ts checks the store, not its speed).
    this.binLimit = 0;
    this.isCollapsed = false;
    this.binLimit = binLimit;
  }

  merge(store: DenseStoreBase): void {
    if (store.count === 0) return;
    if (this.count === 0) {
      this.copy(store);
      return;
    }
    if (store.minKey < this.minKey || store.maxKey > this.maxKey) this._extendRange(store.minKey, store.maxKey);
    const lowest = this.minKey - this.offset;
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const n = store.bins[key - store.offset];
      if (n) this.bins[key < this.minKey ? lowest : key - this.offset]! += n;
    }
    this.count += store.count;
  }

  override copy(store: DenseStoreBase): void {
    // One copy of the bins (the library's spread made two arrays).
    this.bins = store.bins.slice();
    this.count = store.count;
    this.minKey = store.minKey;
    this.maxKey = store.maxKey;
    this.offset = store.offset;
    this.isCollapsed = (store as Partial<CappedStore>).isCollapsed ?? false;
  }

  // The library's range growing and re-centring, the same bins and offsets, without the arrays it made
  // for them: zeros to append, a slice and zeros to unshift at every re-centring (a sketch's bins move
  // at most keys that land outside them — a processor's cells re-centre thousands of times a minute).
  override _extendRange(key: number, secondKey?: number): void {
    secondKey = secondKey || key;
    const newMinKey = Math.min(key, secondKey, this.minKey);
    const newMaxKey = Math.max(key, secondKey, this.maxKey);
    const length = this.bins.length;
    if (length === 0) {
      this.bins = zeroBins(this._getNewLength(newMinKey, newMaxKey));
      this.offset = newMinKey;
      this._adjust(newMinKey, newMaxKey);
    } else if (newMinKey >= this.minKey && newMaxKey < this.offset + length) {
      this.minKey = newMinKey;
      this.maxKey = newMaxKey;
    } else {
      const newLength = this._getNewLength(newMinKey, newMaxKey);
      const bins = this.bins;
      for (let i = length; i < newLength; i++) bins.push(0);
      this._adjust(newMinKey, newMaxKey);
    }
  }

  override _shiftBins(shift: number): void {
    const bins = this.bins;
    const n = bins.length;
    // Plain loops: Array.prototype.copyWithin takes V8's generic path (a property check per element).
    if (shift > 0 && shift < n) {
      for (let i = n - 1; i >= shift; i--) bins[i] = bins[i - shift]!;
      for (let i = 0; i < shift; i++) bins[i] = 0;
    } else if (shift < 0 && -shift < n) {
      const by = -shift;
      for (let i = 0; i < n - by; i++) bins[i] = bins[i + by]!;
      for (let i = n - by; i < n; i++) bins[i] = 0;
    } else if (shift !== 0) {
      super._shiftBins(shift); // as far as the whole array or more: the library's (it changes the length)
      return;
    }
    this.offset -= shift;
  }

  _getNewLength(newMinKey: number, newMaxKey: number): number {
    return Math.min(this.chunkSize * Math.ceil((newMaxKey - newMinKey + 1) / this.chunkSize), this.binLimit);
  }

  _adjust(newMinKey: number, newMaxKey: number): void {
    if (newMaxKey - newMinKey + 1 <= this.length()) {
      this._centerBins(newMinKey, newMaxKey);
      this.minKey = newMinKey;
      this.maxKey = newMaxKey;
      return;
    }
    // Too wide: keep the highest `length` keys, the ones below fold into the lowest kept.
    newMinKey = newMaxKey - this.length() + 1;
    if (newMinKey >= this.maxKey) {
      this.offset = this.minKey = newMinKey;
      this.bins.fill(0);
      this.bins[0] = this.count;
    } else {
      const shift = this.offset - newMinKey;
      if (shift < 0) {
        const start = this.minKey - this.offset;
        const end = newMinKey - this.offset; // exclusive
        let collapsed = 0;
        for (let i = start; i < end; i++) collapsed += this.bins[i]!;
        this.bins.fill(0, start, end);
        this.bins[end]! += collapsed;
      }
      this.minKey = newMinKey;
      this._shiftBins(shift);
    }
    this.maxKey = newMaxKey;
    this.isCollapsed = true;
  }

  _getIndex(key: number): number {
    if (key < this.minKey) {
      if (this.isCollapsed) return this.minKey - this.offset;
      this._extendRange(key);
      if (this.isCollapsed && key < this.minKey) return this.minKey - this.offset;
    } else if (key > this.maxKey) {
      this._extendRange(key);
    }
    return key - this.offset;
  }
}
