import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { defaultAllowedHosts, hostAllowList } from './index.ts';

function app(hosts?: string[]) {
  const a = new Hono();
  a.use(hostAllowList({ hosts }));
  a.get('/api/sites', (c) => c.json([]));
  return a;
}

describe('hostAllowList', () => {
  it.each([
    // [allowed hosts, request URL, status]
    [undefined, 'http://localhost:8080/api/sites', 200],
    [undefined, 'http://127.0.0.1:8080/api/sites', 200],
    [undefined, 'http://[::1]:8080/api/sites', 200],
    [undefined, 'http://attacker.example:8080/api/sites', 403], // DNS rebinding: the attacker's name
    [undefined, 'http://LOCALHOST/api/sites', 200],
    [['wardwatch.trust.nhs.uk'], 'http://wardwatch.trust.nhs.uk/api/sites', 200],
    [['wardwatch.trust.nhs.uk'], 'http://localhost/api/sites', 403],
    [['.trust.nhs.uk'], 'http://ww.trust.nhs.uk/api/sites', 200],
    [['.trust.nhs.uk'], 'http://trust.nhs.uk/api/sites', 200],
    [['.trust.nhs.uk'], 'http://eviltrust.nhs.uk/api/sites', 403],
    [['*'], 'http://anything.example/api/sites', 200],
  ] as const)('hosts %j: %s → %i', async (hosts, url, status) => {
    const res = await app(hosts as string[] | undefined).request(url);
    expect(res.status).toBe(status);
    if (status === 403) expect((await res.json()).error).toMatch(/does not answer to the host name .*--allowed-hosts/);
  });

  it('defaults to the loopback names and the bound address, never a wildcard bind', () => {
    expect(defaultAllowedHosts('127.0.0.1').sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(defaultAllowedHosts('10.1.2.3')).toContain('10.1.2.3');
    expect(defaultAllowedHosts('0.0.0.0')).not.toContain('0.0.0.0');
    expect(defaultAllowedHosts('::')).not.toContain('::');
    expect(defaultAllowedHosts('0.0.0.0', ['WW.Trust.NHS.uk'])).toContain('ww.trust.nhs.uk');
  });
});
