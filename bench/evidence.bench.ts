// The evidence pack at scale: a 50-site trust with 13 months of hourly site and site-application
// history and one month of every scope (wards, access points, devices) in a SQLite file; the time to
// load and build a month's pack, and the store's size per month (measured for `devices` devices and
// scaled to 10,000). Sketches come from a pool drawn once (drawing each from scratch would make the
// bench about generating data, not reading it).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeValues } from '@wardwatch/sketch';
import { mulberry32 } from '@wardwatch/simulator';
import { SqliteRollupStore, type RollupRecord } from '@wardwatch/store';
import { addMonths, buildEvidencePack, londonMonth, loadPackInputs, type EstateDirectory, type HistoryCache } from '@wardwatch/evidence';

export interface EvidenceBenchResult {
  sites: number;
  devices: number;
  months: number;
  historyRows: number;
  /** The report month's site, ward, access-point and site-application rows, and their bytes. */
  scopeRows: number;
  scopeBytes: number;
  /** The report month's device rows, and their bytes. */
  deviceRows: number;
  deviceBytes: number;
  historyBytes: number;
  loadMs: number;
  buildMs: number;
  warmLoadMs: number;
  warmBuildMs: number;
}

const APPS = ['epr', 'pacs', 'lims', 'eprescribing', 'email'];
const PHASES = ['winlogonMs', 'profileMs', 'groupPolicyMs', 'preShellMs', 'shellMs', 'appLogonMs'];

