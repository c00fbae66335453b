// Serialises a stream processor's state (ProcessorState) — open and horizon windows, partial 5-minute and hourly
// windows, per-device replay state, scope verdicts, watermark, counters — so that a restarted
// processor continues exactly where the checkpoint left it. JSON with base64 sketches: plain to
// inspect. Format changes are append-only: a field added later is optional when read, so older
// snapshots still restore. A snapshot can leave windows out, kept as parts written apart from it
// (format 2, snapshot-parts.ts): the head then names the parts it needs.
import type { Resolution } from '@wardwatch/schema';
import { Cell, type ScopeCells } from './cell.ts';
import type { AggregateScope } from './scope-registry.ts';
import { decodeSketch, encodeSketch } from '@wardwatch/sketch';
import { ProcessorState, WindowCells, type ProcessorCounters } from './processor-state.ts';
import { Watermark } from './window.ts';

const FORMAT = 1;
/** A head whose windows that cannot change are in parts (snapshot-parts.ts); a version before it cannot read it. */
const FORMAT_PARTED = 2;

// A cell holds either exact values (small) or a sketch: both are kept as they are.
type CellJson = [metric: number, valid: number, good: number, fast: number, sketch: string | number[]];
// carriesToHour was appended later (a 5-minute window's only): absent from older snapshots, whose
// 5-minute windows' minutes are in their hours already.
export type WindowJson = [start: number, final: boolean, scopes: Array<[scope: string, cells: CellJson[]]>, carriesToHour?: true];

interface SnapshotJson {
  format: number;
  // live was appended later: absent from older snapshots.
  watermark: { highest: number | null; pushed: number | null; live?: number | null };
  nextDueEnd: number | null;
  counters: ProcessorCounters;
  windows: WindowJson[];
  coarse: Record<string, WindowJson[]>;
  // heardAt was appended later: absent from older snapshots.
  scopes: Array<[key: string, kind: AggregateScope, id: string, trust: string, site: string, ward: string | null, lastSeen: number, status: string | null, reason: string | null, since: number | null, heardAt?: number | null]>;
  // latestTs, the clock skew and the window before a jump were appended later: absent from older snapshots.
  devices: Array<
    [
      device: string, trust: string, site: string, ward: string, ap: string | null, highest: number, bitmap: number[],
      latestTs?: number | null, skewMs?: number | null, skewAt?: number | null, beforeJump?: [highest: number, bitmap: number[], latestTs: number | null] | null,
    ]
  >;
  /** Pending (not yet emitted) 1-minute correction windows. Added later: absent from older snapshots. */
  corrections?: WindowJson[];
  /** Format 2: the parts holding the windows left out here, by name (snapshot-parts.ts). */
  parts?: string[];
}

/**
 * Windows a head leaves out because they are kept as parts (snapshot-parts.ts), and the names of
 * every part it needs.
 */
