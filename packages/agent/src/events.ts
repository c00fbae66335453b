// Measurements → telemetry events: the envelope every event carries, with a per-device sequence
// number that only grows, across restarts too, so the processor can drop repeats with constant state.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { AppEvent, HealthEvent, LogonEvent, NetEvent, TelemetryEvent, WifiEvent } from '@wardwatch/schema';

export interface Place {
  trust: string;
  site: string;
  ward: string;
  device: string;
}

type Body<E extends TelemetryEvent> = E['body'];

/**
 * seq = max(last + 1, ts × 1000): tied to the clock, so it keeps growing after a restart even if the
 * state file was lost, and persisted, so it keeps growing if the clock steps back.
 */
export class EventFactory {
  private last: number;
  private readonly stateFile: string | undefined;
  private sinceSave = 0;
  /** The access point the device is associated with now (from the latest Wi-Fi reading). */
  ap: string | undefined;

  constructor(
    private readonly place: Place,
    stateDir?: string,
  ) {
    this.stateFile = stateDir ? join(stateDir, 'seq') : undefined;
    this.last = 0;
    if (this.stateFile) {
      try {
        this.last = Number(readFileSync(this.stateFile, 'utf8')) || 0;
      } catch {
        // first start: nothing saved yet
      }
    }
  }

  private nextSeq(ts: number): number {
    this.last = Math.max(this.last + 1, ts * 1000);
    if (this.stateFile && ++this.sinceSave >= 50) this.save();
    return this.last;
  }

  save(): void {
    if (!this.stateFile) return;
    this.sinceSave = 0;
    writeFileSync(`${this.stateFile}.tmp`, String(this.last));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }

  private envelope(ts: number) {
    return {
      v: 1 as const,
      id: randomUUID(),
      seq: this.nextSeq(ts),
      ts,
      ...this.place,
      ...(this.ap ? { ap: this.ap } : {}),
    };
  }

  app(ts: number, body: Body<AppEvent>): AppEvent {
    return { ...this.envelope(ts), kind: 'app', body };
  }
  logon(ts: number, body: Body<LogonEvent>): LogonEvent {
    return { ...this.envelope(ts), kind: 'logon', body };
  }
  net(ts: number, body: Body<NetEvent>): NetEvent {
    return { ...this.envelope(ts), kind: 'net', body };
  }
  wifi(ts: number, body: Body<WifiEvent>): WifiEvent {
    return { ...this.envelope(ts), kind: 'wifi', body };
  }
  health(ts: number, body: Body<HealthEvent>): HealthEvent {
    return { ...this.envelope(ts), kind: 'health', body };
  }
}
