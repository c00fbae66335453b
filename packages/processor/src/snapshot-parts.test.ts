import { describe, expect, it } from 'vitest';
import type { RollupRecord, TelemetryEvent } from '@wardwatch/schema';
import { sketchQuantiles } from '@wardwatch/sketch';
import { StreamProcessor } from './stream-processor.ts';
import type { SnapshotDraft, SnapshotPart } from './snapshot-parts.ts';
import { app, logon, MIN, mulberry32, T0, wifi } from './test-events.fixture.ts';

const config = { watermarkLagMs: 10_000, allowedLatenessMs: 2 * MIN, statusIntervalMs: 15_000, correctionHorizonMs: 3 * 3_600_000 };

/** What the store keeps of a partition's checkpoints: the head and its parts (PartitionCheckpoint.parts). */
class StoredCheckpoint {
  head: Uint8Array | undefined;
  parts = new Map<string, Uint8Array>();
  write(draft: SnapshotDraft): void {
    for (const name of [...this.parts.keys()]) if (!draft.keep.includes(name)) this.parts.delete(name);
    for (const { name, bytes } of draft.put) this.parts.set(name, bytes);
    this.head = draft.head;
    draft.commit();
  }
  get list(): SnapshotPart[] {
    return [...this.parts].map(([name, bytes]) => ({ name, bytes }));
  }
  restore(): StreamProcessor {
    return StreamProcessor.restore(this.head!, config, this.list);
  }
}

/**
 * A snapshot's content: windows in time order, each exact cell's values as a multiset (sorted in place
 * when read, so order is not content). Sketch cells compare as bytes: both sides here were restored.
 */
function content(bytes: Uint8Array): unknown {
  const json = JSON.parse(new TextDecoder().decode(bytes)) as { windows: unknown[][]; coarse: Record<string, unknown[][]>; corrections?: unknown[][] };
  const windows = (list: unknown[][]) =>
    [...list]
      .sort((a, b) => (a[0] as number) - (b[0] as number))
      .map(([start, final, scopes]) => [start, final, (scopes as Array<[string, unknown[][]]>).map(([scope, cells]) => [scope, cells.map((c) => (Array.isArray(c[4]) ? [...c.slice(0, 4), [...(c[4] as number[])].sort((a, b) => a - b)] : c))])]);
  return { ...json, windows: windows(json.windows), coarse: Object.fromEntries(Object.entries(json.coarse).map(([r, list]) => [r, windows(list)])), corrections: json.corrections && windows(json.corrections) };
}

const QS = [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1];
const rollupContent = (rollups: RollupRecord[]) =>
  rollups.map((r) => ({ ...r, sketch: sketchQuantiles(r.sketch, QS) })).sort((a, b) => `${a.resolution}${a.scope}${a.metric}${a.start}`.localeCompare(`${b.resolution}${b.scope}${b.metric}${b.start}`));

/**
 * A seeded stream in batches of 20 s: two sites, wards, devices that roam between access points,
 * app checks, logons and Wi-Fi; some events minutes late (corrections of final windows), some into
 * the minute still open.
 */
function batches(seed: number, count: number): TelemetryEvent[][] {
  const random = mulberry32(seed);
  const seq = new Map<string, number>();
  return Array.from({ length: count }, (_, batch) => {
    const at = T0 + batch * 20_000;
    return Array.from({ length: 12 + Math.floor(random() * 30) }, () => {
      const d = Math.floor(random() * 16);
      const where = { site: `S${d % 3}`, ward: `W${d % 4}`, device: `D${d}`, ap: `3c:a8:2a:00:00:0${Math.floor(random() * 4)}` };
      const behind = random() < 0.08 ? 3 * MIN + random() * 20 * MIN : random() * 15_000;
      const ts = Math.round(at - behind);
      const kind = random();
      const event = kind < 0.6 ? app(ts, 100 + random() * 4000, where, random() > 0.05) : kind < 0.8 ? wifi(ts, -40 - Math.round(random() * 45), where) : logon(ts, 5000 + random() * 60_000, where, random() > 0.03);
      const n = (seq.get(where.device) ?? 0) + 1;
      seq.set(where.device, n);
      return { ...event, seq: n };
    });
  });
}

/** Feeds a batch as the runtime does: add each event, then advance (corrections held between checkpoints). */
function feed(p: StreamProcessor, events: TelemetryEvent[], holdCorrections: boolean) {
  for (const e of events) p.add(e);
  return p.advance({ holdCorrections });
}

