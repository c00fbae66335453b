// Synthetic DNS check: how long does a name take to resolve, and does it resolve at all?
import dns from 'node:dns';
import { performance } from 'node:perf_hooks';
import { errorCode } from './classify.ts';
import { effectiveTimeout } from './timing.ts';
import type { DnsCheckResult } from './types.ts';

/**
 * Resolves a name; the answer's content does not matter, only that there is one (an empty list
 * counts as no answer). The signal is aborted when the check gives up, so a resolver can cancel.
 */
export type DnsResolve = (hostname: string, signal: AbortSignal) => Promise<unknown>;

/** The operating system's resolver (getaddrinfo: hosts file, caches, then DNS), as applications use it. */
export const systemResolve: DnsResolve = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * A resolver that asks the given DNS servers directly ("10.1.2.3" or "10.1.2.3:5353"), bypassing
 * the hosts file and local caches, for a check of the servers themselves. Queries A records unless
 * told otherwise; a timed-out check cancels its outstanding queries.
 */
export function serverResolve(servers: string[], rrtype: 'A' | 'AAAA' = 'A'): DnsResolve {
  return async (hostname, signal) => {
    const resolver = new dns.promises.Resolver({ tries: 1 });
    resolver.setServers(servers);
    const cancel = () => resolver.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await (rrtype === 'A' ? resolver.resolve4(hostname) : resolver.resolve6(hostname));
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  };
}

export interface DnsCheckTarget {
  /** What is being checked, e.g. "dns" or the resolver's name. */
  target: string;
  hostname: string;
  /** Deadline for the answer (default 10 s). */
  timeoutMs?: number;
  /** How to resolve (default: the operating system's resolver, {@link systemResolve}). */
  resolver?: DnsResolve;
}

/**
 * Resolves `hostname` once and reports the time it took. A failure is 'timeout' when the deadline
 * passed (or the resolver itself reported a timeout), 'dns' for anything else. Never rejects.
 */
export function dnsCheck(target: DnsCheckTarget): Promise<DnsCheckResult> {
  const start = performance.now();
  const controller = new AbortController();
  const resolve = target.resolver ?? systemResolve;
  return new Promise<DnsCheckResult>((done) => {
    let settled = false;
    const finish = (ok: boolean, error?: 'dns' | 'timeout'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result: DnsCheckResult = { target: target.target, ok, totalMs: Math.round((performance.now() - start) * 1000) / 1000 };
      if (error !== undefined) result.error = error;
      if (error === 'timeout') controller.abort();
      done(result);
    };
    const timer = setTimeout(() => finish(false, 'timeout'), effectiveTimeout(target.timeoutMs));

    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(resolve(target.hostname, controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (answer) => (Array.isArray(answer) && answer.length === 0 ? finish(false, 'dns') : finish(true)),
      (error: unknown) => {
        const code = errorCode(error);
        finish(false, code === 'ETIMEOUT' || code === 'ETIMEDOUT' ? 'timeout' : 'dns');
      },
    );
  });
}
