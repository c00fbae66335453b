// When each device's periodic checks fall. A device makes a check of one kind every `cadence` ms, at
// its own offset (its phase plus a shift per kind of check). A Schedule holds the devices in order of
// that offset, ties by position in the estate, so the checks of any span are read off in time order
// by a cursor instead of being generated device by device and sorted: a span costs its events, not
// the estate.
import { PHASE_SPAN_MS } from './device-table.ts';

/** Devices in some order, with each one's phase beside it (read in order, not looked up by position). */
export interface PhaseOrder {
  positions: Int32Array;
  phases: Int32Array;
}

export class Schedule {
  /**
   * @param order the devices that make this check by (offset, position), read from `start` on and round
   * @param slot the seq slot of its events (seq = ts × 16 + slot)
   */
  private constructor(
    readonly cadence: number,
    readonly shift: number,
    readonly slot: number,
    private readonly order: PhaseOrder,
    private readonly start: number,
  ) {}

  /**
   * One schedule per kind of check; `phase` is every device's, by position. `byPhase` holds the
   * members ordered by (phase, position): when the cadence is at least the phase span, offset =
   * (phase + shift) mod cadence wraps at most once, so the order by offset is that order started at
   * the first device that wraps, and is shared.
   */
  static of(cadence: number, shift: number, slot: number, byPhase: PhaseOrder, phase: Int32Array): Schedule {
    const { positions, phases } = byPhase;
    if (cadence >= PHASE_SPAN_MS) {
      const wrapsAt = cadence - (shift % cadence);
      return new Schedule(cadence, shift, slot, byPhase, firstIndex(phases.length, (i) => phases[i]! >= wrapsAt));
    }
    // Offsets wrap several times within the phase span: sort by (offset, position) outright.
    const n = phase.length;
    const keys = new Float64Array(positions.length);
    positions.forEach((pos, i) => (keys[i] = ((phases[i]! + shift) % cadence) * n + pos));
    keys.sort();
    const sorted = Int32Array.from(keys, (k) => k % n);
    return new Schedule(cadence, shift, slot, { positions: sorted, phases: Int32Array.from(sorted, (pos) => phase[pos]!) }, 0);
  }

  /** Devices ordered by (phase, position). */
  static byPhase(phase: Int32Array): PhaseOrder {
    const n = phase.length;
    const sorted = Float64Array.from(phase, (p, pos) => p * n + pos).sort();
    const positions = new Int32Array(n);
    const phases = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      positions[i] = sorted[i]! % n;
      phases[i] = Math.floor(sorted[i]! / n);
    }
    return { positions, phases };
  }

  /** The devices of an order that pass `include`, in the same order. */
  static only(order: PhaseOrder, include: (pos: number) => boolean): PhaseOrder {
    const positions = new Int32Array(order.positions.length);
    const phases = new Int32Array(order.positions.length);
    let count = 0;
    for (let i = 0; i < order.positions.length; i++) {
      if (!include(order.positions[i]!)) continue;
      positions[count] = order.positions[i]!;
      phases[count++] = order.phases[i]!;
    }
    return { positions: positions.slice(0, count), phases: phases.slice(0, count) };
  }

  get size(): number {
    return this.order.positions.length;
  }

  /** Where the i-th device in offset order is in the order held. */
  private indexOf(i: number): number {
    const j = this.start + i;
    const n = this.order.positions.length;
    return j < n ? j : j - n;
  }

  /** Position in the estate of the i-th device in offset order. */
  positionAt(i: number): number {
    return this.order.positions[this.indexOf(i)]!;
  }

  /** Offset within the cadence of the i-th device in offset order. */
  offsetAt(i: number): number {
    return (this.order.phases[this.indexOf(i)]! + this.shift) % this.cadence;
  }

  /** Index in offset order of the first device whose offset is at least `offset`. */
  firstAtOrAfter(offset: number): number {
    return firstIndex(this.size, (i) => this.offsetAt(i) >= offset);
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
    const ts = this.cycleStart + this.schedule.offsetAt(this.index);
    this.pos = this.schedule.positionAt(this.index);
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
