// Refuses a request whose Host is not one of this server's names. A DNS-rebinding page gets the
// browser to resolve the attacker's name to this server's address, then reads the answers as
// same-origin; the browser still sends the attacker's name as Host, which this check refuses.
import type { MiddlewareHandler } from 'hono';

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export interface HostAllowListOptions {
  /**
   * Host names (no port) the server answers to: exact names, `.example.nhs.uk` for a name and its
   * subdomains, or `*` for any (turns the check off). Default: the loopback names.
   */
  hosts?: readonly string[];
}

/** Loopback names, the bound address unless it is a wildcard, and the names the operator adds. */
export function defaultAllowedHosts(bindHost: string, extra: readonly string[] = []): string[] {
  const hosts = new Set(LOOPBACK_NAMES);
  const bound = bindHost.replace(/^\[|\]$/g, '').toLowerCase();
  if (bound !== '' && bound !== '0.0.0.0' && bound !== '::') hosts.add(bound);
  for (const name of extra) hosts.add(name.toLowerCase());
  return [...hosts];
}

/** The host name of a request URL: lower case, without port or IPv6 brackets. */
export function hostNameOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export function hostAllowList(options: HostAllowListOptions = {}): MiddlewareHandler {
  const hosts = (options.hosts ?? LOOPBACK_NAMES).map((h) => h.toLowerCase());
  if (hosts.includes('*')) return (_c, next) => next();
  const exact = new Set(hosts.filter((h) => !h.startsWith('.')));
  const suffixes = hosts.filter((h) => h.startsWith('.'));
  const allowed = (name: string) => exact.has(name) || suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
  return async (c, next) => {
    // The node adapter builds the request URL from the Host header (HTTP/2: :authority).
    const name = hostNameOf(c.req.url);
    if (!allowed(name)) {
      return c.json(
        { error: `this server does not answer to the host name "${name}"; its operator can add it with --allowed-hosts or --public-url (see docs/security.md)` },
        403,
      );
    }
    await next();
  };
}
