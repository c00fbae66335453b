import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { turnsDuring } from '../../../tests/helpers/event-loop-turns.ts';
import { openStore } from './open-store.ts';
import { SqliteRollupStore, WAL_SIZE_LIMIT_BYTES } from './sqlite-store.ts';
import type { RollupRecord } from './rollup-store.ts';
import { describeStoreContract, record } from './store-contract.ts';
import { describeAlertHistoryContract } from './alert-history-contract.ts';
import { describeDeviceDigestContract } from './device-digest-contract.ts';
import { describeDayRollupContract } from './day-rollup-contract.ts';
import { describeMonthRollupContract } from './month-rollup-contract.ts';

describeStoreContract('SQLite (memory)', () => openStore('sqlite::memory:'));

const dir = mkdtempSync(join(tmpdir(), 'wardwatch-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeDeviceDigestContract('SQLite (memory)', () => openStore('sqlite::memory:'));

let dayFiles = 0;
describeDayRollupContract(
  'SQLite (file)',
  () => openStore(`sqlite:${join(dir, `days-${dayFiles++}.db`)}`),
  // A second connection to the same file: the server's thread writing while the processor's folds.
  async (store) => openStore(`sqlite:${(store as unknown as { db: { name: string } }).db.name}`),
);

describeMonthRollupContract('SQLite (memory)', () => openStore('sqlite::memory:'));

let files = 0;
describeAlertHistoryContract(
  'SQLite (file)',
  () => openStore(`sqlite:${join(dir, `alerts-${files++}.db`)}`),
  async (store) => {
    const path = (store as unknown as { db: { name: string } }).db.name;
    await store.close();
    return openStore(`sqlite:${path}`);
  },
);

describe('SQLite file', () => {
  it('keeps history across a reopen, creating its folder', async () => {
    const url = `sqlite:${join(dir, 'nested', 'history.db')}`;
    const first = await openStore(url);
    await first.write([record()], { group: 'g', topic: 't', partition: 0, offset: '5', state: null });
    await first.close();
    const second = await openStore(url);
    expect(await second.query({ scope: 'site:S1', resolution: '1m', from: 0, to: Date.now() * 2 })).toEqual([record()]);
    expect((await second.checkpoint('g', 't', 0))!.offset).toBe('5');
    await second.close();
  });

  it('creates its file, write-ahead log and shared memory readable by their owner alone (the audit trail and token hashes are in it)', async () => {
    const path = join(dir, 'private', 'store.db');
    const store = await openStore(`sqlite:${path}`);
    await store.write([record()], { group: 'g', topic: 't', partition: 0, offset: '1', state: null });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    await store.close();
  });

  it('cuts its write-ahead log back after a large write, instead of keeping it at its largest', async () => {
    const path = join(dir, 'wal', 'large.db');
    const store = await openStore(`sqlite:${path}`);
    // About 40 MB in one write, as the demo's history writes a day at a time.
    const sketch = new Uint8Array(2000).fill(7);
    await store.write(Array.from({ length: 20_000 }, (_, i) => record({ scope: `device:D${i}`, sketch })));
    await store.write([record({ scope: 'site:S2' })]);
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    expect(await store.query({ scope: 'device:D19999', resolution: '1m', from: 0, to: Date.now() * 2 })).toHaveLength(1);
    await store.close();
  });

  it('gives the thread turns while a prune deletes some thousands of rows a statement', async () => {
    const store = await openStore('sqlite::memory:');
    const HOUR = 3_600_000;
    const now = Date.UTC(2026, 10, 1);
    // Thirty days of 40 devices' hours past their retention (28,800 rows), as a start with history
    // leaves a site's: deleted some thousands of rows a statement.
    await store.write(Array.from({ length: 40 * 30 * 24 }, (_, i) => record({ scope: `device:D${i % 40}`, resolution: '1h', start: now - 100 * 24 * HOUR + Math.floor(i / 40) * HOUR })));
    // The other work of the thread: the server's requests, where the processor shares it.
    const { result: deleted, turns } = await turnsDuring(() => store.prune(now, { '1m': 2 * 24 * HOUR, '5m': 14 * 24 * HOUR, '1h': 62 * 24 * HOUR }));
    expect(deleted).toBe(40 * 30 * 24);
    expect(turns).toBeGreaterThanOrEqual(5);
    await store.close();
  });

  it('gives the thread turns while it folds a day: between its hours read and between pieces of its pairs folded', async () => {
    const store = await openStore('sqlite::memory:');
    const HOUR = 3_600_000;
    const day = Date.UTC(2026, 10, 2);
    // 300 wards' hours: a day read an hour a statement, folded in three pieces or more.
    await store.write(Array.from({ length: 300 * 24 }, (_, i) => record({ scope: `ward:S1/W${i % 300}`, resolution: '1h', start: day + Math.floor(i / 300) * HOUR })));
    const fold = (rows: readonly RollupRecord[]) => [...new Set(rows.map((r) => r.scope))].map((scope) => ({ scope, metric: 'app.totalMs', day, hours: 0, count: 0, valid: 0, good: 0, fast: 0, sketch: new Uint8Array(0) }));
    const { result: read, turns } = await turnsDuring(() => (store as SqliteRollupStore).foldDay(day, day + 24 * HOUR, fold));
    expect(read).toBe(300 * 24);
    expect(turns).toBeGreaterThanOrEqual(24 + 2);
    expect(await (store as SqliteRollupStore).dayRollups({ scope: 'ward:*', from: day, to: day + 1 })).toHaveLength(300);
    await store.close();
  });

  it.each([['mysql://x'], ['sqlite:'], ['wardwatch.db']])('refuses the store URL %s with the accepted forms', async (url) => {
    await expect(openStore(url)).rejects.toThrow(/sqlite:|postgres:\/\//);
  });
});
