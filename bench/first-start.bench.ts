// A first `npm start` as a user meets it: a fresh store, the default demo (its hour of backfill and
// three months of history written on the first run). How long until the server answers, when the
// history is in, and how `/api/sites` answers from the first moment it does — read every 100 ms.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../tests/helpers/free-port.ts';
import { npmStartCommand } from '../tests/helpers/npm-start.ts';
import { quantile, stop, untilServing } from './idle.bench.ts';

export interface FirstStartResult {
  /** From the spawn to the first /healthz answer. */
  servingAfterS: number;
  /** From the spawn to the log's "demo history written", and the time the writer gave for it (undefined: not within the run). */
  historyInAfterS?: number;
  historyRows?: number;
  measuredS: number;
  reads: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Reads over 60 ms: when (seconds after the first answer) and how long. */
  slowReads: Array<{ atS: number; ms: number }>;
  loadAverage: { start: number; end: number };
}

const SLOW_READ_MS = 60;

export async function firstStartBench(options: { measureS?: number } = {}): Promise<FirstStartResult> {
  const measureS = options.measureS ?? 30;
  const root = new URL('../', import.meta.url).pathname;
  const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-first-start-'));
  const { nodeFlags, script, args } = npmStartCommand();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const port = await freePort();
  const loadStart = loadavg()[0]!;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, join(root, script), ...args, '--port', String(port), '--store', `sqlite:${join(scratch, 'first.db')}`], {
    cwd: root,
    env: { ...process.env, WARDWATCH_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let history: { atS: number; rows: number } | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.includes('demo history written')) return;
    history = { atS: (performance.now() - spawnedAt) / 1000, rows: (JSON.parse(line) as { rows: number }).rows };
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await untilServing(base, child, 'first-start bench');
    const servingAt = performance.now();
    const reads: number[] = [];
    const slowReads: FirstStartResult['slowReads'] = [];
    while (performance.now() - servingAt < measureS * 1000) {
      const started = performance.now();
      await (await fetch(`${base}/api/sites`)).text();
      const ms = performance.now() - started;
      reads.push(ms);
      if (ms > SLOW_READ_MS) slowReads.push({ atS: (started - servingAt) / 1000, ms });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      servingAfterS: (servingAt - spawnedAt) / 1000,
      historyInAfterS: history?.atS,
      historyRows: history?.rows,
      measuredS: (performance.now() - servingAt) / 1000,
      reads: reads.length,
      p50Ms: quantile(reads, 0.5),
      p99Ms: quantile(reads, 0.99),
      maxMs: Math.max(...reads),
      slowReads,
      loadAverage: { start: loadStart, end: loadavg()[0]! },
    };
  } finally {
    await stop(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}
