// The two ingest routes side by side, in process (the application's own fetch handler, no sockets):
// the same events as NDJSON to POST /api/ingest and as OTLP/HTTP JSON to POST /v1/logs, the requests
// written by the OpenTelemetry JS SDK (otlp-logs.fixture.ts) — each record's body a kvlistValue (the
// event object) or a stringValue (its JSON), the first plain or gzipped — in batches of 500, the
// encodings taken in turn batch by batch so that each meets the machine as the others do. CPU time an
// event (the route's whole work: body, decoding, the schema, admission, a sink that counts and keeps
// nothing) and bytes an event on the wire.
import { gzipSync } from 'node:zlib';
import { createApp, createMetrics, StatusBoard } from '@wardwatch/server';
import { openStore } from '@wardwatch/store';
import { sdkLogsRequest } from '../packages/server/src/otlp-logs.fixture.ts';
import { processorLines } from './processor.bench.ts';

export interface IngestRoutesResult {
  events: number;
  batch: number;
  rows: Array<{ name: string; path: string; bytesPerEvent: number; cpuUsPerEvent: number; relative: number }>;
}

const BATCH = 500;

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export async function ingestRoutesBench(targetEvents = 200_000, rounds = 3): Promise<IngestRoutesResult> {
  const { lines, now } = processorLines(targetEvents);
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH));
  const encodings: Array<{ name: string; path: string; headers: Record<string, string>; bodies: Array<string | Uint8Array> }> = [
    { name: 'NDJSON', path: '/api/ingest', headers: { 'content-type': 'application/x-ndjson' }, bodies: batches.map((b) => b.join('\n')) },
    { name: 'OTLP, kvlistValue bodies (as the SDKs send an object)', path: '/v1/logs', headers: { 'content-type': 'application/json' }, bodies: await Promise.all(batches.map((b) => sdkLogsRequest(b.map((l) => JSON.parse(l))))) },
    { name: 'OTLP, stringValue bodies (the event\'s JSON)', path: '/v1/logs', headers: { 'content-type': 'application/json' }, bodies: await Promise.all(batches.map((b) => sdkLogsRequest(b))) },
    { name: 'OTLP, kvlistValue bodies, gzip', path: '/v1/logs', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bodies: [] },
  ];
  encodings[3]!.bodies = encodings[1]!.bodies.map((b) => new Uint8Array(gzipSync(b as string)));

  const board = new StatusBoard();
  const store = await openStore('sqlite::memory:');
  let kept = 0;
  const app = createApp({
    board,
    store,
    metrics: createMetrics(board, { defaultMetrics: false }),
    clock: () => now,
    ingest: { accept: async (events) => void (kept += events.length), reject: async () => {} },
    // Far above the bench's rate: the per-sender limit is not what is measured.
    limits: { ingest: { perSender: { perSecond: 1e9, burst: 1e9 } } },
  });
  const spent = encodings.map(() => 0);
  try {
    for (let round = 0; round < rounds; round++) {
      for (let b = 0; b < batches.length; b++) {
        for (let e = 0; e < encodings.length; e++) {
          const { path, headers, bodies } = encodings[e]!;
          const body = bodies[b]!;
          const before = cpuUs();
          const response = await app.request(`http://localhost${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
          await response.arrayBuffer();
          // The first round warms the compiler up: measured from the second.
          if (round > 0) spent[e]! += cpuUs() - before;
          if (response.status !== 202 && response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
        }
      }
    }
  } finally {
    await store.close();
  }
  if (kept !== rounds * encodings.length * lines.length) throw new Error(`the sink kept ${kept} events, not ${rounds * encodings.length * lines.length}`);
  const measured = (rounds - 1) * lines.length;
  const base = spent[0]! / measured;
  return {
    events: lines.length,
    batch: BATCH,
    rows: encodings.map((enc, e) => ({
      name: enc.name,
      path: enc.path,
      bytesPerEvent: enc.bodies.reduce((n, b) => n + (typeof b === 'string' ? Buffer.byteLength(b) : b.length), 0) / lines.length,
      cpuUsPerEvent: spent[e]! / measured,
      relative: spent[e]! / measured / base,
    })),
  };
}
