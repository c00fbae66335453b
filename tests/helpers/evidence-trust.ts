// A small simulated trust written straight into a store as hourly rollups (the way the processor
// stores them), with the raw values kept so tests can compare the pack with exact sums.
import { mulberry32 } from '@wardwatch/simulator';
import { encodeValues } from '@wardwatch/sketch';
import type { RollupRecord, RollupStore } from '@wardwatch/store';
import type { EstateDirectory } from '@wardwatch/evidence';

export interface TrustDevice {
  id: string;
  site: string;
  ward: string;
  model: string;
  ap: string;
}

/** S1: 10 devices on two wards of 5, slow profiles; S2: 10 devices, healthy; S3: 3 devices (too few to show). */
export function trustDevices(): TrustDevice[] {
  const devices: TrustDevice[] = [];
  const add = (site: string, ward: string, n: number, model: string) => {
    for (let i = 0; i < n; i++) devices.push({ id: `${site}-${ward}-D${i + 1}`, site, ward, model, ap: `3c:a8:2a:${site === 'S1' ? '01' : site === 'S2' ? '02' : '03'}:${ward === 'W1' ? '01' : '02'}:00` });
  };
  add('S1', 'W1', 5, 'Old Desktop 800 G1');
  add('S1', 'W2', 5, 'New Desktop 7010');
  add('S2', 'W1', 5, 'New Desktop 7010');
  add('S2', 'W2', 5, 'New Desktop 7010');
  add('S3', 'W1', 3, 'Old Desktop 800 G1');
  return devices;
}

export function trustDirectory(devices = trustDevices()): EstateDirectory {
  const aps = new Map<string, { id: string; site: string; ward: string; devices: number }>();
  for (const d of devices) {
    const ap = aps.get(d.ap) ?? { id: d.ap, site: d.site, ward: d.ward, devices: 0 };
    ap.devices++;
    aps.set(d.ap, ap);
  }
  return {
    source: 'test inventory',
    sites: [
      { id: 'S1', trust: 'RXX', name: 'Royal Infirmary' },
      { id: 'S2', trust: 'RXX', name: 'General Hospital' },
      { id: 'S3', trust: 'RXX', name: 'Community Clinic' },
    ],
    devices: devices.map(({ id, site, ward, model }) => ({ id, site, ward, model })),
    accessPoints: [...aps.values()],
  };
}

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());

export interface TrustOptions {
  /** [from, to) epoch ms, whole hours. */
  from: number;
  to: number;
  /** Logon median at S1 (ms) as a function of the hour's start: lets a test make a month worse. */
  s1LogonMedianMs?: (start: number) => number;
  /** Hours whose S1 logons are terrible (maintenance: they must not count). */
  badHours?: (start: number) => boolean;
  /** Hours in which an application's checks at a site all fail (an outage: counted, never good). */
  appDown?: (site: string, app: string, start: number) => boolean;
  seed?: number;
}

export interface WrittenTrust {
  records: number;
  /** Raw logon durations per site and hour start (ms), to compare with the pack. */
  logons: Map<string, Array<{ start: number; ms: number }>>;
  /** Raw application checks per "site/app" and hour start: ms, or null for a failed check. */
  checks: Map<string, Array<{ start: number; ms: number | null }>>;
}

const APPS = ['epr', 'pacs'];

interface WardHour {
  logon: number[];
  logonFast: number;
  profile: number[];
  gp: number[];
  shell: number[];
}
interface SiteHour extends WardHour {
  app: Map<string, { values: number[]; failed: number }>;
  wifi: number[];
  wifiFast: number;
}

