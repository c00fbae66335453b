// Incremental checkpoints. Most of a processor's state is windows that no longer change between two
// checkpoints: the final minutes the status horizon still reads (changed only by a late correction
// counted into them), a minute past its end waiting out the lateness, the 5-minute and hourly windows,
// which change only when a minute rolls into them. Writing
// the whole state at every checkpoint (every few seconds) wrote those again each time. Here a
// checkpoint is a head — what moves with nearly every event: scopes, devices and their dedup windows,
// corrections, the watermark — and a part per window, written again only when the window has changed
// since (its revision: the minute still filling at every checkpoint, a final minute only when a
// correction reaches it), kept by
// the store beside the head until the head no longer names it. Restoring reads the head and its parts
// and gives the state a whole snapshot would (held by snapshot-parts.test.ts).
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Resolution } from '@wardwatch/schema';
import type { ProcessorState, WindowCells } from './processor-state.ts';
import { readSnapshot, windowToJson, writeSnapshot, type WindowJson } from './snapshot.ts';

/** A named part: a window's JSON, deflated (a window's text repeats its scope keys and values). */
export interface SnapshotPart {
  name: string;
  bytes: Uint8Array;
}

/** One checkpoint's writes: the head, the parts the store does not hold yet, and every part the head needs. */
export interface SnapshotDraft {
  head: Uint8Array;
  /** New or changed since the last committed draft. */
  put: SnapshotPart[];
  /** Every part the head names: the store can drop any other. */
  keep: string[];
  /** Tells the writer the store now holds this draft: later drafts put only what changed since. */
  commit(): void;
}

const partName = (resolution: Resolution, start: number) => `${resolution}:${start}`;

/**
 * A window still open is written again and again — the filling minute at nearly every checkpoint, the
 * 5-minute window as each minute rolls in, and the hour, holding every device, each minute too (its
 * devices' minutes go straight into it): deflated at the fastest level (half the time, ~15 % more
 * bytes; for the default demo's checkpoints a third less time, 4 % more bytes in all). A final window,
 * written once, at the default level.
 */
function encodePart(window: WindowCells): Uint8Array {
  const text = JSON.stringify(windowToJson(window));
  return !window.final ? deflateRawSync(text, { level: constants.Z_BEST_SPEED }) : deflateRawSync(text);
}

function decodePart(name: string, bytes: Uint8Array): { resolution: Resolution; window: WindowJson } {
  const resolution = name.slice(0, name.indexOf(':')) as Resolution;
  let window: WindowJson;
  try {
    window = JSON.parse(inflateRawSync(bytes).toString('utf8')) as WindowJson;
  } catch (error) {
    throw new Error(`processor snapshot part ${name} is not readable: ${(error as Error).message}`);
  }
  if (partName(resolution, window[0]) !== name) throw new Error(`processor snapshot part ${name} holds the window ${resolution}:${window[0]}`);
  return { resolution, window };
}

/** The windows a head leaves to parts: every 1-minute and coarse window (corrections stay in the head). */
function* partedWindows(state: ProcessorState): Generator<[Resolution, WindowCells]> {
  for (const window of state.windows.values()) yield ['1m', window];
  for (const [resolution, byStart] of state.coarse) for (const window of byStart.values()) yield [resolution, window];
}

/** Writes a processor's state as a head and parts, remembering which parts the store holds. */
export class IncrementalSnapshot {
  /** Windows whose part the store holds, and the revision written there. */
  private stored = new Map<WindowCells, number>();

  draft(state: ProcessorState): SnapshotDraft {
    const parted = new Set<WindowCells>();
    const names: string[] = [];
    const put: SnapshotPart[] = [];
    const held = new Map<WindowCells, number>();
    for (const [resolution, window] of partedWindows(state)) {
      const name = partName(resolution, window.start);
      parted.add(window);
      names.push(name);
      // Keyed by the window itself: a coarse window emitted and made again for a correction is new.
      if (this.stored.get(window) !== window.revision) put.push({ name, bytes: encodePart(window) });
      held.set(window, window.revision);
    }
    const head = writeSnapshot(state, { has: (window) => parted.has(window), names });
    return {
      head,
      put,
      keep: names,
      commit: () => {
        this.stored = held;
      },
    };
  }

  /** The state a head and its parts hold; the writer takes those parts as stored. */
  static read(head: Uint8Array, parts: readonly SnapshotPart[], watermarkLagMs: number): { state: ProcessorState; writer: IncrementalSnapshot } {
    const byName = new Map(parts.map((p) => [p.name, p.bytes]));
    const state = readSnapshot(head, watermarkLagMs, (name) => {
      const bytes = byName.get(name);
      if (!bytes) throw new Error(`processor snapshot part ${name} is missing`);
      return decodePart(name, bytes);
    });
    const writer = new IncrementalSnapshot();
    // A head names a part for every window it leaves out, so those are exactly the parted windows.
    if (parts.length > 0) for (const [, window] of partedWindows(state)) writer.stored.set(window, window.revision);
    return { state, writer };
  }
}
