// Synthetic HTTP(S) check: one request over its own fresh connection, timed phase by phase from the
// socket's events, with any failure turned into a classified result rather than an exception.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyError } from './classify.ts';
import { effectiveTimeout, PhaseClock, timedLookup } from './timing.ts';
import type { AppCheckResult, AppFailure } from './types.ts';

export interface HttpCheckTarget {
  /** Clinical application id from the trust's catalogue, e.g. "epr". */
  app: string;
  /** http: or https: URL to request. Redirects are not followed: a 3xx is an answer. */
  url: string;
  /** One deadline over the whole check, from start to the last byte of the body (default 10 s). */
  timeoutMs?: number;
  method?: 'GET' | 'HEAD';
  /** Certificate authorities to trust instead of Node's bundled ones (e.g. a trust's own CA). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Resolver to use instead of the operating system's (injectable for tests). */
  lookup?: net.LookupFunction;
  /**
   * Which statuses count as a usable answer. Without it, 100–499 are ok and 5xx is a failure
   * ('http5xx'). With it, a status it rejects is a failure: 'http5xx' for 5xx, 'other' otherwise.
   */
  expectStatus?: number | readonly number[] | ((status: number) => boolean);
  /** Extra request headers. */
  headers?: Record<string, string>;
}

const USER_AGENT = 'wardwatch-agent (synthetic check)';

function statusVerdict(status: number, expect: HttpCheckTarget['expectStatus']): { ok: boolean; error?: AppFailure } {
  if (!Number.isInteger(status) || status < 100 || status > 599) return { ok: false, error: 'other' };
  let ok: boolean;
  if (expect === undefined) ok = status < 500;
  else if (typeof expect === 'number') ok = status === expect;
  else if (typeof expect === 'function') {
    try {
      ok = Boolean(expect(status));
    } catch {
      ok = false; // a predicate that throws accepts nothing
    }
  } else ok = expect.includes(status);
  if (ok) return { ok };
  return { ok, error: status >= 500 ? 'http5xx' : 'other' };
}

/**
 * Requests `target.url` once and reports how long each phase took:
 * - dnsMs: the name lookup (absent for an IP-literal URL, which has no DNS phase);
 * - tcpMs: the TCP connect, from the lookup's answer (or the start) to 'connect';
 * - tlsMs: the TLS handshake, 'connect' to 'secureConnect' (https only);
 * - ttfbMs: from the connection being ready (the request is written then) to the response headers;
 * - totalMs: from the start to the end of the body (read and discarded), or to the failure.
 * Each check uses its own connection (`agent: false`), so no phase is hidden by keep-alive.
 * It never rejects: a failure is a result with ok=false, an error kind and the phases measured
 * until then.
 */
export function httpCheck(target: HttpCheckTarget): Promise<AppCheckResult> {
  return new Promise<AppCheckResult>((resolve) => {
    const clock = new PhaseClock();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let req: http.ClientRequest | undefined;
    let responseStatus: number | undefined;

    const finish = (outcome: { ok: boolean; status?: number; error?: AppFailure }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The status is reported whenever one arrived, even if the body then failed or timed out.
      const status = outcome.status ?? responseStatus;
      const result: AppCheckResult = {
        app: target.app,
        ok: outcome.ok,
        ...(status !== undefined && status >= 100 && status <= 599 ? { status } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...clock.phases(),
        source: 'synthetic',
      };
      // The connection was the check's own: close it, whatever state it is in.
      req?.destroy();
      resolve(result);
    };

    try {
      const url = new URL(target.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        finish({ ok: false, error: 'other' });
        return;
      }
      const secure = url.protocol === 'https:';
      timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), effectiveTimeout(target.timeoutMs));

      const options: https.RequestOptions = {
        method: target.method ?? 'GET',
        agent: false,
        lookup: timedLookup(clock, target.lookup),
        headers: { 'user-agent': USER_AGENT, accept: '*/*', ...target.headers },
      };
      if (secure && target.ca !== undefined) options.ca = target.ca;
      req = (secure ? https : http).request(url, options);

      req.on('socket', (socket: net.Socket) => {
        // 'socket' comes a tick after the socket is made; connecting takes at least an I/O turn.
        if (socket.connecting) socket.once('connect', () => (clock.connect ??= performance.now()));
        else clock.connect ??= performance.now();
        if (secure) socket.once('secureConnect', () => (clock.secure ??= performance.now()));
      });
      req.on('response', (res: http.IncomingMessage) => {
        clock.response ??= performance.now();
        const status = res.statusCode ?? 0;
        responseStatus = status;
        res.on('error', (error) => finish({ ok: false, status, error: classifyError(error) }));
        res.on('end', () => finish({ status, ...statusVerdict(status, target.expectStatus) }));
        // Closed before the whole body arrived (and without an 'error', in some Node versions).
        res.on('close', () => {
          if (!res.complete) finish({ ok: false, status, error: 'reset' });
        });
        res.resume(); // the body is read to the end and discarded
      });
      // Stays attached after the check settles, so a late error never goes unhandled.
      req.on('error', (error) => finish({ ok: false, error: classifyError(error) }));
      req.end();
    } catch (error) {
      // An invalid URL, option or header: nothing was sent.
      finish({ ok: false, error: classifyError(error) });
    }
  });
}
