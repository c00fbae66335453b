import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.ts';
import { isLoopback } from './access-options.ts';

describe('who may reach a server', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.20.30.40', false],
    ['wardwatch.trust.nhs.uk', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it.each([
    ['start', ['start', '--host', '0.0.0.0']],
    ['start', ['start', '--host', '10.1.2.3', '--port', '8443']],
    ['server', ['server', '--host', '0.0.0.0']],
  ])('%s on a network address without sign-in is refused, naming the way out', (_c, argv) => {
    expect(() => parseCommandLine(argv, {})).toThrow(/there is no sign-in.*--auth-config FILE.*docs\/security\.md.*--no-auth-on-network/);
  });

  it('starts open on loopback as before, and on the network with an auth file or the explicit flag', () => {
    expect(parseCommandLine(['start'], {})).toMatchObject({ command: 'start', host: '127.0.0.1', allowedHosts: [] });
    expect(parseCommandLine(['start', '--host', '0.0.0.0', '--auth-config', 'auth.yaml'], {})).toMatchObject({ authConfig: 'auth.yaml' });
    expect(parseCommandLine(['server', '--host', '0.0.0.0'], { WARDWATCH_AUTH_CONFIG: '/etc/wardwatch/auth.yaml' })).toMatchObject({ authConfig: '/etc/wardwatch/auth.yaml' });
    expect(parseCommandLine(['start', '--host', '0.0.0.0', '--no-auth-on-network'], {})).toMatchObject({ command: 'start', host: '0.0.0.0' });
    expect(parseCommandLine(['start', '--host', '0.0.0.0', '--no-auth-on-network'], {})).not.toHaveProperty('authConfig');
  });

  it('takes host names and a public URL, whose host joins the allowed names', () => {
    const args = parseCommandLine(['server', '--allowed-hosts', 'ww.trust.nhs.uk, .rxx.nhs.uk', '--public-url', 'https://wardwatch.trust.nhs.uk/'], {});
    expect(args).toMatchObject({ allowedHosts: ['ww.trust.nhs.uk', '.rxx.nhs.uk', 'wardwatch.trust.nhs.uk'], publicUrl: 'https://wardwatch.trust.nhs.uk' });
    expect(() => parseCommandLine(['start', '--allowed-hosts', 'http://x.example'], {})).toThrow(/--allowed-hosts: "http:\/\/x.example" is not a host name/);
    expect(() => parseCommandLine(['start', '--public-url', 'wardwatch'], {})).toThrow(/--public-url must be a URL/);
    expect(() => parseCommandLine(['start', '--auth-config', ''], {})).toThrow(/--auth-config needs a file name/);
  });
});
