// A multiset of numbers kept in ascending order in a typed array: a value in or out costs a binary
// search and a move of the values above it, so a few changes need no sort of the whole.
import { lowerBound, SortedSample } from './robust.ts';

export class SortedValues {
  private values = new Float64Array(64);
  private count = 0;

  /** Replaces the contents with `values` (any order): one sort. */
  reset(values: readonly number[]): void {
    if (values.length > this.values.length) this.values = new Float64Array(values.length * 2);
    this.values.set(values);
    this.count = values.length;
    this.values.subarray(0, this.count).sort();
  }

  insert(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const at = lowerBound(this.values, this.count, value);
    this.values.copyWithin(at + 1, at, this.count);
    this.values[at] = value;
    this.count++;
  }

  /** Takes one `value` out; false (nothing changed) when it is not there. */
  remove(value: number): boolean {
    const at = lowerBound(this.values, this.count, value);
    if (at === this.count || this.values[at] !== value) return false;
    this.values.copyWithin(at, at + 1, this.count);
    this.count--;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** The values as a sample (a view: valid until the next change). */
  sample(): SortedSample {
    return new SortedSample(this.values.subarray(0, this.count));
  }
}
