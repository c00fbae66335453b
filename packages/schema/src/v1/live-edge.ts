// How far the processor has judged the scopes of some telemetry partitions, carried on the status
// topic beside the statuses. A site is published when its status, reason or figures moved (past a
// tolerance between window ends), not at every tick; its time on the board — what the grid's age and
// greying read — moves with its partition's live edge instead, one small message a tick for every
// site of the partitions it names.
import { z } from 'zod';

/** Record keys of live edges on the status topic start with this (status keys never do). */
export const LIVE_EDGE_KEY_PREFIX = 'edge:';

export const LiveEdge = z.object({
  /** "edge:" and the partitions, e.g. "edge:3" or "edge:0,1,2": the record key (the topic is compacted). */
  key: z.string().startsWith(LIVE_EDGE_KEY_PREFIX),
  /** Telemetry partitions whose processors have judged every scope they hold as of `asOf`. */
  partitions: z.array(z.number().int().nonnegative()).min(1),
  /** Event time of that evaluation (what a site published earlier, unchanged since, is now as of). */
  asOf: z.number(),
});
export type LiveEdge = z.infer<typeof LiveEdge>;

/** The live edge of `partitions` at `asOf`, keyed by the partitions (one key per processor's set). */
export function liveEdgeOf(partitions: readonly number[], asOf: number): LiveEdge {
  return { key: `${LIVE_EDGE_KEY_PREFIX}${partitions.join(',')}`, partitions: [...partitions], asOf };
}
