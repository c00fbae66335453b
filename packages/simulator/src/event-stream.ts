// The events of a span, drawn as they are read and in the order they always had: event time, then
// seq slot, then estate order, then the order a device's checks were made (applications, Wi-Fi,
// gateway, health, logon). Each kind of check has a cursor over its timetable; the stream takes the
// earliest of them, so nothing is sorted and nothing is held but the minute's logons.
import type { TelemetryEvent } from '@wardwatch/schema';
import type { DeviceTable } from './device-table.ts';
import type { ImpairmentTimeline } from './impairment-timeline.ts';
import { SLOT, type Measurements } from './measurements.ts';
import { ScheduleCursor, type Schedule } from './timetable.ts';

/** Spans are drawn a minute at a time: logons are drawn per minute that starts in a chunk (see LogonCursor). */
const CHUNK_MS = 60_000;
const MINUTE_MS = 60_000;

/** What a stream of checks is: an application's index (0, 1, …), or one of these. */
export const CHECK = { wifi: -1, net: -2, health: -3, logon: -4 } as const;

export interface EventSource {
  devices: DeviceTable;
  measurements: Measurements;
  /** In the order a device's checks were always made: one per application, then Wi-Fi, gateway, health. */
  schedules: readonly { check: number; schedule: Schedule }[];
  /** Logons per device per hour at an instant. */
  logonRate: (ts: number) => number;
}

interface Cursor {
  ts: number;
  pos: number;
  readonly slot: number;
  advance(): void;
}

export class EventStream implements IterableIterator<TelemetryEvent> {
  private chunkTo: number;
  private cursors: Cursor[] = [];
  private readonly checks: number[];

  constructor(
    private readonly source: EventSource,
    private readonly impairments: ImpairmentTimeline,
    from: number,
    private readonly to: number,
  ) {
    this.checks = [...source.schedules.map((s) => s.check), CHECK.logon];
    this.chunkTo = from;
  }

  /** The next event, or undefined when the span is done. */
  nextEvent(): TelemetryEvent | undefined {
    for (;;) {
      // The earliest cursor: by time, then slot, then position; on a full tie the first.
      const cursors = this.cursors;
      let next = -1;
      let ts = Infinity;
      let slot = 0;
      let pos = 0;
      for (let i = 0; i < cursors.length; i++) {
        const c = cursors[i]!;
        if (c.ts > ts || c.ts === Infinity) continue;
        if (c.ts === ts && (c.slot > slot || (c.slot === slot && c.pos >= pos))) continue;
        next = i;
        ts = c.ts;
        slot = c.slot;
        pos = c.pos;
      }
      if (next >= 0) {
        cursors[next]!.advance();
        return this.draw(this.checks[next]!, pos, ts);
      }
      if (this.chunkTo >= this.to) return undefined;
      this.openChunk(this.chunkTo, Math.min(this.chunkTo + CHUNK_MS, this.to));
    }
  }

  /** Up to `max` next events (none when the span is done). */
  take(max: number): TelemetryEvent[] {
    const events: TelemetryEvent[] = [];
    while (events.length < max) {
      const event = this.nextEvent();
      if (!event) break;
      events.push(event);
    }
    return events;
  }

  next(): IteratorResult<TelemetryEvent> {
    const value = this.nextEvent();
    return value ? { done: false, value } : { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private draw(check: number, pos: number, ts: number): TelemetryEvent {
    const m = this.source.measurements;
    const imp = this.impairments.at(ts, this.source.devices.specs[pos]!);
    if (check >= 0) return m.app(pos, check, ts, imp);
    if (check === CHECK.wifi) return m.wifi(pos, ts, imp);
    if (check === CHECK.net) return m.net(pos, ts, imp);
    if (check === CHECK.health) return m.health(pos, ts, imp);
    return m.logon(pos, ts, imp);
  }

  private openChunk(from: number, to: number): void {
    this.chunkTo = to;
    // A loop, not a closure made at each chunk: its optimised code went with it at every full collection
    // and was compiled again (docs/benchmarks.md, "Closures made at each call, compiled again after each
    // full collection").
    const cursors: ScheduleCursor[] = [];
    for (const { schedule } of this.source.schedules) cursors.push(new ScheduleCursor(schedule, to, from));
    this.cursors = cursors;
    this.cursors.push(this.logons(from, to));
  }

  /**
   * Logons: a Poisson process per device whose rate follows the clinical day, drawn for each minute
   * that overlaps the chunk (the minute's draw is the same whichever chunk asks), keeping those that
   * fall inside it — so a span cut anywhere gives the logons the whole span gives.
   */
  private logons(from: number, to: number): LogonCursor {
    const n = this.source.devices.size;
    const first = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    // Sorted by (time, position) as one number: (ts − first) × n + position.
    const keys: number[] = [];
    for (let minute = first; minute < to; minute += MINUTE_MS) {
      const perHour = this.source.logonRate(minute);
      for (let pos = 0; pos < n; pos++) {
        const ts = this.source.measurements.logonIn(pos, minute, perHour);
        if (ts >= from && ts < to) keys.push((ts - first) * n + pos);
      }
    }
    const sorted = Float64Array.from(keys).sort();
    return new LogonCursor(
      Float64Array.from(sorted, (k) => first + Math.floor(k / n)),
      Int32Array.from(sorted, (k) => k % n),
    );
  }
}

/** The logons of one chunk in time order (ties by position): a few per hundred devices a minute. */
class LogonCursor implements Cursor {
  ts = Infinity;
  pos = -1;
  readonly slot: number = SLOT.logon;
  private index = -1;

  constructor(
    private readonly times: Float64Array,
    private readonly positions: Int32Array,
  ) {
    this.advance();
  }

  advance(): void {
    this.index++;
    const done = this.index >= this.times.length;
    this.ts = done ? Infinity : this.times[this.index]!;
    this.pos = done ? -1 : this.positions[this.index]!;
  }
}
