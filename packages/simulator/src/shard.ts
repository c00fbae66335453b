// One of N simulator processes sharing an estate: each generates the events of its own sites, so that
// together they send what one process would. Sites, not devices, are split because a site is the
// telemetry topic's key: every event of a site then leaves one process, in the order one process
// would send it. Sites are dealt round (the first to shard 1, the second to shard 2, …), so shards of
// an estate of equal sites differ by at most one site.
import type { SiteSpec } from './estate.ts';

/** The `index`-th of `count` shards, counted from 1 (`--shard 2/4` is { index: 2, count: 4 }). */
export interface EstateShard {
  index: number;
  count: number;
}

/** Why a shard cannot be one, or undefined when it can. */
export function shardProblem(shard: EstateShard): string | undefined {
  if (!Number.isInteger(shard.count) || shard.count < 1) return `the number of shards must be a whole number of at least 1; got ${shard.count}`;
  if (!Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    return `the shard must be a whole number from 1 to ${shard.count}; got ${shard.index}`;
  }
  return undefined;
}

/** Whether the site at `position` (0-based, in estate order) belongs to the shard. */
export function siteInShard(position: number, shard: EstateShard): boolean {
  return position % shard.count === shard.index - 1;
}

/** The shard's sites, in estate order. */
export function sitesOfShard(sites: readonly SiteSpec[], shard: EstateShard): SiteSpec[] {
  const problem = shardProblem(shard);
  if (problem) throw new Error(problem);
  return sites.filter((_, position) => siteInShard(position, shard));
}
