import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEstate } from '@wardwatch/simulator';
import { SqliteRollupStore } from '@wardwatch/store';
import { afterAll, describe, expect, it } from 'vitest';
import { demoHistoryUnfinished, startDemoHistory } from './demo-history-writer.ts';
import { startDemoHistoryThread } from './demo-history-thread.ts';

const NOW = Date.parse('2026-11-30T11:00:00Z');
const to = Date.parse('2026-11-02T10:30:00Z');
const small = buildEstate({ seed: 5, sites: 3, wardsPerSite: 2, devicesPerWard: 4, apsPerWard: 1 });
const dir = mkdtempSync(join(tmpdir(), 'wardwatch-history-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `history-${files++}.db`);

const rowsOf = async (store: SqliteRollupStore) =>
  [...(await store.query({ scope: 'site:*', resolution: '1h', from: 0, to: NOW })), ...(await store.query({ scope: 'siteapp:*', resolution: '1h', from: 0, to: NOW }))]
    .map((r) => JSON.stringify({ ...r, sketch: [...r.sketch] }))
    .sort();

/** The history as this thread writes it (demo-history-writer.ts), to hold the thread's to. */
async function writtenHere() {
  const store = new SqliteRollupStore(':memory:');
  const written = await startDemoHistory({ store, estate: small, seed: 5, to, months: 0, now: () => NOW }).done;
  return { written, rows: await rowsOf(store), annotations: (await store.annotations()).map((a) => a.id), close: () => store.close() };
}

// The history's templates come from simulated minutes run through the processor: seconds on a busy
// machine, hence the longer timeout.
describe('the demo history on a thread of its own', { timeout: 120_000 }, () => {
  it('writes the rows and annotations this thread would write, into the store it is given', async () => {
    const here = await writtenHere();
    const file = freshFile();
    const written = await startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5, begin: { to, months: 0 } }).done;
    expect(written).toMatchObject({ rows: here.written.rows, days: 2 });
    const store = new SqliteRollupStore(file);
    expect(await rowsOf(store)).toEqual(here.rows);
    expect((await store.annotations()).map((a) => a.id)).toEqual(here.annotations);
    expect(await demoHistoryUnfinished(store)).toBe(false);
    await store.close();
    await here.close();
  });

  it('stopped at once, leaves the rest to the next start, which finishes it on a thread too: the same rows', async () => {
    const here = await writtenHere();
    const file = freshFile();
    const first = startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5, begin: { to, months: 0 } });
    await first.stop();
    const { days } = await first.done;
    expect(days).toBeLessThan(2);
    const store = new SqliteRollupStore(file);
    expect(await demoHistoryUnfinished(store)).toBe(true);
    expect((await rowsOf(store)).length).toBeLessThan(here.rows.length);
    // The next start: no `begin`, the unfinished history finished.
    expect((await startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5 }).done).days).toBe(2 - days);
    expect(await rowsOf(store)).toEqual(here.rows);
    expect(await demoHistoryUnfinished(store)).toBe(false);
    await store.close();
    await here.close();
  });

  it('held, writes nothing until released; then tells how far back it has written, newest day first', async () => {
    const here = await writtenHere();
    const file = freshFile();
    const thread = startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5, begin: { to, months: 0 }, held: true });
    let released = false;
    const newestDay = thread.writtenBack(86_400_000).then(() => released);
    const all = thread.writtenBack(365 * 86_400_000).then(() => released);
    // Long enough for it to be ready (its templates drawn) and, had it not been held, to have written.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const store = new SqliteRollupStore(file);
    expect(await rowsOf(store)).toEqual([]);
    expect(await store.annotations()).toEqual([]);
    released = true;
    thread.release();
    // Resolved only after the release, once the newest day's rows are in.
    expect(await newestDay).toBe(true);
    const newest = Math.floor(to / 3_600_000) * 3_600_000;
    const inNewestDay = (await store.query({ scope: 'site:*', resolution: '1h', from: newest - 86_400_000, to: newest })).length;
    expect(inNewestDay).toBeGreaterThan(0);
    // Further back than the history reaches: resolved when it is all written.
    expect(await all).toBe(true);
    expect(await thread.done).toMatchObject({ rows: here.written.rows, days: 2 });
    expect(await rowsOf(store)).toEqual(here.rows);
    await store.close();
    await here.close();
  });

  it('held and stopped, writes no day: the next start writes it whole', async () => {
    const file = freshFile();
    const thread = startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5, begin: { to, months: 0 }, held: true });
    await thread.stop();
    expect((await thread.done).days).toBe(0);
    // Waiting on it after it ended: resolved at once.
    await thread.writtenBack(86_400_000);
    const store = new SqliteRollupStore(file);
    expect(await demoHistoryUnfinished(store)).toBe(true);
    expect((await startDemoHistoryThread({ storeUrl: `sqlite:${file}`, estate: small, seed: 5 }).done).days).toBe(2);
    await store.close();
  });

  it('fails, naming why, when it cannot open the store', async () => {
    await expect(startDemoHistoryThread({ storeUrl: 'postgres://postgres@127.0.0.1:1/test', estate: small, seed: 5, begin: { to, months: 0 } }).done).rejects.toThrow(
      /cannot reach PostgreSQL at 127\.0\.0\.1:1/,
    );
  });
});
