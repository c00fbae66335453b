import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsCheck, serverResolve } from './dns-check.ts';
import { startDns, type DnsServer } from './testdata/servers.ts';

describe('dnsCheck', () => {
  it("resolves a name through the operating system's resolver (localhost)", async () => {
    const result = await dnsCheck({ target: 'dns', hostname: 'localhost' });
    expect(result).toMatchObject({ target: 'dns', ok: true });
    expect(result.error).toBeUndefined();
    expect(result.totalMs).toBeGreaterThanOrEqual(0);
  });

  it('times an injected resolver', async () => {
    const asked: string[] = [];
    const result = await dnsCheck({
      target: 'dns',
      hostname: 'epr.trust.test',
      resolver: (hostname) => {
        asked.push(hostname);
        return new Promise((resolve) => setTimeout(() => resolve(['10.1.2.3']), 100));
      },
    });
    expect(result).toMatchObject({ ok: true });
    expect(asked).toEqual(['epr.trust.test']);
    expect(result.totalMs).toBeGreaterThanOrEqual(100 - 2);
    expect(result.totalMs).toBeLessThan(100 + 400);
  });

  it('classifies a rejected or empty answer as dns, and a resolver timeout as timeout', async () => {
    const notFound = Object.assign(new Error('queryA ENOTFOUND x'), { code: 'ENOTFOUND' });
    await expect(dnsCheck({ target: 'dns', hostname: 'x.test', resolver: () => Promise.reject(notFound) })).resolves.toMatchObject({
      ok: false,
      error: 'dns',
    });
    await expect(dnsCheck({ target: 'dns', hostname: 'x.test', resolver: async () => [] })).resolves.toMatchObject({ ok: false, error: 'dns' });
    const timedOut = Object.assign(new Error('queryA ETIMEOUT x'), { code: 'ETIMEOUT' });
    await expect(dnsCheck({ target: 'dns', hostname: 'x.test', resolver: () => Promise.reject(timedOut) })).resolves.toMatchObject({
      ok: false,
      error: 'timeout',
    });
    // A resolver that throws instead of rejecting is still a result.
    const throwing = () => {
      throw new Error('boom');
    };
    await expect(dnsCheck({ target: 'dns', hostname: 'x.test', resolver: throwing })).resolves.toMatchObject({ ok: false, error: 'dns' });
  });

  it('gives up at the deadline, promptly, and tells the resolver to stop', async () => {
    let signal: AbortSignal | undefined;
    const began = performance.now();
    const result = await dnsCheck({
      target: 'dns',
      hostname: 'slow.trust.test',
      timeoutMs: 300,
      resolver: (_hostname, s) => {
        signal = s;
        return new Promise(() => {});
      },
    });
    expect(result).toMatchObject({ ok: false, error: 'timeout' });
    expect(result.totalMs).toBeGreaterThanOrEqual(300 - 2);
    expect(performance.now() - began).toBeLessThan(300 + 400);
    expect(signal?.aborted).toBe(true);
  });
});

describe('dnsCheck against a real DNS server on loopback (serverResolve)', () => {
  let answering: DnsServer;
  let nxdomain: DnsServer;
  let silent: DnsServer;
  beforeAll(async () => {
    answering = await startDns('10.9.8.7');
    nxdomain = await startDns('nxdomain');
    silent = await startDns('silent');
  });
  afterAll(async () => {
    await Promise.all([answering?.close(), nxdomain?.close(), silent?.close()]);
  });

  it('resolves through the given server', async () => {
    const resolve = serverResolve([`127.0.0.1:${answering.port}`]);
    await expect(resolve('epr.trust.test', new AbortController().signal)).resolves.toEqual(['10.9.8.7']);
    const result = await dnsCheck({ target: 'dns', hostname: 'epr.trust.test', resolver: resolve });
    expect(result).toMatchObject({ ok: true });
    expect(answering.queries()).toBeGreaterThanOrEqual(2);
  });

  it('classifies NXDOMAIN as dns', async () => {
    const result = await dnsCheck({ target: 'dns', hostname: 'nowhere.trust.test', resolver: serverResolve([`127.0.0.1:${nxdomain.port}`]) });
    expect(result).toMatchObject({ ok: false, error: 'dns' });
  });

  it('times out on a server that never answers, promptly', async () => {
    const began = performance.now();
    const result = await dnsCheck({
      target: 'dns',
      hostname: 'epr.trust.test',
      timeoutMs: 400,
      resolver: serverResolve([`127.0.0.1:${silent.port}`]),
    });
    expect(result).toMatchObject({ ok: false, error: 'timeout' });
    expect(performance.now() - began).toBeLessThan(400 + 400);
    expect(silent.queries()).toBeGreaterThanOrEqual(1);
  });
});
