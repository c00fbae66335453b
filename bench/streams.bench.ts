// The live stream at its cap: how long /healthz and /api/sites take while 1000 streams are open and
// a status change is pushed to all of them (the figure the cap exists to keep small).
import type { ScopeStatus } from '@wardwatch/schema';
import { createApp, createMetrics, listen, StatusBoard } from '@wardwatch/server';
import { openStore } from '@wardwatch/store';

export interface StreamsBenchResult {
  streams: number;
  refusedStatus: number;
  idle: { healthzMs: number[]; sitesMs: number[] };
  push: { healthzMs: number[]; deliveredAllMs: number };
  /** Requests whose pooled connection was reset and that were sent again. */
  resets: number;
}

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (n: number, health: ScopeStatus['status'], asOf: number): ScopeStatus => ({ key: `site:S${n}`, scope: 'site', id: `S${n}`, trust: 'RXX', site: `S${n}`, status: health, reason: '', figures, since: 0, asOf });

let resets = 0;
/** One request's time; a pooled connection the server closed while the loop was busy is retried once. */
async function timed(url: string): Promise<number> {
  const t = performance.now();
  try {
    await (await fetch(url)).arrayBuffer();
  } catch {
    resets++;
    await (await fetch(url)).arrayBuffer();
  }
  return performance.now() - t;
}

export async function streamsBench(streams = 1000, sites = 200): Promise<StreamsBenchResult> {
  const board = new StatusBoard();
  board.applyAll(Array.from({ length: sites }, (_, n) => site(n, 'ok', 1000)));
  const store = await openStore('sqlite::memory:');
  const server = await listen(createApp({ board, store, metrics: createMetrics(board, { defaultMetrics: false }), limits: { streams: { total: streams } } }), { port: 0, host: '127.0.0.1' });
  const controllers: AbortController[] = [];
  const seen = new Array<boolean>(streams).fill(false);
  try {
    // A hundred at a time: a thousand connects at once overflow the listen backlog (ECONNRESET).
    const open = async (i: number) => {
        const controller = new AbortController();
        controllers.push(controller);
        const res = await fetch(`${server.url}/api/stream`, { signal: controller.signal });
        void (async () => {
          const decoder = new TextDecoder();
          try {
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) if (decoder.decode(chunk).includes('"degraded"')) seen[i] = true;
          } catch {
            // aborted
          }
        })();
    };
    for (let i = 0; i < streams; i += 100) await Promise.all(Array.from({ length: Math.min(100, streams - i) }, (_, k) => open(i + k)));
    const refused = await fetch(`${server.url}/api/stream`);
    await refused.body?.cancel();
    const idle = { healthzMs: [] as number[], sitesMs: [] as number[] };
    for (let i = 0; i < 20; i++) {
      idle.healthzMs.push(await timed(`${server.url}/healthz`));
      idle.sitesMs.push(await timed(`${server.url}/api/sites`));
    }
    const pushedAt = performance.now();
    board.applyAll(Array.from({ length: sites }, (_, n) => site(n, 'degraded', 2000)));
    const healthzMs: number[] = [];
    while (!seen.every(Boolean) && performance.now() - pushedAt < 60_000) healthzMs.push(await timed(`${server.url}/healthz`));
    return { streams, refusedStatus: refused.status, idle, push: { healthzMs, deliveredAllMs: performance.now() - pushedAt }, resets };
  } finally {
    for (const c of controllers) c.abort();
    await server.close();
    await store.close();
  }
}
