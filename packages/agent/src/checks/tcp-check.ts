// Synthetic TCP check: can a connection to host:port be opened, and how long do DNS and connect take?
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyError } from './classify.ts';
import { effectiveTimeout, PhaseClock, timedLookup } from './timing.ts';
import type { AppCheckResult, AppFailure } from './types.ts';

export interface TcpCheckTarget {
  app: string;
  host: string;
  port: number;
  /** One deadline over lookup and connect (default 10 s). */
  timeoutMs?: number;
  /** Resolver to use instead of the operating system's (injectable for tests). */
  lookup?: net.LookupFunction;
}

/**
 * Opens a TCP connection to host:port and closes it at once. ok when the connection was
 * established; dnsMs for a host name (absent for an IP literal), tcpMs from the lookup's answer
 * (or the start) to 'connect', totalMs from the start. Never rejects.
 */
export function tcpCheck(target: TcpCheckTarget): Promise<AppCheckResult> {
  return new Promise<AppCheckResult>((resolve) => {
    const clock = new PhaseClock();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let socket: net.Socket | undefined;

    const finish = (ok: boolean, error?: AppFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result: AppCheckResult = {
        app: target.app,
        ok,
        ...(error !== undefined ? { error } : {}),
        ...clock.phases(),
        source: 'synthetic',
      };
      socket?.destroy();
      resolve(result);
    };

    try {
      timer = setTimeout(() => finish(false, 'timeout'), effectiveTimeout(target.timeoutMs));
      socket = net.connect({ host: target.host, port: target.port, lookup: timedLookup(clock, target.lookup) });
      socket.once('connect', () => {
        clock.connect ??= performance.now();
        finish(true);
      });
      socket.on('error', (error) => finish(false, classifyError(error)));
    } catch (error) {
      // An invalid port or option: no connection was attempted.
      finish(false, classifyError(error));
    }
  });
}