describe('incremental checkpoints (head and parts)', () => {
  it.each([1, 2, 3])('restore the same state, and then the same rollups and statuses, as whole snapshots (seed %i)', (seed) => {
    const random = mulberry32(100 + seed);
    const all = batches(seed, 150); // 50 minutes: coarse windows fill, close and leave; minutes leave the horizon
    const live = new StreamProcessor(config);
    const store = new StoredCheckpoint();
    let compared = 0;
    let partsPut = 0;
    let partsNamed = 0;
    for (let b = 0; b < all.length; b++) {
      const checkpointDue = random() < 0.4;
      feed(live, all[b]!, !checkpointDue);
      if (!checkpointDue) continue;
      const draft = live.checkpoint();
      partsPut += draft.put.length;
      partsNamed += draft.keep.length;
      store.write(draft);
      if (b % 13 !== 12) continue;
      // From here on, a processor restored from the parts and one restored from a whole snapshot taken
      // at the same moment must hold the same state and give the same output for the same input.
      const fromWhole = StreamProcessor.restore(live.snapshot(), config);
      const fromParts = store.restore();
      expect(content(fromParts.snapshot()), `batch ${b}`).toEqual(content(fromWhole.snapshot()));
      expect(fromParts.checkpoint().put, 'the parts it was restored from are not written again').toEqual([]);
      for (const events of all.slice(b + 1, b + 40)) {
        const hold = random() < 0.5;
        const a = feed(fromWhole, events, hold);
        const c = feed(fromParts, events, hold);
        expect(rollupContent(c.rollups)).toEqual(rollupContent(a.rollups));
        expect(rollupContent(c.corrections)).toEqual(rollupContent(a.corrections));
        expect(c.statuses).toEqual(a.statuses);
      }
      expect(fromParts.statuses()).toEqual(fromWhole.statuses());
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
    // A window is written again only when it changed: the minute filling, a coarse one a minute rolled
    // into, a minute made final, a final minute the status horizon still reads that a correction
    // reached — here a third to two fifths of what the checkpoints name, checkpointing every 50 s of
    // event time on average, with 8 % of the events minutes late (far more than a trust's spools send).
    expect(partsPut).toBeLessThan(partsNamed / 2);
  });

  it('after a crash between checkpoints, restores the state of the last checkpoint the store holds', () => {
    const all = batches(7, 90);
    const live = new StreamProcessor(config);
    const store = new StoredCheckpoint();
    let atLastCheckpoint: Uint8Array | undefined;
    for (let b = 0; b < 60; b++) {
      feed(live, all[b]!, b % 5 !== 4);
      if (b % 5 !== 4) continue;
      store.write(live.checkpoint());
      atLastCheckpoint = live.snapshot();
    }
    // More batches, and a checkpoint drafted whose write never happens (the process dies in it).
    for (let b = 60; b < 68; b++) feed(live, all[b]!, true);
    live.checkpoint();
    const restored = store.restore();
    expect(content(restored.snapshot())).toEqual(content(StreamProcessor.restore(atLastCheckpoint!, config).snapshot()));
    expect(content(restored.snapshot())).not.toEqual(content(live.snapshot()));
    // The uncommitted draft did not make the writer think its parts are stored: the next one puts them.
    const next = live.checkpoint();
    store.write(next);
    expect(content(store.restore().snapshot())).toEqual(content(StreamProcessor.restore(live.snapshot(), config).snapshot()));
  });

  it('refuses a head whose part is missing, and a part that holds another window', () => {
    const live = new StreamProcessor(config);
    const store = new StoredCheckpoint();
    for (const events of batches(9, 30)) feed(live, events, false);
    store.write(live.checkpoint());
    const [first, second] = store.list;
    expect(first && second).toBeTruthy();
    expect(() => StreamProcessor.restore(store.head!, config, store.list.slice(1))).toThrow(`part ${first!.name} is missing`);
    expect(() => StreamProcessor.restore(store.head!, config, [{ name: first!.name, bytes: second!.bytes }, ...store.list.slice(1)])).toThrow(`part ${first!.name} holds the window`);
    // A head is not a whole snapshot: read without parts it says so rather than restore less.
    expect(() => StreamProcessor.restore(store.head!, config)).toThrow('kept in parts');
  });
});
