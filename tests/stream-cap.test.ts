// The live-stream cap with real connections: a thousand streams open against a real server, the
// 1,001st is refused with 503 and Retry-After, and every one of the thousand still receives the next
// status change. (How fast /healthz answers meanwhile is measured by `npm run bench -- --only streams`.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeStatus } from '@wardwatch/schema';
import { createApp, createMetrics, listen, StatusBoard, type RunningServer } from '@wardwatch/server';
import { openStore } from '@wardwatch/store';
import { until } from './helpers/sse.ts';

const STREAMS = 1000;
const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const status = (id: string, health: ScopeStatus['status'], asOf: number): ScopeStatus => ({ key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: health, reason: health === 'ok' ? '' : 'slow', figures, since: 0, asOf });

let server: RunningServer;
let close: () => Promise<void>;
const board = new StatusBoard();

beforeAll(async () => {
  const store = await openStore('sqlite::memory:');
  board.applyAll([status('RXX01', 'ok', 1000)]);
  server = await listen(createApp({ board, store, metrics: createMetrics(board, { defaultMetrics: false }) }), { port: 0, host: '127.0.0.1' });
  close = async () => {
    await server.close();
    await store.close();
  };
});
afterAll(() => close?.());

describe('live-stream cap', () => {
  it(`refuses stream ${STREAMS + 1} while the first ${STREAMS} keep their updates`, async () => {
    const controllers: AbortController[] = [];
    const received = new Array<string>(STREAMS).fill('');
    try {
      const open = async (i: number) => {
          const controller = new AbortController();
          controllers.push(controller);
          const res = await fetch(`${server.url}/api/stream`, { signal: controller.signal });
          if (res.status !== 200) return res.status;
          void (async () => {
            const decoder = new TextDecoder();
            try {
              for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received[i] += decoder.decode(chunk, { stream: true });
            } catch {
              // aborted at the end of the test
            }
          })();
          return 200;
      };
      // A hundred at a time: a thousand connects at once overflow the listen backlog.
      const opened: number[] = [];
      for (let i = 0; i < STREAMS; i += 100) opened.push(...(await Promise.all(Array.from({ length: 100 }, (_, k) => open(i + k)))));
      expect(opened.filter((s) => s !== 200)).toEqual([]);

      const refused = await fetch(`${server.url}/api/stream`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      await refused.body?.cancel();
      // Health is not a stream: it still answers.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      board.applyAll([status('RXX01', 'degraded', 2000)]);
      // Asked while the change is being written to the thousand streams: answered all the same.
      const health = fetch(`${server.url}/healthz`);
      await until(async () => (received.every((r) => r.includes('"status":"degraded"')) ? true : undefined), 60_000, `the change on all ${STREAMS} streams`);
      expect((await health).status).toBe(200);
    } finally {
      for (const c of controllers) c.abort();
    }
  }, 120_000);
});
