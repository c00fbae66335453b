import { AppBody } from '@wardwatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCheck } from './http-check.ts';
import type { AppCheckResult } from './types.ts';
import { lookupTo, makeSelfSignedCert, startHttp, startHttps, type Cert, type Running } from './testdata/servers.ts';

function valid(result: AppCheckResult): AppCheckResult {
  expect(AppBody.parse(result)).toEqual(result);
  return result;
}

describe('httpCheck over TLS against a real local HTTPS server', () => {
  let cert: Cert;
  let server: Running;
  let plain: Running;
  beforeAll(async () => {
    // A throwaway self-signed certificate for localhost / 127.0.0.1, made now with the openssl CLI.
    cert = makeSelfSignedCert();
    server = await startHttps(cert, (_req, res) => setTimeout(() => res.end('secure'), 20));
    plain = await startHttp((_req, res) => res.end('not tls'));
  });
  afterAll(async () => {
    await server?.close();
    await plain?.close();
  });

  it('rejects a self-signed certificate as a tls failure, after a completed TCP connect', async () => {
    const result = valid(await httpCheck({ app: 'ice', url: `https://127.0.0.1:${server.port}/` }));
    expect(result).toMatchObject({ ok: false, error: 'tls' });
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.tlsMs).toBeUndefined();
    expect(result.status).toBeUndefined();
  });

  it('succeeds when the certificate is trusted through `ca`, and times the handshake', async () => {
    const result = valid(await httpCheck({ app: 'ice', url: `https://127.0.0.1:${server.port}/`, ca: cert.cert }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.error).toBeUndefined();
    expect(result.dnsMs).toBeUndefined(); // IP literal
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.tlsMs).toBeGreaterThan(0); // an RSA handshake takes some time
    expect(result.ttfbMs).toBeGreaterThanOrEqual(20 - 2);
    const phases = (result.tcpMs ?? 0) + (result.tlsMs ?? 0) + (result.ttfbMs ?? 0);
    expect(phases).toBeLessThanOrEqual(result.totalMs + 0.001);
  });

  it('times all four phases for a trusted certificate reached by name', async () => {
    const result = valid(
      await httpCheck({ app: 'ice', url: `https://localhost:${server.port}/`, ca: cert.cert, lookup: lookupTo('127.0.0.1', 30) }),
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.dnsMs).toBeGreaterThanOrEqual(30 - 2);
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.tlsMs).toBeGreaterThan(0);
    expect(result.ttfbMs).toBeGreaterThanOrEqual(0);
    const phases = (result.dnsMs ?? 0) + (result.tcpMs ?? 0) + (result.tlsMs ?? 0) + (result.ttfbMs ?? 0);
    expect(phases).toBeLessThanOrEqual(result.totalMs + 0.001);
  });

  it('fails a trusted certificate that does not name the host as tls', async () => {
    const result = valid(
      await httpCheck({ app: 'ice', url: `https://wrong.trust.test:${server.port}/`, ca: cert.cert, lookup: lookupTo('127.0.0.1') }),
    );
    expect(result).toMatchObject({ ok: false, error: 'tls' });
    expect(result.dnsMs).toBeGreaterThanOrEqual(0);
  });

  it('fails a TLS handshake with a server that does not speak TLS as tls', async () => {
    const result = valid(await httpCheck({ app: 'ice', url: `https://127.0.0.1:${plain.port}/`, timeoutMs: 3000 }));
    expect(result).toMatchObject({ ok: false, error: 'tls' });
  });
});
