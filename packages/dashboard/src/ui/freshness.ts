// How old the figures on screen are, and whether they can still be shown as current: a site is stale
// when its figures trail the server's clock by more than the threshold (no telemetry from it); the
// whole estate is stale when the live stream has been down past a short grace, or when the newest
// figures trail the server's clock (the processor lags or has stopped). Pure: times are passed in.
import type { SiteSummary, StreamClock } from '@wardwatch/schema';
import { clockTime } from './format.ts';

/** Figures older than this are greyed out (event time). */
export const STALE_AFTER_MS = 3 * 60_000;
/** A dropped stream is given this long to reconnect before the page is greyed (EventSource retries after ~3 s). */
export const OFFLINE_GRACE_MS = 5_000;
/** While offline the page is redrawn this often, so the ages it shows go on growing. */
export const OFFLINE_TICK_MS = 5_000;

export interface EstateFreshness {
  stale: boolean;
  /** Why, in a sentence for the banner; "" when fresh. */
  why: string;
  /** Wall-clock (offline) or event-time (lag) ms since when the data is missing; null when fresh. */
  since: number | null;
  /** Sites whose own figures are stale. */
  silentSites: number;
}

export interface FreshnessInput {
  sites: readonly SiteSummary[];
  /** The server's clock as last heard, or undefined before the first. */
  clock: StreamClock | undefined;
  connected: boolean;
  /** Browser time the stream was lost (undefined while connected or before it ever connected). */
  disconnectedAt: number | undefined;
  /** Browser time now. */
  wallNow: number;
  staleAfterMs?: number;
}

/** Age of a site's figures on the server's clock; null before any figures or any clock. */
export function siteAgeMs(site: SiteSummary, clock: StreamClock | undefined): number | null {
  if (!clock || site.asOf <= 0) return null;
  return Math.max(0, clock.now - site.asOf);
}

export function isSiteStale(site: SiteSummary, clock: StreamClock | undefined, staleAfterMs = STALE_AFTER_MS): boolean {
  const age = siteAgeMs(site, clock);
  return age !== null && age > staleAfterMs;
}

export function estateFreshness(input: FreshnessInput): EstateFreshness {
  const staleAfterMs = input.staleAfterMs ?? STALE_AFTER_MS;
  const silentSites = input.sites.filter((s) => isSiteStale(s, input.clock, staleAfterMs)).length;
  if (!input.connected && input.disconnectedAt !== undefined && input.wallNow - input.disconnectedAt >= OFFLINE_GRACE_MS) {
    return {
      stale: true,
      since: input.disconnectedAt,
      why: `Live updates stopped at ${clockTime(input.disconnectedAt)}: the stream from the server is down (server stopped or unreachable). Figures are from before then and may no longer hold.`,
      silentSites,
    };
  }
  if (input.clock && input.clock.asOf > 0 && input.clock.now - input.clock.asOf > staleAfterMs) {
    return {
      stale: true,
      since: input.clock.asOf,
      why: `No new figures since ${clockTime(input.clock.asOf)} (${age(input.clock.now - input.clock.asOf)} behind the server's clock): the processor is lagging or has stopped.`,
      silentSites,
    };
  }
  return { stale: false, since: null, why: '', silentSites };
}

/** "40 s", "3 min", "2 h 5 min": an age for people. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

// Clock times are told in one zone by one formatter (format.ts); re-exported for the tiles and the wall.
export { clockTime };
