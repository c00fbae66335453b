// What a late-correction merge costs to read its stored rows, on a store with a lot of history per
// scope (what a fuzzer leaves behind: timestamps spread over years): the old read path — one range
// query per scope and resolution, as the processor runtime did before — against the primary-key
// lookup in one batch, on SQLite and on PostgreSQL, over the same keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresRollupStore, SqliteRollupStore, type Resolution, type RollupKey, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { mulberry32 } from '@wardwatch/simulator';

export interface CorrectionsBenchResult {
  store: string;
  rows: number;
  keys: number;
  /** Milliseconds per merge read: the old path once, the new one the median of its runs. */
  rangeMs: number;
  lookupMs: number;
  /** Rows each found: the same, or the comparison is void. */
  found: number;
}

const SITES = 10;
const METRICS = ['app.totalMs', 'logon.totalMs'];
const T0 = Date.UTC(2026, 10, 24, 9, 0);
const RES_MS: Record<Resolution, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

/** The old read: per scope and resolution, one query over the span of the keys' starts. */
async function rangeRead(store: RollupStore, keys: RollupKey[]): Promise<RollupRecord[]> {
  const ranges = new Map<string, { scope: string; resolution: Resolution; from: number; to: number }>();
  for (const k of keys) {
    const id = `${k.resolution}\u0000${k.scope}`;
    const range = ranges.get(id);
    if (!range) ranges.set(id, { scope: k.scope, resolution: k.resolution, from: k.start, to: k.start + 1 });
    else {
      range.from = Math.min(range.from, k.start);
      range.to = Math.max(range.to, k.start + 1);
    }
  }
  const wanted = new Set(keys.map((k) => `${k.resolution}\u0000${k.scope}\u0000${k.metric}\u0000${k.start}`));
  const found: RollupRecord[] = [];
  for (const range of ranges.values()) {
    for (const row of await store.query(range)) {
      if (row.scope === range.scope && wanted.has(`${row.resolution}\u0000${row.scope}\u0000${row.metric}\u0000${row.start}`)) found.push(row);
    }
  }
  return found;
}

/**
 * `windows` rows per site scope, metric and resolution, at starts scattered over years (as absurd
 * timestamps leave them), plus a little ordinary history for wards and devices.
 */
async function fill(store: RollupStore, windows: number, random: () => number): Promise<number> {
  const sketch = new Uint8Array(240).map(() => Math.floor(random() * 256));
  let rows = 0;
  let batch: RollupRecord[] = [];
  const flush = async () => {
    await store.write(batch);
    rows += batch.length;
    batch = [];
  };
  const record = (scope: string, metric: string, resolution: Resolution, start: number): RollupRecord => ({ scope, metric, resolution, start, count: 5, valid: 5, good: 5, fast: 4, sketch });
  for (let s = 0; s < SITES; s++) {
    for (const metric of METRICS) {
      for (const resolution of ['1m', '5m', '1h'] as Resolution[]) {
        // Ordinary history (the last two hours), then the scattered windows absurd timestamps leave.
        const starts = new Set<number>();
        for (let t = T0 - 2 * RES_MS['1h']; t <= T0; t += RES_MS[resolution]) starts.add(t);
        const span = Math.floor((10 * 365 * 86_400_000) / RES_MS[resolution]);
        while (starts.size < windows) starts.add(T0 - Math.floor(random() * span) * RES_MS[resolution]);
        for (const start of starts) {
          batch.push(record(`site:S${s}`, metric, resolution, start));
          if (batch.length >= 5000) await flush();
        }
      }
      for (let w = 0; w < 5; w++) for (let m = 0; m < 120; m++) batch.push(record(`ward:S${s}/W${w}`, metric, '1m', T0 - m * 60_000));
    }
  }
  await flush();
  return rows;
}

/** The keys of ten late events, one per site, each at a window that exists and at one that does not. */
function lateKeys(random: () => number): RollupKey[] {
  const keys: RollupKey[] = [];
  for (let s = 0; s < SITES; s++) {
    const at = T0 - 30 * 60_000 - Math.floor(random() * 60) * 60_000;
    for (const resolution of ['1m', '5m', '1h'] as Resolution[]) {
      const start = at - (at % RES_MS[resolution]);
      for (const scope of [`site:S${s}`, `ward:S${s}/W${s % 5}`, `device:D${s}`, `siteapp:S${s}/epr`]) keys.push({ scope, metric: 'app.totalMs', resolution, start });
    }
  }
  return keys;
}

async function measure(name: string, store: RollupStore, windows: number, runs: number): Promise<CorrectionsBenchResult> {
  const random = mulberry32(7);
  const rows = await fill(store, windows, random);
  const keys = lateKeys(random);
  const time = async (read: () => Promise<RollupRecord[]>, runs: number) => {
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      found = (await read()).length;
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { ms: ms[Math.floor(ms.length / 2)]!, found };
  };
  // The old read once (on SQLite it takes minutes here), the new one warmed up and then the median.
  const range = await time(() => rangeRead(store, keys), 1);
  await store.lookup(keys);
  const lookup = await time(() => store.lookup(keys), runs);
  if (range.found !== lookup.found) throw new Error(`${name}: the two reads found ${range.found} and ${lookup.found} rows`);
  return { store: name, rows, keys: keys.length, rangeMs: range.ms, lookupMs: lookup.ms, found: lookup.found };
}

export async function correctionsBench(options: { windows?: number; runs?: number; postgres?: string } = {}): Promise<CorrectionsBenchResult[]> {
  const windows = options.windows ?? 20_000;
  const runs = options.runs ?? 5;
  const results: CorrectionsBenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-corrections-bench-'));
  const sqlite = new SqliteRollupStore(join(dir, 'rollups.db'));
  try {
    results.push(await measure('SQLite (file, WAL)', sqlite, windows, runs));
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const postgres = await PostgresRollupStore.open({
    connectionString: options.postgres ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: `ww_bench_corrections_${process.pid}`,
  });
  try {
    results.push(await measure('PostgreSQL', postgres, windows, runs));
  } finally {
    await postgres.dropSchema();
    await postgres.close();
  }
  return results;
}
