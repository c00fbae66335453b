// Who may reach a server and how: --auth-config, --allowed-hosts, --public-url, and the refusal to
// serve an unauthenticated server on the network unless the operator accepts the risk by name.
import { UsageError } from './usage-error.ts';

export interface AccessArgs {
  /** Auth file (OpenID Connect, roles; docs/security.md); undefined → no sign-in. */
  authConfig?: string;
  /** Host names the server answers to, besides the loopback names and the bound address. */
  allowedHosts: string[];
  /** The URL users and devices reach the server at (e.g. an https reverse proxy). */
  publicUrl?: string;
}

export interface AccessFlags {
  'auth-config'?: string;
  'allowed-hosts'?: string;
  'public-url'?: string;
  /** false when --no-auth-on-network was given. */
  'auth-on-network'?: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const HOST_NAME = /^(\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\*|[0-9a-f:]+)$/i;

export function accessOptions(command: string, host: string, values: AccessFlags, env: NodeJS.ProcessEnv): AccessArgs {
  const flag = values['auth-config'];
  if (flag !== undefined && flag.trim() === '') throw new UsageError('--auth-config needs a file name');
  const authConfig = (flag ?? env.WARDWATCH_AUTH_CONFIG)?.trim() || undefined;

  const hostsText = values['allowed-hosts'] ?? env.WARDWATCH_ALLOWED_HOSTS ?? '';
  const allowedHosts = hostsText.split(',').map((h) => h.trim()).filter(Boolean);
  for (const name of allowedHosts) {
    if (!HOST_NAME.test(name)) throw new UsageError(`--allowed-hosts: "${name}" is not a host name (give names without scheme or port, e.g. wardwatch.trust.nhs.uk or .trust.nhs.uk)`);
  }

  const publicText = (values['public-url'] ?? env.WARDWATCH_PUBLIC_URL)?.trim() || undefined;
  let publicUrl: string | undefined;
  if (publicText) {
    let url: URL;
    try {
      url = new URL(publicText);
    } catch {
      throw new UsageError(`--public-url must be a URL like https://wardwatch.trust.nhs.uk; got "${publicText}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--public-url must be http(s); got "${publicText}"`);
    publicUrl = url.origin;
    allowedHosts.push(url.hostname.replace(/^\[|\]$/g, ''));
  }

  if (!authConfig && !isLoopback(host) && values['auth-on-network'] !== false) {
    throw new UsageError(
      `wardwatch ${command} would serve every site, ward and device, and let anyone silence alerts, to whoever can reach ${host}: ` +
        'there is no sign-in. Give it an OpenID Connect auth file with --auth-config FILE (see docs/security.md), ' +
        'or bind to 127.0.0.1 behind your own authenticating proxy; to run open on the network anyway, add --no-auth-on-network.',
    );
  }
  return { ...(authConfig ? { authConfig } : {}), allowedHosts, ...(publicUrl ? { publicUrl } : {}) };
}
