import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, SpoolLockedError, type SpoolCursor } from './index.ts';

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-spool-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.seg'))
    .sort()
    .map((n) => join(dir, n));
}

async function readAll(spool: Spool): Promise<string[]> {
  const out: string[] = [];
  let from: SpoolCursor | undefined;
  for (;;) {
    const batch = await spool.peek(1000, 1 << 20, from);
    if (batch.records.length === 0) return out;
    out.push(...batch.records.map((r) => r.data));
    from = batch.cursor;
  }
}

const numbers = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

describe('Spool', () => {
  it('appends, peeks, acks, and keeps both records and cursor across a restart', async () => {
    const dir = scratch();
    let spool = await Spool.open(dir);
    await spool.append(['a', 'b', 'c']);
    await spool.append(['d', 'é€😀']);
    const first = await spool.peek(2, 1 << 20);
    expect(first.records.map((r) => r.data)).toEqual(['a', 'b']);
    // peek does not consume
    expect((await spool.peek(2, 1 << 20)).records.map((r) => r.data)).toEqual(['a', 'b']);
    await spool.ack(first.cursor!);
    expect(spool.stats()).toMatchObject({ pendingRecords: 3, droppedRecords: 0, tornRecordsRecovered: 0 });
    await spool.close();

    spool = await Spool.open(dir);
    expect(await readAll(spool)).toEqual(['c', 'd', 'é€😀']);
    expect(spool.stats().pendingRecords).toBe(3);
    // an old cursor is a no-op, not a rewind
    await spool.ack(first.cursor!);
    expect(spool.stats().pendingRecords).toBe(3);
    const rest = await spool.peek(100, 1 << 20);
    await spool.ack(rest.cursor!);
    expect(spool.stats()).toMatchObject({ pendingRecords: 0, pendingBytes: 0 });
    await spool.append(['e']);
    await spool.close();

    spool = await Spool.open(dir);
    expect(await readAll(spool)).toEqual(['e']);
    await spool.close();
  });

  it('limits a peek by bytes but always returns at least one record', async () => {
    const spool = await Spool.open(scratch());
    await spool.append(['x'.repeat(100), 'y'.repeat(100), 'z']);
    expect((await spool.peek(10, 150)).records.map((r) => r.data.length)).toEqual([100, 100]);
    expect((await spool.peek(10, 10)).records.map((r) => r.data.length)).toEqual([100]);
    await spool.close();
  });

  it('group-commits concurrent appends in call order', async () => {
    const dir = scratch();
    const spool = await Spool.open(dir, { segmentBytes: 4096 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) => spool.append([String(i)]).then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(await readAll(spool)).toEqual(numbers(0, 200));
    await spool.close();
  });

  it('rolls segments and deletes them once acknowledged', async () => {
    const dir = scratch();
    let spool = await Spool.open(dir, { segmentBytes: 1024 });
    for (let i = 0; i < 50; i++) await spool.append([`${i}`.padEnd(100, '.')]);
    expect(segmentFiles(dir).length).toBeGreaterThan(3);
    const batch = await spool.peek(30, 1 << 20);
    await spool.ack(batch.cursor!);
    expect(spool.stats().pendingRecords).toBe(20);
    expect(segmentFiles(dir).length).toBeLessThan(spool.stats().segments + 1);
    await spool.close();
    spool = await Spool.open(dir, { segmentBytes: 1024 });
    expect((await readAll(spool)).map((s) => s.replace(/\.+$/, ''))).toEqual(numbers(30, 50));
    await spool.ack((await spool.peek(100, 1 << 20)).cursor!);
    await spool.append(['next']);
    expect(segmentFiles(dir)).toHaveLength(1);
    await spool.close();
  });

  it('truncates a torn tail (partial payload, partial header) on open and counts it', async () => {
    const dir = scratch();
    let spool = await Spool.open(dir);
    await spool.append(['one', 'two', 'three-is-longer']);
    await spool.close();
    const [file] = segmentFiles(dir);
    truncateSync(file!, statSync(file!).size - 5); // cut into the last payload
    spool = await Spool.open(dir);
    expect(await readAll(spool)).toEqual(['one', 'two']);
    expect(spool.stats().tornRecordsRecovered).toBe(1);
    await spool.append(['four']);
    await spool.close();

    appendFileSync(file!, Buffer.from([0, 0, 0])); // a partial header
    spool = await Spool.open(dir);
    expect(await readAll(spool)).toEqual(['one', 'two', 'four']);
    expect(spool.stats().tornRecordsRecovered).toBe(2); // persisted across restarts
    await spool.close();
  });

  it('truncates at a frame whose CRC does not match', async () => {
    const dir = scratch();
    let spool = await Spool.open(dir);
    await spool.append(['first', 'second', 'third']);
    await spool.close();
    const [file] = segmentFiles(dir);
    const bytes = readFileSync(file!);
    const at = bytes.indexOf('second');
    bytes[at] = 'S'.charCodeAt(0);
    writeFileSync(file!, bytes);
    spool = await Spool.open(dir);
    // Everything from the damaged frame on is cut: no record is returned that fails its check.
    expect(await readAll(spool)).toEqual(['first']);
    expect(spool.stats()).toMatchObject({ tornRecordsRecovered: 1, pendingRecords: 1 });
    await spool.close();
  });

  it('drops whole oldest segments when over maxBytes, counting the unacknowledged records lost', async () => {
    const dir = scratch();
    const losses: number[] = [];
    let spool = await Spool.open(dir, { maxBytes: 8192, segmentBytes: 2048, onLoss: (e) => losses.push(e.records) });
    const record = (i: number) => `${i}`.padEnd(200, '#');
    for (let i = 0; i < 200; i++) await spool.append([record(i)]);
    const stats = spool.stats();
    expect(stats.diskBytes).toBeLessThanOrEqual(8192);
    expect(stats.droppedRecords).toBeGreaterThan(0);
    expect(stats.droppedRecords + stats.pendingRecords).toBe(200);
    expect(losses.reduce((a, b) => a + b, 0)).toBe(stats.droppedRecords);
    const kept = (await readAll(spool)).map((s) => Number.parseInt(s, 10));
    // the newest survive, contiguous, oldest went first
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 200 - kept.length + i));
    await spool.close();
    spool = await Spool.open(dir, { maxBytes: 8192, segmentBytes: 2048 });
    expect(spool.stats().droppedRecords).toBe(stats.droppedRecords);
    await spool.close();
  });

  it('counts only unacknowledged records when retention drops a partly acknowledged segment', async () => {
    const dir = scratch();
    const spool = await Spool.open(dir, { maxBytes: 8192, segmentBytes: 2048 });
    const record = (i: number) => `${i}`.padEnd(200, '#');
    for (let i = 0; i < 5; i++) await spool.append([record(i)]);
    await spool.ack((await spool.peek(3, 1 << 20)).cursor!); // 0..2 delivered
    for (let i = 5; i < 60; i++) await spool.append([record(i)]);
    const stats = spool.stats();
    expect(stats.droppedRecords + stats.pendingRecords).toBe(57);
    await spool.close();
  });

  it('drops segments older than maxAge and persists the dropped counter', async () => {
    const dir = scratch();
    let now = Date.UTC(2025, 0, 1);
    const day = 86_400_000;
    let spool = await Spool.open(dir, { maxAgeMs: 7 * day, segmentBytes: 1024, clock: () => now });
    for (let i = 0; i < 20; i++) await spool.append([`old-${i}`.padEnd(100, '.')]);
    now += 6 * day;
    await spool.append(['recent']);
    expect(spool.stats().droppedRecords).toBe(0);
    now += 2 * day; // the first twenty are now 8 days old
    expect(await spool.enforceRetention()).toBe(20);
    expect(await readAll(spool)).toEqual(['recent']);
    expect(spool.stats()).toMatchObject({ droppedRecords: 20, pendingRecords: 1 });
    await spool.close();
    now += 30 * day; // and everything is stale by the next start
    spool = await Spool.open(dir, { maxAgeMs: 7 * day, segmentBytes: 1024, clock: () => now });
    expect(spool.stats()).toMatchObject({ droppedRecords: 21, pendingRecords: 0 });
    await spool.append(['fresh']);
    expect(await readAll(spool)).toEqual(['fresh']);
    await spool.close();
  });

  it('refuses a spool locked by a live process and takes over the lock of a dead one', async () => {
    const dir = scratch();
    const first = await Spool.open(dir);
    await expect(Spool.open(dir)).rejects.toBeInstanceOf(SpoolLockedError);
    await first.close();

    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'spool.lock'), `${sleeper.pid}\n`);
      const refused = await Spool.open(dir).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SpoolLockedError);
      expect((refused as SpoolLockedError).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    // the sleeper is dead now: its lock is stale
    const taken = await Spool.open(dir);
    expect(readFileSync(join(dir, 'spool.lock'), 'utf8').trim()).toBe(String(process.pid));
    await taken.close();
  });
});
