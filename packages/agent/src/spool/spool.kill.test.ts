// kill -9 while appending: a child appends numbered records in a tight loop and reports which are
// durable; the parent kills it with SIGKILL at random moments, reopens the spool each round and checks
// that what is on disk is exactly 0..N-1 in order — every number reported durable present exactly
// once, anything after it either whole or absent, never torn, never duplicated.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Spool, type SpoolCursor } from './spool.ts';
import { xorshift32 } from './testdata/random.ts';

const TSX_LOADER = new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

const WRITER = fileURLToPath(new URL('./testdata/spool-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ww-spool-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const random = xorshift32(0x9e3779b9);

async function readNumbers(spool: Spool): Promise<number[]> {
  const out: number[] = [];
  let from: SpoolCursor | undefined;
  for (;;) {
    const batch = await spool.peek(5000, 8 << 20, from);
    if (batch.records.length === 0) return out;
    for (const record of batch.records) {
      const match = /^(\d+):(x*)$/.exec(record.data);
      expect(match, `a whole record, got ${JSON.stringify(record.data.slice(0, 40))}`).not.toBeNull();
      out.push(Number(match![1]));
    }
    from = batch.cursor;
  }
}

/** Runs the writer from `first`, kills it with SIGKILL after a random number of durable reports; returns the highest durable number it reported. */
async function runAndKill(first: number, round: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, WRITER, dir, String(first), String(1000 + round)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const killAfter = 1 + Math.floor(random() * 120);
  const delayMs = Math.floor(random() * 15);
  let durable = first - 1;
  let reports = 0;
  let killing = false;
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word !== 'durable') continue;
    durable = Math.max(durable, Number(value));
    if (++reports >= killAfter && !killing) {
      killing = true;
      // Kill at a moment not aligned with a report: the next appends are mid-write or mid-fsync.
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  }
  const how = await exited;
  expect(how, `the writer should die by SIGKILL (stderr: ${stderr})`).toBe('SIGKILL');
  return durable;
}

it('survives kill -9 during appends: no torn, lost-after-durable or duplicated records', { timeout: 60_000 }, async () => {
  const rounds = 8;
  let reportedDurable = -1;
  let torn = 0;
  for (let round = 0; round <= rounds; round++) {
    const spool = await Spool.open(dir, { segmentBytes: 64 * 1024, maxBytes: 1 << 30 });
    const numbers = await readNumbers(spool);
    // Exactly 0..N-1, in order: no gap, no duplicate, no reordering.
    const firstBad = numbers.findIndex((n, i) => n !== i);
    expect(firstBad, `record ${firstBad} is ${numbers[firstBad]}`).toBe(-1);
    // Everything the writer was told is durable is there.
    expect(numbers.length).toBeGreaterThanOrEqual(reportedDurable + 1);
    expect(spool.stats().pendingRecords).toBe(numbers.length);
    torn = spool.stats().tornRecordsRecovered;
    await spool.close();
    if (round === rounds) break;
    reportedDurable = Math.max(reportedDurable, await runAndKill(numbers.length, round));
  }
  expect(reportedDurable).toBeGreaterThan(rounds);
  // Torn tails are possible (a write killed between pages) but not guaranteed; report how many were cut.
  console.log(`kill -9 rounds: ${rounds}, records durable: ${reportedDurable + 1}, torn tails truncated: ${torn}`);
});
