// The evidence pack at scale: a trust of `sites` sites and `devices` devices with `months` months of
// history in a SQLite file, as the store holds it: the months before the report month as hourly site
// and site-application rows (what the trend reads); the report month as hourly rows of every
// non-device scope (sites with six logon phases, up to ten wards a site, an access point a ward, five
// applications a site) and one digest per device (what the processor's hourly housekeeping folds a
// device's hourly rollups into once they are two days old). Then the day tier: every day's hourly rows of
// those scopes folded into day rows by the processor's own housekeeping fold (foldSiteDays), timed. Then
// `loadPackInputs` + `buildEvidencePack` for the month: once from the hourly rows alone (as before the
// day tier; `compareHourly`), then from the day rows, cold and again (a server's merged earlier months
// cached) — the two packs' figures checked equal.
//
// Also measured on samples and scaled to the whole trust: the digests' fold (hourly device rows
// written, then folded by the store as the housekeeping does), the two days of hourly device rows the
// store keeps before folding, and what the month's sketches took as the protobuf stored before the
// compact format. And the store's tiers as SQLite holds them once everything is folded (its dbstat
// table: pages of each table and index), from which the size a year per 10,000 devices under the
// retentions (hourly rows 62 days; day rows until 62 days after their month for wards and access
// points, 92 for sites and applications; month rows and digests 400 days) is worked out: what a year
// adds, and what is held at any time.
// Sketches come from pools drawn once (drawing each from scratch would make the bench about
// generating data, not reading it).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSketch, encodeValues } from '@wardwatch/sketch';
// The protobuf writer (the format rows were written in before the compact one) is the package's internal.
import { encodeSketchProtobuf } from '../packages/sketch/src/sketch-encode.ts';
import { mulberry32 } from '@wardwatch/simulator';
import { SqliteRollupStore, type RollupRecord, type RollupStore } from '@wardwatch/store';
// The digests' first format, to report what a device-month took before format 2.
import { encodeFormat1 } from '../packages/evidence/src/digest-format-1.ts';
import {
  addHours,
  addMonths,
  buildEvidencePack,
  dayEnd,
  encodeDigest,
  foldDeviceHours,
  foldSiteDays,
  londonMonth,
  loadPackInputs,
  type DeviceDay,
  type EstateDirectory,
  type HistoryCache,
} from '@wardwatch/evidence';

export interface EvidenceBenchResult {
  sites: number;
  devices: number;
  months: number;
  /** Hours in the report month (London time). */
  reportHours: number;
  /** The earlier months' hourly site and site-application rows, and their bytes. */
  historyRows: number;
  historyBytes: number;
  /** The report month's site, ward, access-point and site-application rows, and their bytes. */
  scopeRows: number;
  scopeBytes: number;
  /** The report month's device digests (one a device), and their bytes. */
  digestRows: number;
  digestBytes: number;
  /** Folding: hourly device rows of `foldDevices` devices over the month, folded by the store. */
  foldDevices: number;
  foldRows: number;
  foldMs: number;
  /** Bytes of one device-month's digest as the fold made it (check on the pool-built ones). */
  foldedDigestBytesPerDevice: number;
  /** The two days of hourly device rows kept before folding, for `hotDevices` devices. */
  hotDevices: number;
  hotRows: number;
  hotBytes: number;
  /** Of the sketches written for the report month's scopes: their bytes, and as the protobuf. */
  sketchBytes: number;
  protobufSketchBytes: number;
  fileBytes: number;
  pageSize: number;
  /** The day tier: days folded, hourly rows read, day rows written, their bytes, the fold's time. */
  dayFoldDays: number;
  dayFoldRows: number;
  dayRows: number;
  dayBytes: number;
  dayFoldMs: number;
  /** The month tier: months folded, day rows read, month rows written. */
  monthFolds: number;
  monthRows: number;
  /** Bytes on disk (dbstat: each table's pages and its indexes') once everything is folded. */
  tierBytes: { hourly: number; days: number; months: number; digests: number };
  /** The report month's day rows: rows and their share of the day tier's bytes, by scope kind. */
  reportDays: { siteRows: number; siteBytes: number; wardRows: number; wardBytes: number };
  /** The report month's month rows (every scope but devices), and their share of the month tier's bytes. */
  reportMonths: { rows: number; bytes: number };
  /** A device-month's digest as the pool builds it: format 2 (written) and format 1, mean bytes. */
  digestFormat1Bytes: number;
  digestFormat2Bytes: number;
  /** The pack from hourly rows alone (before the day tier), when measured. */
  hourlyLoadMs: number | null;
  hourlyBuildMs: number | null;
  loadMs: number;
  buildMs: number;
  warmLoadMs: number;
  warmBuildMs: number;
  /** The report month read by its days, as before its month fold (the first eight days after it): cold, then with earlier months cached. */
  byDayLoadMs: number;
  byDayBuildMs: number;
  byDayWarmLoadMs: number;
  byDayWarmBuildMs: number;
}

