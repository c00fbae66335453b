// When each device's periodic checks fall. A device makes a check of one kind every `cadence` ms, at
// its own offset (its phase plus a shift per kind of check). A Schedule holds the devices in order of
// that offset, ties by position in the estate, so the checks of any span are read off in time order
// by a cursor instead of being generated device by device and sorted: a span costs its events, not
// the estate.
import { PHASE_SPAN_MS } from './device-table.ts';

export class Schedule {
  /**
   * @param phase every device's phase, ms in [0, PHASE_SPAN_MS)
   * @param members the positions of the devices that make this check, ascending
   * @param slot the seq slot of its events (seq = ts × 16 + slot)
   */
  private constructor(
    readonly cadence: number,
    readonly shift: number,
    readonly slot: number,
    private readonly phase: Int32Array,
    /** Member positions by (offset, position), read from `start` on and round. */
    private readonly order: Int32Array,
    private readonly start: number,
  ) {}

  /**
   * One schedule per kind of check. `byPhase` holds the members ordered by (phase, position): when the
   * cadence is at least the phase span, offset = (phase + shift) mod cadence wraps at most once, so
   * the order by offset is that order started at the first device that wraps, and is shared.
   */
  static of(cadence: number, shift: number, slot: number, phase: Int32Array, byPhase: Int32Array): Schedule {
    if (cadence >= PHASE_SPAN_MS) {
      const wrapsAt = cadence - (shift % cadence);
      return new Schedule(cadence, shift, slot, phase, byPhase, firstIndex(byPhase.length, (i) => phase[byPhase[i]!]! >= wrapsAt));
    }
    // Offsets wrap several times within the phase span: sort by (offset, position) outright.
    const n = phase.length;
    const keys = new Float64Array(byPhase.length);
    byPhase.forEach((pos, i) => (keys[i] = ((phase[pos]! + shift) % cadence) * n + pos));
    keys.sort();
    return new Schedule(cadence, shift, slot, phase, Int32Array.from(keys, (k) => k % n), 0);
  }

  /** Devices ordered by (phase, position), of all or of some. */
  static byPhase(phase: Int32Array, include: (pos: number) => boolean = () => true): Int32Array {
    const n = phase.length;
    const keys: number[] = [];
    for (let pos = 0; pos < n; pos++) if (include(pos)) keys.push(phase[pos]! * n + pos);
    const sorted = Float64Array.from(keys).sort();
    return Int32Array.from(sorted, (k) => k % n);
  }

  get size(): number {
    return this.order.length;
  }

  /** Position of the i-th device in offset order. */
  positionAt(i: number): number {
    const j = this.start + i;
    return this.order[j < this.order.length ? j : j - this.order.length]!;
  }

  offsetOf(pos: number): number {
    return (this.phase[pos]! + this.shift) % this.cadence;
  }

  /** Index in offset order of the first device whose offset is at least `offset`. */
  firstAtOrAfter(offset: number): number {
    return firstIndex(this.order.length, (i) => this.offsetOf(this.positionAt(i)) >= offset);
  }
}

/** The checks of one schedule in [from, to), in time order. */
export class ScheduleCursor {
  /** The current check's time (Infinity when none is left) and device position. */
  ts = Infinity;
  pos = -1;
  /** The schedule's seq slot, kept here so a merge reads it as it reads `ts`. */
  readonly slot: number;
  private index: number;
  private cycleStart: number;

  constructor(
    private readonly schedule: Schedule,
    private readonly to: number,
    from: number,
  ) {
    const { cadence } = schedule;
    this.slot = schedule.slot;
    const into = ((from % cadence) + cadence) % cadence;
    this.cycleStart = from - into;
    this.index = schedule.firstAtOrAfter(into);
    if (this.index === schedule.size) {
      this.index = 0;
      this.cycleStart += cadence;
    }
    if (schedule.size > 0) this.read();
  }

  advance(): void {
    if (++this.index === this.schedule.size) {
      this.index = 0;
      this.cycleStart += this.schedule.cadence;
    }
    this.read();
  }

  private read(): void {
    const pos = this.schedule.positionAt(this.index);
    const ts = this.cycleStart + this.schedule.offsetOf(pos);
    this.pos = pos;
    this.ts = ts < this.to ? ts : Infinity;
  }
}

/** The first i in [0, n) for which `holds` is true, `holds` being false then true along i (n if never). */
function firstIndex(n: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