export async function evidenceBench(options: { sites?: number; devices?: number; months?: number; month?: string } = {}): Promise<EvidenceBenchResult> {
  const sites = options.sites ?? 50;
  const devices = options.devices ?? 1000;
  const months = options.months ?? 13;
  const month = options.month ?? '2026-10';
  const r = mulberry32(2026);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  const pool = (n: number, size: () => number, draw: () => number) =>
    Array.from({ length: n }, () => {
      const values = Array.from({ length: size() }, draw);
      return { sketch: encodeValues(values), count: values.length, fast: values.filter((v) => v <= 30_000).length };
    });
  // Per site-hour: ~20 logons, ~3,000 checks per application (50 devices × 60), 3,000 Wi-Fi samples.
  const sitePools = {
    logon: pool(64, () => 5 + Math.floor(r() * 30), () => Math.round(22_000 * Math.exp(0.5 * normal()))),
    app: pool(64, () => 400, () => Math.round(800 * Math.exp(0.6 * normal()))),
    wifi: pool(64, () => 400, () => Math.round(62 + 6 * normal())),
    phase: pool(64, () => 20, () => Math.round(4_000 * Math.exp(0.8 * normal()))),
  };
  const devicePools = { logon: pool(64, () => 1 + Math.floor(r() * 3), () => Math.round(22_000 * Math.exp(0.5 * normal()))) };
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)]!;
  const row = (scope: string, metric: string, start: number, p: { sketch: Uint8Array; count: number; fast: number }): RollupRecord => ({
    scope, metric, resolution: '1h', start, count: p.count, valid: p.count, good: p.count, fast: p.fast, sketch: p.sketch,
  });

  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-evidence-bench-'));
  const file = join(dir, 'store.db');
  const store = new SqliteRollupStore(file);
  const siteIds = Array.from({ length: sites }, (_, i) => `RXX${String(i + 1).padStart(2, '0')}`);
  const devicesPerSite = Math.ceil(devices / sites);
  // Wards of at least five devices (fewer are left out of the pack), at most ten a site.
  const WARDS_PER_SITE = Math.max(1, Math.min(10, Math.floor(devicesPerSite / 5)));
  const directory: EstateDirectory = {
    source: 'bench inventory',
    sites: siteIds.map((id) => ({ id, trust: 'RXX', name: `Site ${id}` })),
    devices: siteIds.flatMap((site) => Array.from({ length: devicesPerSite }, (_, i) => ({ id: `${site}-D${i}`, site, ward: `W${i % WARDS_PER_SITE}`, model: `Model ${i % 7}` }))).slice(0, devices),
    accessPoints: [],
  };
  const size = () => statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  let batch: RollupRecord[] = [];
  let rows = 0;
  const flush = async (force = false) => {
    if (batch.length < 20_000 && !force) return;
    await store.write(batch);
    rows += batch.length;
    batch = [];
  };

  try {
    // History: site and site-application scopes, the months before the report month.
    const report = londonMonth(month);
    const first = londonMonth(addMonths(month, -(months - 1)));
    for (let start = first.from; start < report.from; start += 3_600_000) {
      for (const site of siteIds) {
        batch.push(row(`site:${site}`, 'logon.totalMs', start, pick(sitePools.logon)), row(`site:${site}`, 'app.totalMs', start, pick(sitePools.app)), row(`site:${site}`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        for (const app of APPS) batch.push(row(`siteapp:${site}/${app}`, 'app.totalMs', start, pick(sitePools.app)));
      }
      await flush();
    }
    await flush(true);
    const historyRows = rows;
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    const historyBytes = size();

    // The report month: every scope the processor keeps at hourly resolution.
    for (let start = report.from; start < report.to; start += 3_600_000) {
      for (const site of siteIds) {
        batch.push(row(`site:${site}`, 'logon.totalMs', start, pick(sitePools.logon)), row(`site:${site}`, 'app.totalMs', start, pick(sitePools.app)), row(`site:${site}`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        for (const p of PHASES) batch.push(row(`site:${site}`, `logon.${p}`, start, pick(sitePools.phase)));
        for (const app of APPS) batch.push(row(`siteapp:${site}/${app}`, 'app.totalMs', start, pick(sitePools.app)));
        for (let w = 0; w < WARDS_PER_SITE; w++) {
          const ward = `ward:${site}/W${w}`;
          batch.push(row(ward, 'app.totalMs', start, pick(sitePools.app)), row(ward, 'wifi.signalDbm', start, pick(sitePools.wifi)));
          // A ward's logons (and their phases) come in about two hours of three.
          if (r() < 2 / 3) {
            batch.push(row(ward, 'logon.totalMs', start, pick(devicePools.logon)));
            for (const p of PHASES) batch.push(row(ward, `logon.${p}`, start, pick(sitePools.phase)));
          }
          batch.push(row(`ap:3c:a8:2a:${site.slice(3)}:${String(w).padStart(2, '0')}:00`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        }
      }
      await flush();
    }
    await flush(true);
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    const scopeRows = rows - historyRows;
    const scopeBytes = size() - historyBytes;
    for (let start = report.from; start < report.to; start += 3_600_000) {
      // Devices: app, Wi-Fi and health every hour (devices stay on), a logon in a third of hours.
      for (const d of directory.devices) {
        const scope = `device:${d.id}`;
        const counts = (n: number, good: number): RollupRecord => ({ scope, metric: '', resolution: '1h', start, count: n, valid: n, good, fast: good, sketch: encodeValues([]) });
        batch.push({ ...counts(300, 295), metric: 'app.totalMs', sketch: pick(sitePools.app).sketch }, { ...counts(60, 58), metric: 'wifi.signalDbm', sketch: pick(sitePools.wifi).sketch }, { ...counts(12, 12), metric: 'health.cpuPct', sketch: encodeValues([30, 35, 40, 42, 38, 31, 29, 33, 41, 45, 36, 34]) });
        if (r() < 1 / 3) batch.push(row(scope, 'logon.totalMs', start, pick(devicePools.logon)));
      }
      await flush();
    }
    await flush(true);
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    const deviceRows = rows - historyRows - scopeRows;
    const deviceBytes = size() - historyBytes - scopeBytes;

    // The second build finds the earlier months merged in the cache the first one filled (as a server's would).
    const historyCache: HistoryCache = new Map();
    const measure = async () => {
      let t = performance.now();
      const inputs = await loadPackInputs(store, { trust: 'RXX', month }, { directory, softwareVersion: 'bench', now: Date.now(), historyCache });
      const loadMs = performance.now() - t;
      t = performance.now();
      const pack = buildEvidencePack(inputs);
      if (!(pack.summary.timeLost.hours > 0)) throw new Error('the bench pack lost no time: the data is wrong');
      return { loadMs, buildMs: performance.now() - t };
    };
    const cold = await measure();
    const warm = await measure();
    return { sites, devices, months, historyRows, scopeRows, scopeBytes, deviceRows, deviceBytes, historyBytes, loadMs: cold.loadMs, buildMs: cold.buildMs, warmLoadMs: warm.loadMs, warmBuildMs: warm.buildMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