const APPS = ['epr', 'pacs', 'lims', 'eprescribing', 'email'];
const PHASES = ['winlogonMs', 'profileMs', 'groupPolicyMs', 'preShellMs', 'shellMs', 'appLogonMs'];
const HOUR = 3_600_000;

type Pooled = { sketch: Uint8Array; count: number; fast: number };

export async function evidenceBench(
  options: { sites?: number; devices?: number; months?: number; month?: string; foldDevices?: number; hotDevices?: number; compareHourly?: boolean; progress?: (line: string) => void } = {},
): Promise<EvidenceBenchResult> {
  const sites = options.sites ?? 50;
  const devices = options.devices ?? 1000;
  const months = options.months ?? 13;
  const month = options.month ?? '2026-10';
  const foldDevices = Math.min(devices, options.foldDevices ?? 200);
  const hotDevices = Math.min(devices, options.hotDevices ?? 500);
  const progress = options.progress ?? (() => {});
  const r = mulberry32(2026);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  const pool = (n: number, size: () => number, draw: () => number, fastBelow = 30_000): Pooled[] =>
    Array.from({ length: n }, () => {
      const values = Array.from({ length: size() }, draw);
      return { sketch: encodeValues(values), count: values.length, fast: values.filter((v) => v <= fastBelow).length };
    });
  // Per site-hour: ~20 logons, ~3,000 checks per application (50 devices × 60), 3,000 Wi-Fi samples.
  const sitePools = {
    logon: pool(64, () => 5 + Math.floor(r() * 30), () => Math.round(22_000 * Math.exp(0.5 * normal()))),
    app: pool(64, () => 400, () => Math.round(800 * Math.exp(0.6 * normal())), 2000),
    wifi: pool(64, () => 400, () => Math.round(62 + 6 * normal()), 75),
    phase: pool(64, () => 20, () => Math.round(4_000 * Math.exp(0.8 * normal()))),
  };
  // Per device-hour: 5 applications checked a minute, a Wi-Fi sample a minute, health every 5 minutes.
  const devicePools = {
    logon: pool(64, () => 1 + Math.floor(r() * 3), () => Math.round(22_000 * Math.exp(0.5 * normal()))),
    app: pool(64, () => 300, () => Math.round(800 * Math.exp(0.6 * normal())), 2000),
    wifi: pool(64, () => 60, () => Math.round(62 + 6 * normal()), 75),
    cpu: pool(64, () => 12, () => Math.min(100, Math.round(25 * Math.exp(0.5 * normal()))), 90),
    mem: pool(64, () => 12, () => Math.min(100, Math.round(45 + 10 * normal())), 90),
    disk: pool(64, () => 12, () => Math.max(0, Math.round(40 + 5 * normal())), 100),
    boot: pool(64, () => 1, () => Math.round(50_000 * Math.exp(0.4 * normal())), 120_000),
  };
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)]!;
  const row = (scope: string, metric: string, start: number, p: Pooled): RollupRecord => ({
    scope, metric, resolution: '1h', start, count: p.count, valid: p.count, good: p.count, fast: p.fast, sketch: p.sketch,
  });
  /** One device-hour as the processor writes it: every device reports every hour, a logon in a third of them. */
  const deviceHourRows = (scope: string, start: number, boot: boolean): RollupRecord[] => {
    const out = [row(scope, 'app.totalMs', start, pick(devicePools.app)), row(scope, 'wifi.signalDbm', start, pick(devicePools.wifi)), row(scope, 'health.cpuPct', start, pick(devicePools.cpu)), row(scope, 'health.memPct', start, pick(devicePools.mem)), row(scope, 'health.diskFreePct', start, pick(devicePools.disk))];
    if (r() < 1 / 3) out.push(row(scope, 'logon.totalMs', start, pick(devicePools.logon)));
    if (boot) out.push(row(scope, 'health.bootMs', start, pick(devicePools.boot)));
    return out;
  };

  const dir = mkdtempSync(join(tmpdir(), 'wardwatch-evidence-bench-'));
  const file = join(dir, 'store.db');
  const store = new SqliteRollupStore(file);
  const db = (store as unknown as { db: { pragma(s: string, o?: { simple: boolean }): unknown } }).db;
  const siteIds = Array.from({ length: sites }, (_, i) => `RXX${String(i + 1).padStart(2, '0')}`);
  const devicesPerSite = Math.ceil(devices / sites);
  // Wards of at least five devices (fewer are left out of the pack), at most ten a site.
  const WARDS_PER_SITE = Math.max(1, Math.min(10, Math.floor(devicesPerSite / 5)));
  const directory: EstateDirectory = {
    source: 'bench inventory',
    sites: siteIds.map((id) => ({ id, trust: 'RXX', name: `Site ${id}` })),
    devices: siteIds.flatMap((site) => Array.from({ length: devicesPerSite }, (_, i) => ({ id: `${site}-D${String(i).padStart(4, '0')}`, site, ward: `W${i % WARDS_PER_SITE}`, model: `Model ${i % 7}` }))).slice(0, devices),
    accessPoints: [],
  };
  const size = () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(file).size;
  };
  let batch: RollupRecord[] = [];
  let rows = 0;
  let sketchBytes = 0;
  let protobufSketchBytes = 0;
  const protobufBytes = new Map<Uint8Array, number>();
  const measureSketch = (s: Uint8Array) => {
    let v = protobufBytes.get(s);
    if (v === undefined) {
      v = encodeSketchProtobuf(decodeSketch(s)).length;
      protobufBytes.set(s, v);
    }
    sketchBytes += s.length;
    protobufSketchBytes += v;
  };
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
    for (let start = first.from; start < report.from; start += HOUR) {
      for (const site of siteIds) {
        batch.push(row(`site:${site}`, 'logon.totalMs', start, pick(sitePools.logon)), row(`site:${site}`, 'app.totalMs', start, pick(sitePools.app)), row(`site:${site}`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        for (const app of APPS) batch.push(row(`siteapp:${site}/${app}`, 'app.totalMs', start, pick(sitePools.app)));
      }
      await flush();
      if ((start - first.from) % (30 * 24 * HOUR) === 0) progress(`history: ${new Date(start).toISOString().slice(0, 10)}`);
    }
    await flush(true);
    const historyRows = rows;
    const historyBytes = size();

    // The report month: every non-device scope the processor keeps at hourly resolution.
    for (let start = report.from; start < report.to; start += HOUR) {
      const put = (rec: RollupRecord) => {
        batch.push(rec);
        measureSketch(rec.sketch);
      };
      for (const site of siteIds) {
        put(row(`site:${site}`, 'logon.totalMs', start, pick(sitePools.logon)));
        put(row(`site:${site}`, 'app.totalMs', start, pick(sitePools.app)));
        put(row(`site:${site}`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        for (const p of PHASES) put(row(`site:${site}`, `logon.${p}`, start, pick(sitePools.phase)));
        for (const app of APPS) put(row(`siteapp:${site}/${app}`, 'app.totalMs', start, pick(sitePools.app)));
        for (let w = 0; w < WARDS_PER_SITE; w++) {
          const ward = `ward:${site}/W${w}`;
          put(row(ward, 'app.totalMs', start, pick(sitePools.app)));
          put(row(ward, 'wifi.signalDbm', start, pick(sitePools.wifi)));
          // A ward's logons (and their phases) come in about two hours of three.
          if (r() < 2 / 3) {
            put(row(ward, 'logon.totalMs', start, pick(devicePools.logon)));
            for (const p of PHASES) put(row(ward, `logon.${p}`, start, pick(sitePools.phase)));
          }
          put(row(`ap:3c:a8:2a:${site.slice(3)}:${String(w).padStart(2, '0')}:00`, 'wifi.signalDbm', start, pick(sitePools.wifi)));
        }
      }
      await flush();
    }
    await flush(true);
    const scopeRows = rows - historyRows;
    const scopeBytes = size() - historyBytes;
    progress(`the month's scopes: ${scopeRows} rows`);

    // Devices: one digest per device for the month. Days drawn from a pool of 64 days, each made by the
    // digest code itself from 24 hourly device rows (a boot in the morning).
    const dayPool: DeviceDay[] = Array.from({ length: 64 }, () => {
      const days = new Map<number, DeviceDay>();
      const hours: RollupRecord[] = [];
      for (let h = 0; h < 24; h++) hours.push(...deviceHourRows('device:pool', report.from + h * HOUR, h === 7));
      addHours(days, hours);
      return days.get(report.from)!;
    });
    const dayStarts: number[] = [];
    for (let t = report.from; t < report.to; t = dayEnd(t)) dayStarts.push(t);
    const monthOf = () => dayStarts.map((day) => ({ ...pick(dayPool), day }));
    const digestOf = () => encodeDigest(report.from, monthOf());
    // The same kind of month in both formats, on 200 drawn devices (bytes of the body alone).
    let digestFormat1Bytes = 0;
    let digestFormat2Bytes = 0;
    for (let i = 0; i < 200; i++) {
      const m = monthOf();
      digestFormat1Bytes += encodeFormat1(report.from, m).length / 200;
      digestFormat2Bytes += encodeDigest(report.from, m).length / 200;
    }
    // Written through the store's own fold: one placeholder hour a device, folded into its digest.
    const before = size();
    for (let i = 0; i < devices; i += 1000) {
      const chunk = directory.devices.slice(i, i + 1000);
      await store.write(chunk.map((d) => ({ ...row(`device:${d.id}`, 'health.cpuPct', report.from, devicePools.cpu[0]!) })));
      const bodies = new Map(chunk.map((d) => [d.id, digestOf()]));
      await store.foldDeviceHours(report.to, (device) => [{ month: report.from, body: bodies.get(device)! }]);
    }
    const digestBytes = size() - before;
    progress(`device digests: ${devices}`);

    // Folding measured: `foldDevices` devices' hourly rows over the whole month, written then folded.
    const foldDir = mkdtempSync(join(tmpdir(), 'wardwatch-evidence-fold-'));
    const foldStore = new SqliteRollupStore(join(foldDir, 'fold.db'));
    let foldRows = 0;
    let foldMs = 0;
    let foldedDigestBytesPerDevice = 0;
    try {
      let hot: RollupRecord[] = [];
      for (let start = report.from; start < report.to; start += HOUR) {
        for (let i = 0; i < foldDevices; i++) hot.push(...deviceHourRows(`device:F${i}`, start, (start - report.from) % (24 * HOUR) === 7 * HOUR));
        if (hot.length > 20_000) {
          await foldStore.write(hot);
          foldRows += hot.length;
          hot = [];
        }
      }
      await foldStore.write(hot);
      foldRows += hot.length;
      const t = performance.now();
      const folded = await foldDeviceHours(foldStore, report.to);
      foldMs = performance.now() - t;
      if (folded !== foldRows) throw new Error(`folded ${folded} of ${foldRows} device rows`);
      const digests = await foldStore.deviceDigests({ from: report.from, to: report.to });
      foldedDigestBytesPerDevice = digests.reduce((n, d) => n + d.body.length, 0) / digests.length;
    } finally {
      await foldStore.close();
      rmSync(foldDir, { recursive: true, force: true });
    }
    progress(`fold: ${foldRows} rows in ${(foldMs / 1000).toFixed(1)} s`);

    // The hot tier: two days of hourly device rows for `hotDevices` devices, in a store of their own.
    const hotDir = mkdtempSync(join(tmpdir(), 'wardwatch-evidence-hot-'));
    const hotFile = join(hotDir, 'hot.db');
    const hotStore = new SqliteRollupStore(hotFile);
    let hotRows = 0;
    let hotBytes = 0;
    try {
      const empty = statSync(hotFile).size;
      for (let start = report.to - 48 * HOUR; start < report.to; start += HOUR) {
        const hour: RollupRecord[] = [];
        for (let i = 0; i < hotDevices; i++) hour.push(...deviceHourRows(`device:H${i}`, start, false));
        await hotStore.write(hour);
        hotRows += hour.length;
      }
      (hotStore as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
      hotBytes = statSync(hotFile).size - empty;
    } finally {
      await hotStore.close();
      rmSync(hotDir, { recursive: true, force: true });
    }

    // The pack as before the day tier: the same store seen without it, every figure from hourly rows.
    const now = Date.now();
    const measure = async (from: RollupStore, historyCache?: HistoryCache) => {
      let t = performance.now();
      const inputs = await loadPackInputs(from, { trust: 'RXX', month }, { directory, softwareVersion: 'bench', now, ...(historyCache ? { historyCache } : {}) });
      const loadMs = performance.now() - t;
      t = performance.now();
      const pack = buildEvidencePack(inputs);
      if (!(pack.summary.timeLost.hours > 0)) throw new Error('the bench pack lost no time: the data is wrong');
      if (pack.method.coverage.devicesReporting !== devices) throw new Error(`the pack saw ${pack.method.coverage.devicesReporting} of ${devices} devices`);
      return { loadMs, buildMs: performance.now() - t, pack };
    };
    let hourly: Awaited<ReturnType<typeof measure>> | null = null;
    if (options.compareHourly ?? true) {
      progress('building the pack from hourly rows (as before the day tier)');
      const withoutDays = new Proxy(store, { get: (target, key) => (key === 'dayRollups' ? undefined : typeof Reflect.get(target, key) === 'function' ? Reflect.get(target, key).bind(target) : Reflect.get(target, key)) });
      hourly = await measure(withoutDays);
    }

    // The day tier, folded as the processors' housekeeping does (a month of days a call), and with it
    // the month tier (wards' and access points' months past their corrections: the report month).
    progress('folding days');
    const beforeDays = size();
    let dayFoldDays = 0;
    let dayFoldRows = 0;
    let monthFolds = 0;
    const t0 = performance.now();
    let dayFoldMs = 0;
    let dayBytes = 0;
    for (;;) {
      const run = await foldSiteDays(store, now);
      if (run.days === 0 && run.months === 0) break;
      dayFoldDays += run.days;
      dayFoldRows += run.rows;
      monthFolds += run.months;
      // The day fold's time and bytes without the month fold's (which comes last, in the last calls).
      if (run.days > 0 && run.months === 0) {
        dayFoldMs = performance.now() - t0;
        dayBytes = size() - beforeDays;
      }
      progress(`folded ${dayFoldDays} days, ${dayFoldRows} hourly rows; ${monthFolds} months`);
    }
    if (dayFoldMs === 0) {
      dayFoldMs = performance.now() - t0;
      dayBytes = size() - beforeDays;
    }
    const dayRows = (await store.dayRollups({ scope: '*', from: 0, to: now, countsOnly: true })).length;
    const monthRows = (await store.monthRollups({ scope: '*', from: 0, to: now, countsOnly: true })).length;

    // Each tier's bytes on disk: its table's pages and its indexes' (SQLite's dbstat).
    size();
    const sql = db as unknown as { prepare(q: string): { all(...a: unknown[]): unknown[]; get(...a: unknown[]): unknown } };
    const pages = new Map((sql.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>).map((r) => [r.name, r.bytes]));
    const bytesOf = (...names: string[]) => names.reduce((n, name) => n + (pages.get(name) ?? 0), 0);
    const tierBytes = {
      hourly: bytesOf('rollups', 'rollups_by_start', 'sqlite_autoindex_rollups_1'),
      days: bytesOf('day_rollups', 'day_rollups_by_day', 'sqlite_autoindex_day_rollups_1'),
      months: bytesOf('month_rollups', 'month_rollups_by_month', 'sqlite_autoindex_month_rollups_1'),
      digests: bytesOf('device_digests', 'device_digests_by_device'),
    };
    // A tier's bytes shared out by what each row holds (key, sketch and counts): rows of one table
    // cost alike but for their sketches' lengths.
    const share = (table: string, column: string, where: string, from: number, to: number): { rows: number; payload: number; all: number } => {
      const payload = `length(scope) + length(metric) + length(sketch) + 40`;
      const part = sql.prepare(`SELECT COUNT(*) AS rows, COALESCE(SUM(${payload}), 0) AS payload FROM ${table} WHERE ${column} >= ? AND ${column} < ? AND ${where}`).get(from, to) as { rows: number; payload: number };
      const all = sql.prepare(`SELECT COALESCE(SUM(${payload}), 0) AS payload FROM ${table}`).get() as { payload: number };
      return { rows: part.rows, payload: part.payload, all: all.payload };
    };
    const wardScope = `((scope >= 'ward:' AND scope < 'ward;') OR (scope >= 'ap:' AND scope < 'ap;'))`;
    const siteDays = share('day_rollups', 'day', `NOT ${wardScope}`, report.from, report.to);
    const wardDays = share('day_rollups', 'day', wardScope, report.from, report.to);
    const monthShare = share('month_rollups', 'month', '1', report.from, report.to);
    const reportDays = {
      siteRows: siteDays.rows,
      siteBytes: (tierBytes.days * siteDays.payload) / Math.max(1, siteDays.all),
      wardRows: wardDays.rows,
      wardBytes: (tierBytes.days * wardDays.payload) / Math.max(1, wardDays.all),
    };
    const reportMonths = { rows: monthShare.rows, bytes: (tierBytes.months * monthShare.payload) / Math.max(1, monthShare.all) };

    // The second build finds the earlier months merged in the cache the first one filled (as a server's would).
    const historyCache: HistoryCache = new Map();
    progress('building the pack (cold)');
    const cold = await measure(store, historyCache);
    progress('building the pack (again)');
    const warm = await measure(store, historyCache);
    // The month just ended, packed before the housekeeping folds it into month rows (eight days after
    // it): the store seen without the report month's fold, so its days are read.
    progress('building the pack with the report month by its days');
    const reportFrom = londonMonth(month).from;
    const unfolded = new Proxy(store, {
      get: (target, key) =>
        key === 'monthFoldState'
          ? async () => {
              const state = await target.monthFoldState();
              return { ...state, folded: state.folded.filter((m) => m.month !== reportFrom) };
            }
          : typeof Reflect.get(target, key) === 'function'
            ? Reflect.get(target, key).bind(target)
            : Reflect.get(target, key),
    });
    const byDayCache: HistoryCache = new Map();
    const byDay = await measure(unfolded, byDayCache);
    const byDayWarm = await measure(unfolded, byDayCache);
    if (Math.abs(byDay.pack.summary.timeLost.hours - cold.pack.summary.timeLost.hours) > 1e-9 * cold.pack.summary.timeLost.hours) throw new Error('the pack by days differs from the pack by month rows');
    if (hourly) {
      const a = hourly.pack.summary.timeLost.hours;
      const b = cold.pack.summary.timeLost.hours;
      if (Math.abs(a - b) > 1e-9 * a || hourly.pack.method.coverage.hoursWithData !== cold.pack.method.coverage.hoursWithData) throw new Error(`the day tier's pack differs: ${b} hours lost against ${a}`);
    }
    return {
      sites, devices, months, reportHours: report.hours, historyRows, historyBytes, scopeRows, scopeBytes, digestRows: devices, digestBytes,
      foldDevices, foldRows, foldMs, foldedDigestBytesPerDevice, hotDevices, hotRows, hotBytes, sketchBytes, protobufSketchBytes,
      fileBytes: size(), pageSize: Number(db.pragma('page_size', { simple: true })),
      dayFoldDays, dayFoldRows, dayRows, dayBytes, dayFoldMs, monthFolds, monthRows, tierBytes, reportDays, reportMonths, digestFormat1Bytes, digestFormat2Bytes, hourlyLoadMs: hourly?.loadMs ?? null, hourlyBuildMs: hourly?.buildMs ?? null,
      loadMs: cold.loadMs, buildMs: cold.buildMs, warmLoadMs: warm.loadMs, warmBuildMs: warm.buildMs,
      byDayLoadMs: byDay.loadMs, byDayBuildMs: byDay.buildMs, byDayWarmLoadMs: byDayWarm.loadMs, byDayWarmBuildMs: byDayWarm.buildMs,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

