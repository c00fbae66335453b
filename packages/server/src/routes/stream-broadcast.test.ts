import { describe, expect, it } from 'vitest';
import type { ScopeStatus, SiteSummary } from '@wardwatch/schema';
import { StatusBoard } from '../status-board.ts';
import { TrustScope } from '../auth/trust-scope.ts';
import { StreamBroadcast, type StatusBatch, type StreamView } from './stream-broadcast.ts';

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
const status = (scope: 'site' | 'device', id: string, trust: string, health: ScopeStatus['status'], asOf: number): ScopeStatus => ({
  key: `${scope}:${id}`, scope, id, trust, site: id.slice(0, 2), status: health, reason: health === 'ok' ? '' : 'slow', figures, since: 0, asOf,
});
const view = (trusts: string[], wanted: (s: ScopeStatus) => boolean = () => true, key = trusts.join(',')): StreamView => ({ key, trusts: new TrustScope(trusts), wanted });
const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

function broadcastOn(board: StatusBoard) {
  const broadcast = new StreamBroadcast(board, () => board.sites(), 1000);
  const batches: StatusBatch[] = [];
  broadcast.subscribe((batch) => batches.push(batch));
  return { broadcast, batches };
}

describe('StreamBroadcast', () => {
  it('delivers one applyAll as one batch, once its last status is in', async () => {
    const board = new StatusBoard();
    const { batches } = broadcastOn(board);
    board.applyAll([status('site', 'S1', 'RXX', 'ok', 1000), status('site', 'S2', 'RYY', 'down', 1000)]);
    expect(batches).toHaveLength(0);
    await Promise.resolve();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.changed.map((s) => s.key)).toEqual(['site:S1', 'site:S2']);
  });

  it('builds a view\'s status events once, with only its trusts\' and its filter\'s statuses', async () => {
    const board = new StatusBoard();
    const { batches } = broadcastOn(board);
    board.applyAll([status('site', 'S1', 'RXX', 'degraded', 1000), status('device', 'S1-D1', 'RXX', 'down', 1000), status('site', 'S2', 'RYY', 'down', 1000)]);
    await Promise.resolve();
    const batch = batches[0]!;
    const rxx = batch.framesFor(view(['RXX']));
    expect(text(rxx)).toBe(
      `event: status\ndata: ${JSON.stringify(board.get('site:S1'))}\n\n` + `event: status\ndata: ${JSON.stringify(board.get('device:S1-D1'))}\n\n`,
    );
    // Another stream of the same view is given the very same bytes: nothing serialised or encoded again.
    expect(batch.framesFor(view(['RXX']))).toBe(rxx);
    expect(text(batch.framesFor(view(['RXX'], (s) => s.scope === 'device', 'RXX devices')))).not.toContain('"site:S1"');
    expect(text(batch.framesFor(view(['RYY'])))).toContain('"site:S2"');
    expect(text(batch.framesFor(view(['RYY'])))).not.toContain('RXX');
    expect(batch.framesFor(view(['RZZ']))).toBeNull();
    expect([batch.movesSitesOf(new TrustScope(['RXX'])), batch.movesSitesOf(new TrustScope(['RZZ'])), batch.movesSitesOf(new TrustScope(['*']))]).toEqual([true, false, true]);
  });

  it('shares a trust\'s site list until the board moves, and the changes from one list to the next', async () => {
    const board = new StatusBoard();
    const { broadcast } = broadcastOn(board);
    board.applyAll([status('site', 'S1', 'RXX', 'ok', 1000), status('site', 'S2', 'RYY', 'ok', 1000)]);
    const rxx = new TrustScope(['RXX']);
    const before = broadcast.siteList(rxx, 'RXX');
    expect(broadcast.siteList(rxx, 'RXX')).toBe(before);
    expect((before.sites as SiteSummary[]).map((s) => s.id)).toEqual(['S1']);
    board.applyAll([status('site', 'S1', 'RXX', 'down', 2000)]);
    const after = broadcast.siteList(rxx, 'RXX');
    expect(after).not.toBe(before);
    const changes = after.changesSince(before);
    expect(text(changes)).toBe(`event: sites-changed\ndata: ${JSON.stringify([{ id: 'S1', set: { status: 'down', reason: 'slow', asOf: 2000 } }])}\n\n`);
    expect(after.changesSince(before)).toBe(changes);
    expect(after.changesSince(after)).toBeNull();
    expect(broadcast.asOf()).toBe(2000);
  });

  it('lets streams woken together write a few per turn of the event loop, in the order they asked', async () => {
    const board = new StatusBoard();
    const { broadcast } = broadcastOn(board);
    const resumed: number[] = [];
    const all = Array.from({ length: 25 }, (_, i) => broadcast.turn().then(() => resumed.push(i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resumed).toEqual(Array.from({ length: 10 }, (_, i) => i));
    await Promise.all(all);
    expect(resumed).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});
