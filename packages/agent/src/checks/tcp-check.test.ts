import { AppBody } from '@wardwatch/schema';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpCheck } from './tcp-check.ts';
import type { AppCheckResult } from './types.ts';
import { closedPort, failingLookup, hangingLookup, lookupTo, stalledListener } from './testdata/servers.ts';

function valid(result: AppCheckResult): AppCheckResult {
  expect(AppBody.parse(result)).toEqual(result);
  expect(result.source).toBe('synthetic');
  expect(result.status).toBeUndefined(); // TCP has no status
  expect(result.tlsMs).toBeUndefined();
  expect(result.ttfbMs).toBeUndefined();
  return result;
}

describe('tcpCheck against real local listeners', () => {
  let server: net.Server;
  let port: number;
  let accepted = 0;
  beforeAll(async () => {
    server = net.createServer((socket) => {
      accepted += 1;
      socket.on('error', () => {});
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to a listening port (IP literal: no DNS phase)', async () => {
    const before = accepted;
    const result = valid(await tcpCheck({ app: 'hl7', host: '127.0.0.1', port }));
    expect(result).toMatchObject({ app: 'hl7', ok: true });
    expect(result.error).toBeUndefined();
    expect(result.dnsMs).toBeUndefined();
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.tcpMs).toBeLessThanOrEqual(result.totalMs);
    await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toBe(before + 1);
  });

  it('times the lookup of a name, then the connect', async () => {
    const result = valid(await tcpCheck({ app: 'hl7', host: 'hl7.trust.test', port, lookup: lookupTo('127.0.0.1', 50) }));
    expect(result.ok).toBe(true);
    expect(result.dnsMs).toBeGreaterThanOrEqual(50 - 2);
    expect((result.dnsMs ?? 0) + (result.tcpMs ?? 0)).toBeLessThanOrEqual(result.totalMs + 0.001);
  });

  it('classifies a closed port as refused', async () => {
    const result = valid(await tcpCheck({ app: 'hl7', host: '127.0.0.1', port: await closedPort() }));
    expect(result).toMatchObject({ ok: false, error: 'refused' });
    expect(result.tcpMs).toBeUndefined();
  });

  it('times out, promptly, on a connect the network never completes', async () => {
    const stalled = await stalledListener();
    try {
      const began = performance.now();
      const result = valid(await tcpCheck({ app: 'hl7', host: '127.0.0.1', port: stalled.port, timeoutMs: 500 }));
      expect(result).toMatchObject({ ok: false, error: 'timeout' });
      expect(result.tcpMs).toBeUndefined();
      expect(result.totalMs).toBeGreaterThanOrEqual(500 - 2);
      expect(performance.now() - began).toBeLessThan(500 + 400);
    } finally {
      stalled.close();
    }
  });

  it('times out on a lookup that never answers', async () => {
    const result = valid(await tcpCheck({ app: 'hl7', host: 'hl7.trust.test', port, lookup: hangingLookup, timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, error: 'timeout' });
    expect(result.dnsMs).toBeUndefined();
    expect(result.totalMs).toBeLessThan(300 + 400);
  });

  it('classifies a failed lookup as dns', async () => {
    const result = valid(await tcpCheck({ app: 'hl7', host: 'hl7.nowhere.test', port, lookup: failingLookup() }));
    expect(result).toMatchObject({ ok: false, error: 'dns' });
  });

  it('never throws: an invalid port is a failed result', async () => {
    const result = valid(await tcpCheck({ app: 'hl7', host: '127.0.0.1', port: 70_000 }));
    expect(result).toMatchObject({ ok: false, error: 'other' });
  });
});
