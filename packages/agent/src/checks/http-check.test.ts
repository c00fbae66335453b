import { AppBody } from '@wardwatch/schema';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { httpCheck } from './http-check.ts';
import type { AppCheckResult } from './types.ts';
import { closedPort, failingLookup, hangingLookup, lookupTo, startHttp, stalledListener, type Running } from './testdata/servers.ts';

// Loose enough for a loaded two-core machine; timers may fire a hair early on the monotonic clock.
const EARLY = 2;
const SLACK = 400;

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});
async function serve(handler: Parameters<typeof startHttp>[0]): Promise<Running> {
  const server = await startHttp(handler);
  running.push(server);
  return server;
}

/** Every result must be a valid `app` event body, whatever happened. */
function valid(result: AppCheckResult): AppCheckResult {
  expect(AppBody.parse(result)).toEqual(result);
  expect(result.source).toBe('synthetic');
  return result;
}

function sumOfPhases(result: AppCheckResult): number {
  return (result.dnsMs ?? 0) + (result.tcpMs ?? 0) + (result.tlsMs ?? 0) + (result.ttfbMs ?? 0);
}

describe('httpCheck against real local servers', () => {
  it('times every phase of a fast answer, and the phases fit inside the total', async () => {
    const delay = 50;
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), delay));
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/health` }));
    expect(result).toMatchObject({ app: 'epr', ok: true, status: 200 });
    expect(result.error).toBeUndefined();
    // An IP literal has no DNS phase; plain HTTP has no TLS phase.
    expect(result.dnsMs).toBeUndefined();
    expect(result.tlsMs).toBeUndefined();
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.ttfbMs).toBeGreaterThanOrEqual(delay - EARLY);
    expect(sumOfPhases(result)).toBeLessThanOrEqual(result.totalMs + 0.001);
    expect(result.totalMs).toBeLessThan(delay + 2000);
  });

  it('counts the whole body in the total, not just the headers', async () => {
    // The server notes, on the same monotonic clock, when the request reached it and when it ended
    // the body. The check started before the first and finished after the second, so its total covers
    // that span whatever the load — unlike total − first byte, which shrinks when the client reads the
    // headers late.
    let served = { from: 0, to: 0 };
    const server = await serve((_req, res) => {
      const from = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
      setTimeout(() => {
        res.end('last part');
        served = { from, to: performance.now() };
      }, 250);
    });
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/` }));
    expect(result.ok).toBe(true);
    expect(served.to - served.from).toBeGreaterThanOrEqual(250 - EARLY);
    expect(result.totalMs).toBeGreaterThanOrEqual(served.to - served.from - 0.001); // the total is rounded to a microsecond
  });

  it('waits for a slow server that answers within the deadline', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('slow'), 300));
    const result = valid(await httpCheck({ app: 'pacs', url: `http://127.0.0.1:${server.port}/`, timeoutMs: 5000 }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.ttfbMs).toBeGreaterThanOrEqual(300 - EARLY);
  });

  it('gives up at the deadline on a server slower than it, promptly, and drops the connection', async () => {
    let serverSawClose!: Promise<void>;
    const server = await serve((req, res) => {
      serverSawClose = new Promise((resolve) => req.socket.once('close', () => resolve()));
      const timer = setTimeout(() => res.end('too late'), 5000);
      res.on('close', () => clearTimeout(timer));
    });
    const timeoutMs = 500;
    const began = performance.now();
    const result = valid(await httpCheck({ app: 'pacs', url: `http://127.0.0.1:${server.port}/`, timeoutMs }));
    const waited = performance.now() - began;
    expect(result).toMatchObject({ ok: false, error: 'timeout' });
    expect(result.status).toBeUndefined();
    expect(result.ttfbMs).toBeUndefined();
    expect(result.tcpMs).toBeGreaterThanOrEqual(0); // it did connect
    expect(result.totalMs).toBeGreaterThanOrEqual(timeoutMs - EARLY);
    expect(result.totalMs).toBeLessThan(timeoutMs + SLACK);
    expect(waited).toBeLessThan(timeoutMs + SLACK);
    // The request was aborted: the server sees its connection closed long before its 5 s answer.
    await expect(Promise.race([serverSawClose, new Promise((r) => setTimeout(() => r('still open'), 1000))])).resolves.toBeUndefined();
  });

  it('applies the deadline to the body too: headers then a stall is a timeout with the status kept', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('a few bytes of a hundred');
    });
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/`, timeoutMs: 400 }));
    expect(result).toMatchObject({ ok: false, error: 'timeout', status: 200 });
    expect(result.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(result.totalMs).toBeLessThan(400 + SLACK);
  });

  it('reports a connect that never completes as a timeout, without a TCP phase', async () => {
    const stalled = await stalledListener();
    try {
      const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${stalled.port}/`, timeoutMs: 500 }));
      expect(result).toMatchObject({ ok: false, error: 'timeout' });
      expect(result.tcpMs).toBeUndefined();
      expect(result.totalMs).toBeLessThan(500 + SLACK);
    } finally {
      stalled.close();
    }
  });

  it('classifies a closed port as refused', async () => {
    const port = await closedPort();
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${port}/` }));
    expect(result).toMatchObject({ ok: false, error: 'refused' });
    expect(result.tcpMs).toBeUndefined();
    expect(result.status).toBeUndefined();
  });

  it('classifies a server that drops the connection on the request as reset', async () => {
    const server = await serve((req) => req.socket.destroy());
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/` }));
    expect(result).toMatchObject({ ok: false, error: 'reset' });
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(result.status).toBeUndefined();
  });

  it('classifies a connection dropped halfway through the body as reset, keeping the status', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('part of the body');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/` }));
    expect(result).toMatchObject({ ok: false, error: 'reset', status: 200 });
    expect(result.ttfbMs).toBeGreaterThanOrEqual(0);
  });

  it('fails a 5xx as http5xx with its status, and takes a 4xx as a usable answer', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.url === '/down' ? 503 : 404;
      res.end();
    });
    const down = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/down` }));
    expect(down).toMatchObject({ ok: false, error: 'http5xx', status: 503 });
    expect(down.ttfbMs).toBeGreaterThanOrEqual(0);
    const missing = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/missing` }));
    expect(missing).toMatchObject({ ok: true, status: 404 });
    expect(missing.error).toBeUndefined();
  });

  it('fails a status that expectStatus does not accept', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const url = `http://127.0.0.1:${server.port}/`;
    expect(valid(await httpCheck({ app: 'epr', url, expectStatus: 200 }))).toMatchObject({ ok: false, error: 'other', status: 404 });
    expect(valid(await httpCheck({ app: 'epr', url, expectStatus: [200, 404] }))).toMatchObject({ ok: true, status: 404 });
    expect(valid(await httpCheck({ app: 'epr', url, expectStatus: (s) => s < 300 }))).toMatchObject({ ok: false, status: 404 });
  });

  it('sends HEAD when asked and completes without a body', async () => {
    const methods: string[] = [];
    const server = await serve((req, res) => {
      methods.push(req.method ?? '');
      res.setHeader('content-length', '5');
      res.end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const result = valid(await httpCheck({ app: 'epr', url: `http://127.0.0.1:${server.port}/`, method: 'HEAD' }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(methods).toEqual(['HEAD']);
  });

  it('classifies a failed name lookup as dns, with no later phases', async () => {
    const result = valid(
      await httpCheck({ app: 'epr', url: 'http://epr.nowhere.test/', lookup: failingLookup('ENOTFOUND') }),
    );
    expect(result).toMatchObject({ ok: false, error: 'dns' });
    expect(result.dnsMs).toBeUndefined();
    expect(result.tcpMs).toBeUndefined();
    const again = valid(await httpCheck({ app: 'epr', url: 'http://epr.nowhere.test/', lookup: failingLookup('EAI_AGAIN') }));
    expect(again.error).toBe('dns');
  });

  it('times the DNS phase of a name resolved by an injected lookup', async () => {
    const hosts: string[] = [];
    const server = await serve((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.end('ok');
    });
    const asked: string[] = [];
    const result = valid(
      await httpCheck({ app: 'epr', url: `http://epr.trust.test:${server.port}/`, lookup: lookupTo('127.0.0.1', 100, asked) }),
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(asked).toEqual(['epr.trust.test']);
    expect(hosts).toEqual([`epr.trust.test:${server.port}`]);
    expect(result.dnsMs).toBeGreaterThanOrEqual(100 - EARLY);
    expect(result.dnsMs).toBeLessThan(100 + SLACK);
    expect(result.tcpMs).toBeGreaterThanOrEqual(0);
    expect(sumOfPhases(result)).toBeLessThanOrEqual(result.totalMs + 0.001);
  });

  it('keeps to the deadline when the lookup never answers', async () => {
    const began = performance.now();
    const result = valid(await httpCheck({ app: 'epr', url: 'http://epr.trust.test/', lookup: hangingLookup, timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, error: 'timeout' });
    expect(result.dnsMs).toBeUndefined();
    expect(performance.now() - began).toBeLessThan(300 + SLACK);
  });

  it('opens a fresh connection for every check, even to a keep-alive server', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('connection', 'keep-alive');
      res.end('ok');
    });
    const url = `http://127.0.0.1:${server.port}/`;
    const first = valid(await httpCheck({ app: 'epr', url }));
    const second = valid(await httpCheck({ app: 'epr', url }));
    expect(first.tcpMs).toBeGreaterThanOrEqual(0);
    expect(second.tcpMs).toBeGreaterThanOrEqual(0);
    expect(server.connections()).toBe(2);
  });

  it('never throws: a malformed URL or an unsupported scheme is a failed result', async () => {
    await expect(httpCheck({ app: 'epr', url: 'not a url' })).resolves.toMatchObject({ ok: false, error: 'other' });
    const ftp = valid(await httpCheck({ app: 'epr', url: 'ftp://127.0.0.1/' }));
    expect(ftp).toMatchObject({ ok: false, error: 'other' });
    expect(ftp.totalMs).toBeGreaterThanOrEqual(0);
  });
});
