// Digests of what the processor emits — rollups, corrections, published statuses, the final board and
// the counters — over the same NDJSON lines in several configurations. A change to the processor that
// must not change its output keeps these byte for byte (npm run bench -- --only processor-digest).
import { createHash } from 'node:crypto';
import { decodeEvent } from '@wardwatch/schema';
import { StreamProcessor, type ProcessorConfig, type ProcessorOutput, type SnapshotPart } from '@wardwatch/processor';
import { mulberry32 } from '@wardwatch/simulator';

export interface DigestCase {
  name: string;
  config?: Partial<ProcessorConfig>;
  /** Share of events delivered late (moved later in the stream by up to `lateBy` lines). */
  late?: { share: number; lateBy: number };
  /** Snapshot and restore at each of these line indexes (whole snapshots). */
  restoreAt?: number[];
  /** Incremental checkpoints (head and parts) restored at these line indexes. */
  checkpointAt?: number[];
}

export const DIGEST_CASES: DigestCase[] = [
  { name: 'defaults' },
  // A tenth of the events late by up to ~5 minutes of lines: some past the lateness, into corrections.
  { name: 'late', late: { share: 0.1, lateBy: 70_000 } },
  { name: 'status-10s', config: { statusIntervalMs: 10_000 } },
  { name: 'devices-all', config: { deviceResolutions: ['1m', '5m', '1h'] } },
  { name: 'restored', late: { share: 0.05, lateBy: 40_000 }, restoreAt: [101_000, 257_000] },
  { name: 'checkpointed', config: { statusIntervalMs: 10_000 }, checkpointAt: [77_000, 190_000, 333_000] },
];

const BATCH = 5000;

/**
 * Delivers a share of the devices' events late, deterministically: each chosen device's events move
 * later in the stream by one distance (up to `lateBy` lines), in their order (a device's sequence
 * numbers follow its clock, so a device's events out of order would be replays).
 */
export function delayLines(lines: readonly string[], share: number, lateBy: number, seed = 7): string[] {
  const random = mulberry32(seed);
  const delay = new Map<string, number>();
  const keyed = lines.map((line, i) => {
    const device = (JSON.parse(line) as { device: string }).device;
    let by = delay.get(device);
    if (by === undefined) delay.set(device, (by = random() < share ? Math.floor(random() * lateBy) + 0.5 : 0));
    return { line, at: i + by };
  });
  keyed.sort((a, b) => a.at - b.at);
  return keyed.map((k) => k.line);
}

export function processorDigest(lines: readonly string[], c: DigestCase, now: number): { digest: string; rollups: number; corrections: number; statuses: number } {
  const input = c.late ? delayLines(lines, c.late.share, c.late.lateBy) : lines;
  const hash = createHash('sha256');
  let rollups = 0;
  let corrections = 0;
  let statuses = 0;
  const take = (out: ProcessorOutput) => {
    for (const r of out.rollups) hash.update(`R${r.scope}|${r.metric}|${r.resolution}|${r.start}|${r.count}|${r.valid}|${r.good}|${r.fast}|${Buffer.from(r.sketch).toString('hex')}\n`);
    for (const r of out.corrections) hash.update(`C${r.scope}|${r.metric}|${r.resolution}|${r.start}|${r.count}|${r.valid}|${r.good}|${r.fast}|${Buffer.from(r.sketch).toString('hex')}\n`);
    for (const s of out.statuses) hash.update(`S${JSON.stringify(s)}\n`);
    hash.update(`W${out.watermark}\n`);
    rollups += out.rollups.length;
    corrections += out.corrections.length;
    statuses += out.statuses.length;
  };
  let processor = new StreamProcessor(c.config);
  const store = new Map<string, SnapshotPart>();
  for (let i = 0; i < input.length; i++) {
    if (c.restoreAt?.includes(i)) processor = StreamProcessor.restore(processor.snapshot(), c.config);
    if (c.checkpointAt?.includes(i)) {
      const draft = processor.checkpoint();
      for (const part of draft.put) store.set(part.name, part);
      draft.commit();
      processor = StreamProcessor.restore(draft.head, c.config, draft.keep.map((name) => store.get(name)!));
    }
    const decoded = decodeEvent(input[i]!, { now });
    if (decoded.ok) hash.update(`A${processor.add(decoded.event)}\n`);
    else hash.update(`D${decoded.reason}|${decoded.message}\n`);
    if (i % BATCH === BATCH - 1) take(processor.advance());
  }
  take(processor.flush());
  for (const s of processor.statuses()) hash.update(`B${JSON.stringify(s)}\n`);
  hash.update(`N${JSON.stringify(processor.counters)}\n`);
  return { digest: hash.digest('hex'), rollups, corrections, statuses };
}