export interface PartedWindows {
  has(window: WindowCells): boolean;
  names: readonly string[];
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function windowToJson(window: WindowCells): WindowJson {
  const scopes: WindowJson[2] = [];
  for (const [scope, cells] of window.cells) {
    const list: CellJson[] = [];
    cells.forEach((cell, m) => {
      if (cell) list.push([m, cell.valid, cell.good, cell.fast, cell.sketch ? base64(encodeSketch(cell.sketch)) : [...cell.values!]]);
    });
    scopes.push([scope, list]);
  }
  return window.carriesToHour ? [window.start, window.final, scopes, true] : [window.start, window.final, scopes];
}

export function windowFromJson([start, final, scopes, carriesToHour]: WindowJson): WindowCells {
  const window = new WindowCells(start);
  window.final = final;
  window.carriesToHour = carriesToHour === true;
  for (const [scope, list] of scopes) {
    const cells: ScopeCells = [];
    for (const [m, valid, good, fast, sketch] of list) {
      const cell = new Cell();
      cell.valid = valid;
      cell.good = good;
      cell.fast = fast;
      if (Array.isArray(sketch)) {
        cell.setValues(sketch);
      } else {
        cell.values = null;
        cell.sketch = decodeSketch(Buffer.from(sketch, 'base64'));
      }
      cells[m] = cell;
    }
    window.cells.set(scope, cells);
  }
  return window;
}

const windowText = (window: WindowCells) => JSON.stringify(windowToJson(window));
const listText = (texts: string[]) => `[${texts.join(',')}]`;

/** The state as one snapshot, or — with `parted` — as a head without the windows kept in parts. */
export function writeSnapshot(processor: ProcessorState, parted?: PartedWindows): Uint8Array {
  const watermark = processor.clock.state;
  const head: Pick<SnapshotJson, 'format' | 'watermark' | 'nextDueEnd' | 'counters'> = {
    format: parted ? FORMAT_PARTED : FORMAT,
    watermark: { highest: finite(watermark.highest), pushed: finite(watermark.pushed), live: finite(watermark.live) },
    nextDueEnd: finite(processor.nextDueEnd),
    counters: { ...processor.counts },
  };
  const windows: string[] = [];
  for (const window of processor.windows.values()) if (!parted?.has(window)) windows.push(windowText(window));
  const coarse: string[] = [];
  for (const [resolution, byStart] of processor.coarse) {
    const list: string[] = [];
    for (const window of byStart.values()) if (!parted?.has(window)) list.push(windowText(window));
    coarse.push(`${JSON.stringify(resolution)}:${listText(list)}`);
  }
  const scopes: SnapshotJson['scopes'] = [...processor.registry.scopes.values()].map((s) => {
    const row: SnapshotJson['scopes'][number] = [s.key, s.kind, s.id, s.trust, s.site, s.ward ?? null, s.lastSeen, s.status ?? null, s.reason ?? null, s.since ?? null];
    if (s.heardAt !== undefined) row.push(s.heardAt);
    return row;
  });
  const devices: SnapshotJson['devices'] = [...processor.registry.devices.values()].map((d) => [
    d.device, d.trust, d.site, d.ward, d.ap ?? null, d.replay.highest, d.replay.bitmap, finite(d.replay.latestTs), d.skewMs ?? null, d.skewAt ?? null,
    d.replay.beforeJump ? [d.replay.beforeJump.highest, d.replay.beforeJump.bitmap, finite(d.replay.beforeJump.latestTs)] : null,
  ]);
  // The text JSON.stringify would give for the whole SnapshotJson, in its field order.
  let text = JSON.stringify(head).slice(0, -1);
  text += `,"windows":${listText(windows)},"coarse":{${coarse.join(',')}},"scopes":${JSON.stringify(scopes)},"devices":${JSON.stringify(devices)}`;
  if (processor.corrections.size > 0) text += `,"corrections":${listText([...processor.corrections.values()].map(windowText))}`;
  if (parted) text += `,"parts":${JSON.stringify(parted.names)}`;
  return new TextEncoder().encode(`${text}}`);
}

/**
 * The state a snapshot holds; `watermarkLagMs` is the restoring processor's configuration. A head
 * (format 2) needs `parts`: each part it names, as a window and the resolution it belongs to
 * (snapshot-parts.ts reads them).
 */
export function readSnapshot(bytes: Uint8Array, watermarkLagMs: number, parts?: (name: string) => { resolution: Resolution; window: WindowJson }): ProcessorState {
  let json: SnapshotJson;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as SnapshotJson;
  } catch (error) {
    throw new Error(`processor snapshot is not readable: ${(error as Error).message}`);
  }
  if (json.format !== FORMAT && json.format !== FORMAT_PARTED) throw new Error(`processor snapshot format ${json.format} is not supported (expected ${FORMAT} or ${FORMAT_PARTED})`);
  if (json.format === FORMAT_PARTED && !parts) throw new Error('processor snapshot is a head whose windows are kept in parts, and none were given');
  const processor = new ProcessorState(
    Watermark.from(watermarkLagMs, {
      highest: json.watermark.highest ?? -Infinity,
      pushed: json.watermark.pushed ?? -Infinity,
      ...(json.watermark.live !== undefined ? { live: json.watermark.live ?? -Infinity } : {}),
    }),
  );
  processor.nextDueEnd = json.nextDueEnd ?? -Infinity;
  Object.assign(processor.counts, json.counters);
  for (const w of json.windows) processor.windows.set(w[0], windowFromJson(w));
  for (const [resolution, list] of Object.entries(json.coarse)) {
    const byStart = processor.coarse.get(resolution as Resolution)!;
    for (const w of list) byStart.set(w[0], windowFromJson(w));
  }
  if (json.parts) {
    for (const name of json.parts) {
      const { resolution, window } = parts!(name);
      const byStart = resolution === '1m' ? processor.windows : processor.coarse.get(resolution)!;
      byStart.set(window[0], windowFromJson(window));
    }
    // In time order, as a processor that ran on made them (the head's and the parts' are apart).
    for (const byStart of [processor.windows, ...processor.coarse.values()]) {
      const sorted = [...byStart].sort((a, b) => a[0] - b[0]);
      byStart.clear();
      for (const [start, window] of sorted) byStart.set(start, window);
    }
  }
  for (const w of json.corrections ?? []) processor.corrections.set(w[0], windowFromJson(w));
  const registry = processor.registry;
  for (const [key, kind, id, trust, site, ward, lastSeen, status, reason, since, heardAt] of json.scopes) {
    const info = registry.scope(kind, id, trust, site, ward ?? undefined);
    if (info.key !== key) throw new Error(`processor snapshot has an inconsistent scope key ${key}`);
    info.lastSeen = lastSeen ?? -Infinity;
    if (status) info.status = status as typeof info.status;
    if (reason !== null) info.reason = reason;
    if (since !== null) info.since = since;
    if (heardAt !== undefined && heardAt !== null) info.heardAt = heardAt;
  }
  for (const [device, trust, site, ward, ap, highest, bitmap, latestTs, skewMs, skewAt, beforeJump] of json.devices) {
    const ctx = registry.device(device, trust, site, ward);
    if (ap) registry.accessPoint(ctx, ap);
    ctx.replay.highest = highest;
    ctx.replay.setBitmap(bitmap);
    // Older snapshots: the device's latest live event time stands in for the latest accepted one.
    ctx.replay.latestTs = latestTs ?? ctx.deviceScope.lastSeen;
    if (beforeJump) ctx.replay.beforeJump = { highest: beforeJump[0], bitmap: beforeJump[1], latestTs: beforeJump[2] ?? -Infinity };
    if (skewMs !== undefined && skewMs !== null && skewAt !== undefined && skewAt !== null) {
      ctx.skewMs = skewMs;
      ctx.skewAt = skewAt;
    }
  }
  return processor;
}
