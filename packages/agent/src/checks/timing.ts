// Phase marks for one check, taken with the monotonic clock, and their conversion to durations.
import dns from 'node:dns';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AppCheckResult } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** setTimeout fires at once for delays it cannot hold; no check waits longer than this. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** A usable timeout: the default for anything that is not a positive number. */
export function effectiveTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return DEFAULT_TIMEOUT_MS;
  return Math.min(timeoutMs, MAX_TIMEOUT_MS);
}

/**
 * Marks on the monotonic clock (performance.now()) for the phases of one connection. Each
 * duration is its phase's own time: DNS from the start of the lookup to its answer, TCP from the
 * answer (or from the start, when there was no lookup) to 'connect', TLS from 'connect' to
 * 'secureConnect', time to first byte from the moment the request could be sent (the connection
 * ready) to the response headers, total from the start of the check.
 */
export class PhaseClock {
  readonly start = performance.now();
  dnsStart?: number;
  dnsEnd?: number;
  connect?: number;
  secure?: number;
  response?: number;

  /**
   * Milliseconds between two marks. Marks are rounded to whole microseconds from the start before
   * subtracting, so consecutive phases add up to no more than the total.
   */
  between(from: number, to: number): number {
    const us = (mark: number) => Math.round((mark - this.start) * 1000);
    return Math.max(0, us(to) - us(from)) / 1000;
  }

  /** The phases measured so far, and the total up to now. */
  phases(): Pick<AppCheckResult, 'dnsMs' | 'tcpMs' | 'tlsMs' | 'ttfbMs' | 'totalMs'> {
    const out: Pick<AppCheckResult, 'dnsMs' | 'tcpMs' | 'tlsMs' | 'ttfbMs' | 'totalMs'> = {
      totalMs: this.between(this.start, performance.now()),
    };
    if (this.dnsStart !== undefined && this.dnsEnd !== undefined) out.dnsMs = this.between(this.dnsStart, this.dnsEnd);
    const afterDns = this.dnsEnd ?? this.start;
    if (this.connect !== undefined) out.tcpMs = this.between(afterDns, this.connect);
    if (this.secure !== undefined) out.tlsMs = this.between(this.connect ?? afterDns, this.secure);
    if (this.response !== undefined) out.ttfbMs = this.between(this.secure ?? this.connect ?? afterDns, this.response);
    return out;
  }
}

/** Node's resolver through the operating system (getaddrinfo), as a net.LookupFunction. */
export const systemLookup: net.LookupFunction = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * Wraps a lookup function so that the clock records when the lookup started and when it answered
 * (successfully or not). Node calls the lookup only for host names: an IP literal has no DNS
 * phase, and the check then reports no dnsMs.
 */
export function timedLookup(clock: PhaseClock, base: net.LookupFunction = systemLookup): net.LookupFunction {
  return (hostname, options, callback) => {
    clock.dnsStart ??= performance.now();
    let answered = false;
    const answer: Parameters<net.LookupFunction>[2] = (err, address, family) => {
      if (answered) return; // a lookup answers once
      answered = true;
      if (!err) clock.dnsEnd = performance.now();
      callback(err, address, family);
    };
    try {
      base(hostname, options, answer);
    } catch (error) {
      // A lookup that throws instead of calling back failed to resolve all the same.
      const failure = error instanceof Error ? error : new Error(String(error));
      answer(Object.assign(failure, { code: (failure as NodeJS.ErrnoException).code ?? 'ENOTFOUND' }), '');
    }
  };
}
