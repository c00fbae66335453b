// The live stream at its cap: how long /healthz and /api/sites take while 1000 streams are open
// (held by a separate process, bench/stream-clients.ts) and a change on every site is pushed to all.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ScopeStatus } from '@wardwatch/schema';
import { createApp, createMetrics, listen, StatusBoard } from '@wardwatch/server';
import { openStore } from '@wardwatch/store';

export interface StreamsBenchResult {
  streams: number;
  sites: number;
  refusedStatus: number;
  idle: { healthzMs: number[]; sitesMs: number[] };
  push: { healthzMs: number[]; deliveredAllMs: number };
}

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (n: number, health: ScopeStatus['status'], asOf: number): ScopeStatus => ({ key: `site:S${n}`, scope: 'site', id: `S${n}`, trust: 'RXX', site: `S${n}`, status: health, reason: '', figures, since: 0, asOf });

async function timed(url: string): Promise<number> {
  const t = performance.now();
  await (await fetch(url)).arrayBuffer();
  return performance.now() - t;
}

export async function streamsBench(streams = 1000, sites = 200): Promise<StreamsBenchResult> {
  const board = new StatusBoard();
  board.applyAll(Array.from({ length: sites }, (_, n) => site(n, 'ok', 1000)));
  const store = await openStore('sqlite::memory:');
  const server = await listen(createApp({ board, store, metrics: createMetrics(board, { defaultMetrics: false }), limits: { streams: { total: streams } } }), { port: 0, host: '127.0.0.1' });
  const clients = spawn(process.execPath, ['--import', 'tsx', new URL('./stream-clients.ts', import.meta.url).pathname, server.url, String(streams)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: clients.stdout! })[Symbol.asyncIterator]();
  const next = async () => ((await lines.next()).value as string | undefined) ?? '';
  try {
    const refusedStatus = Number((await next()).split(' ')[1]);
    const idle = { healthzMs: [] as number[], sitesMs: [] as number[] };
    for (let i = 0; i < 20; i++) {
      idle.healthzMs.push(await timed(`${server.url}/healthz`));
      idle.sitesMs.push(await timed(`${server.url}/api/sites`));
    }
    const delivered = next();
    clients.stdin!.write('push\n');
    board.applyAll(Array.from({ length: sites }, (_, n) => site(n, 'degraded', 2000)));
    const healthzMs: number[] = [];
    let done = false;
    void delivered.then(() => (done = true));
    while (!done) healthzMs.push(await timed(`${server.url}/healthz`));
    const deliveredAllMs = Number((await delivered).split(' ')[1]);
    return { streams, sites, refusedStatus, idle, push: { healthzMs, deliveredAllMs } };
  } finally {
    clients.kill();
    await server.close();
    await store.close();
  }
}