/** Writes hourly rollups for 07:00–19:00 UTC of every day in [from, to). */
export async function writeTrust(store: RollupStore, opts: TrustOptions): Promise<WrittenTrust> {
  const devices = trustDevices();
  const r = mulberry32(opts.seed ?? 7);
  const logons = new Map<string, Array<{ start: number; ms: number }>>();
  const checks = new Map<string, Array<{ start: number; ms: number | null }>>();
  let batch: RollupRecord[] = [];
  let records = 0;
  const put = (scope: string, metric: string, start: number, values: number[], valid = values.length, good = valid, fast = valid) => {
    batch.push({ scope, metric, resolution: '1h', start, count: values.length, valid, good, fast, sketch: encodeValues(values) });
  };
  for (let start = opts.from; start < opts.to; start += 3_600_000) {
    const hour = new Date(start).getUTCHours();
    if (hour < 7 || hour >= 19) continue;
    const site = new Map<string, SiteHour>();
    const ward = new Map<string, WardHour>();
    // An access point's hour holds every device's samples on it (one row per key and hour).
    const aps = new Map<string, { values: number[]; fast: number }>();
    for (const d of devices) {
      const s: SiteHour = site.get(d.site) ?? { logon: [], logonFast: 0, app: new Map(), wifi: [], wifiFast: 0, profile: [], gp: [], shell: [] };
      site.set(d.site, s);
      const w: WardHour = ward.get(`${d.site}/${d.ward}`) ?? { logon: [], logonFast: 0, profile: [], gp: [], shell: [] };
      ward.set(`${d.site}/${d.ward}`, w);
      // Logons: one or two a device-hour.
      const median = d.site === 'S1' ? (opts.s1LogonMedianMs?.(start) ?? 28_000) : 14_000;
      const bad = d.site === 'S1' && opts.badHours?.(start);
      const n = 1 + (r() < 0.5 ? 1 : 0);
      const dl: number[] = [];
      for (let i = 0; i < n; i++) {
        const ms = Math.round(bad ? 300_000 : median * Math.exp(0.5 * normal(r)));
        dl.push(ms);
        const profile = Math.round(ms * (d.site === 'S1' ? 0.6 : 0.3));
        const gp = Math.round(ms * 0.25);
        s.profile.push(profile), s.gp.push(gp), s.shell.push(ms - profile - gp);
        w.profile.push(profile), w.gp.push(gp), w.shell.push(ms - profile - gp);
        const list = logons.get(d.site) ?? [];
        list.push({ start, ms });
        logons.set(d.site, list);
      }
      const fast = dl.filter((v) => v <= 30_000).length;
      s.logon.push(...dl), (s.logonFast += fast), w.logon.push(...dl), (w.logonFast += fast);
      put(`device:${d.id}`, 'logon.totalMs', start, dl, dl.length, dl.length, fast);
      // Applications: a check every 5 minutes per application.
      const da: number[] = [];
      let deviceFailed = 0;
      for (const app of APPS) {
        const values = Array.from({ length: 12 }, () => Math.round((app === 'pacs' ? 1_500 : 700) * (d.site === 'S1' ? 1.6 : 1) * Math.exp(0.6 * normal(r))));
        const a = s.app.get(app) ?? { values: [], failed: 0 };
        s.app.set(app, a);
        const raw = checks.get(`${d.site}/${app}`) ?? [];
        checks.set(`${d.site}/${app}`, raw);
        if (opts.appDown?.(d.site, app, start)) {
          // Failed checks carry no duration: counted as valid, never good, not in the sketch.
          a.failed += values.length;
          deviceFailed += values.length;
          for (let i = 0; i < values.length; i++) raw.push({ start, ms: null });
          continue;
        }
        a.values.push(...values);
        da.push(...values);
        for (const ms of values) raw.push({ start, ms });
      }
      put(`device:${d.id}`, 'app.totalMs', start, [], da.length + deviceFailed, da.length, da.filter((v) => v <= 2000).length);
      // Wi-Fi: a sample a minute, stored as −dBm; S1 ward W2's access point is weak.
      const base = d.site === 'S1' && d.ward === 'W2' ? 74 : 58;
      const wifi = Array.from({ length: 60 }, () => Math.round(base + 5 * normal(r)));
      const wifiFast = wifi.filter((v) => v <= 75).length;
      s.wifi.push(...wifi), (s.wifiFast += wifiFast);
      put(`device:${d.id}`, 'wifi.signalDbm', start, [], 60, 60, wifiFast);
      const ap = aps.get(d.ap) ?? { values: [], fast: 0 };
      aps.set(d.ap, ap);
      ap.values.push(...wifi);
      ap.fast += wifiFast;
      // Health: a sample every 5 minutes; old models are under CPU pressure now and then.
      const cpu = Array.from({ length: 12 }, () => (d.model.startsWith('Old') && r() < 0.3 ? 95 : 40));
      const cpuGood = cpu.filter((v) => v < 90).length;
      put(`device:${d.id}`, 'health.cpuPct', start, [], 12, cpuGood, cpuGood);
      // Old models run short of memory now and then; S1's ward W1 disks are nearly full.
      const memGood = 12 - (d.model.startsWith('Old') ? 3 : 0);
      put(`device:${d.id}`, 'health.memPct', start, [], 12, memGood, memGood);
      const diskGood = d.site === 'S1' && d.ward === 'W1' ? 0 : 12;
      put(`device:${d.id}`, 'health.diskFreePct', start, [], 12, diskGood, diskGood);
      // A boot each morning: old models take 95 s, new ones 35 s.
      if (hour === 7) put(`device:${d.id}`, 'health.bootMs', start, [d.model.startsWith('Old') ? 95_000 : 35_000], 1, 1, 1);
    }
    for (const [id, s] of site) {
      put(`site:${id}`, 'logon.totalMs', start, s.logon, s.logon.length, s.logon.length, s.logonFast);
      put(`site:${id}`, 'logon.profileMs', start, s.profile);
      put(`site:${id}`, 'logon.groupPolicyMs', start, s.gp);
      put(`site:${id}`, 'logon.shellMs', start, s.shell);
      const all: number[] = [];
      let failed = 0;
      for (const [app, a] of s.app) {
        put(`siteapp:${id}/${app}`, 'app.totalMs', start, a.values, a.values.length + a.failed, a.values.length, a.values.filter((v) => v <= 2000).length);
        all.push(...a.values);
        failed += a.failed;
      }
      put(`site:${id}`, 'app.totalMs', start, all, all.length + failed, all.length, all.filter((v) => v <= 2000).length);
      put(`site:${id}`, 'wifi.signalDbm', start, s.wifi, s.wifi.length, s.wifi.length, s.wifiFast);
    }
    for (const [id, ap] of aps) put(`ap:${id}`, 'wifi.signalDbm', start, ap.values, ap.values.length, ap.values.length, ap.fast);
    for (const [id, w] of ward) {
      put(`ward:${id}`, 'logon.totalMs', start, w.logon, w.logon.length, w.logon.length, w.logonFast);
      put(`ward:${id}`, 'logon.profileMs', start, w.profile);
      put(`ward:${id}`, 'logon.groupPolicyMs', start, w.gp);
      put(`ward:${id}`, 'logon.shellMs', start, w.shell);
    }
    if (batch.length > 5_000) {
      await store.write(batch);
      records += batch.length;
      batch = [];
    }
  }
  await store.write(batch);
  records += batch.length;
  return { records, logons, checks };
}
