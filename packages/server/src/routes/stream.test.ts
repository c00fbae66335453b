import { afterEach, describe, expect, it } from 'vitest';
import type { ScopeStatus, SiteChange, SiteSummary } from '@wardwatch/schema';
import { StatusBoard } from '../status-board.ts';
import { streamRoutes } from './stream.ts';

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const site = (id: string, health: ScopeStatus['status'], asOf: number, p95Ms = 800): ScopeStatus => ({
  key: `site:${id}`, scope: 'site', id, trust: 'RXX', site: id, status: health, reason: health === 'ok' ? '' : 'slow', figures: { ...figures, p95Ms }, since: 0, asOf,
});

/** Reads SSE events from a response body as they come. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const got: Array<{ event: string; data: string }> = [];
  return {
    got,
    async until(match: (e: { event: string; data: string }) => boolean): Promise<{ event: string; data: string }> {
      for (;;) {
        const found = got.find(match);
        if (found) return found;
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended; got ${got.map((e) => e.event).join(', ')}`);
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          got.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
        }
      }
    },
    close: () => reader.cancel(),
  };
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

describe('GET /api/stream', () => {
  it('gives every stream the same change in its own form: status events and the whole list, or only the fields that moved', async () => {
    const board = new StatusBoard();
    board.applyAll([site('A', 'ok', 1000), site('B', 'ok', 1000)]);
    const app = streamRoutes({ board, sitesIntervalMs: 20, clock: () => 5000 });
    const whole = events((await app.request('/')).body!);
    const changes = events((await app.request('/?sites=changes&statuses=none')).body!);
    const second = events((await app.request('/?sites=changes&statuses=none')).body!);
    open.push(whole.close, changes.close, second.close);
    for (const s of [whole, changes, second]) await s.until((e) => e.event === 'clock');

    board.applyAll([site('A', 'degraded', 2000), site('B', 'ok', 2000, 900)]);

    const status = await whole.until((e) => e.event === 'status');
    expect(JSON.parse(status.data)).toMatchObject({ key: 'site:A', status: 'degraded' });
    await whole.until((e) => e.event === 'sites' && e.data.includes('degraded'));
    const list = JSON.parse(whole.got.filter((e) => e.event === 'sites').at(-1)!.data) as SiteSummary[];
    expect(list.map((s) => [s.id, s.status, s.p95Ms])).toEqual([['A', 'degraded', 800], ['B', 'ok', 900]]);
    expect(whole.got.filter((e) => e.event === 'status')).toHaveLength(1); // B's state did not change

    for (const s of [changes, second]) {
      const moved = JSON.parse((await s.until((e) => e.event === 'sites-changed')).data) as SiteChange[];
      expect(moved).toEqual([
        { id: 'A', set: { status: 'degraded', reason: 'slow', asOf: 2000 } },
        { id: 'B', set: { p95Ms: 900, asOf: 2000 } },
      ]);
      expect(s.got.some((e) => e.event === 'status')).toBe(false);
    }
    const clock = await whole.until((e) => e.event === 'clock' && e.data.includes('"asOf":2000'));
    expect(JSON.parse(clock.data)).toEqual({ now: 5000, asOf: 2000 });
  });

  it('sends a stream that joins later the whole list, then the changes from what it was sent', async () => {
    const board = new StatusBoard();
    board.applyAll([site('A', 'ok', 1000)]);
    const app = streamRoutes({ board, sitesIntervalMs: 20, clock: () => 5000 });
    const early = events((await app.request('/?sites=changes&statuses=none')).body!);
    open.push(early.close);
    await early.until((e) => e.event === 'sites');
    board.applyAll([site('A', 'ok', 2000)]);
    await early.until((e) => e.event === 'sites-changed');

    const late = events((await app.request('/?sites=changes&statuses=none')).body!);
    open.push(late.close);
    expect(JSON.parse((await late.until((e) => e.event === 'sites')).data)).toMatchObject([{ id: 'A', asOf: 2000 }]);
    board.applyAll([site('A', 'down', 3000)]);
    for (const s of [early, late]) {
      const moved = await s.until((e) => e.event === 'sites-changed' && e.data.includes('down'));
      expect(JSON.parse(moved.data)).toEqual([{ id: 'A', set: { status: 'down', reason: 'slow', asOf: 3000 } }]);
    }
  });
});
