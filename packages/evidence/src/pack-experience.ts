// Disruption-free time, the 0–100 experience score (per site and device, components shown) and the
// devices section.
import { signalText, type EvidenceDeviceRow, type EvidenceScoreRow, type ExperienceComponents } from '@wardwatch/schema';
import type { StatusThresholds } from '@wardwatch/status-rules';
import type { RollupRecord } from '@wardwatch/store';
import type { PackContext } from './pack-context.ts';
import { ratio, Tally } from './tally.ts';

/** Equal weights: no component is known to matter more to a clinician than another. */
export const SCORE_WEIGHTS = { logon: 0.25, application: 0.25, wifi: 0.25, device: 0.25 } as const;

/**
 * How the score is reckoned, in words. Its components count the rollups' good and fast samples, which
 * the processor judged by its status thresholds as the data arrived: the words name those thresholds.
 */
export function scoreMethod(thresholds: StatusThresholds): string[] {
  const seconds = (ms: number) => `${ms / 1000} s`;
  return [
    `Each component is the share of good experiences in the month: logons within the logon threshold (${seconds(thresholds.logonSlowMs)}) that succeeded; application checks answered within the application threshold (${seconds(thresholds.appSlowMs)}); Wi-Fi samples connected at a signal of ${signalText(thresholds.wifiWeakDbm)} or better; health samples with CPU below ${thresholds.cpuPressurePct} %. The thresholds are the processor's status thresholds, counted as the data arrived.`,
    'The score is 100 × the weighted mean of the components measured (equal weights; a component with no samples is left out and the others re-weighted).',
    'Disruption-free time: of each device-hour\'s active minutes (Wi-Fi samples, one a minute, or health samples × 5; 60 when only application checks came), the minutes disrupted are the share of bad Wi-Fi samples plus the share of slow or failed checks, times the active minutes, plus one minute per slow or failed logon, capped at the active minutes. Overlapping disruptions count twice, so the figure is a floor.',
    'Hours when a device sent nothing are unknown: they are neither active nor disrupted.',
  ];
}

const METRICS = ['app.totalMs', 'logon.totalMs', 'wifi.signalDbm', 'health.cpuPct'] as const;

interface DeviceHours {
  active: number;
  disrupted: number;
}

/** Active and disrupted minutes per device over the month, from its hourly rollups. */
export function disruptionByDevice(records: readonly RollupRecord[], skip: (r: RollupRecord) => boolean): Map<string, DeviceHours> {
  const hours = new Map<string, Partial<Record<(typeof METRICS)[number], RollupRecord>>>();
  for (const r of records) {
    if (!r.scope.startsWith('device:') || skip(r)) continue;
    const key = `${r.scope}\u0000${r.start}`;
    let h = hours.get(key);
    if (!h) hours.set(key, (h = {}));
    h[r.metric as (typeof METRICS)[number]] = r;
  }
  const out = new Map<string, DeviceHours>();
  for (const [key, h] of hours) {
    const device = key.slice(0, key.indexOf('\u0000'));
    const { active, disrupted } = deviceHour(h);
    const d = out.get(device) ?? { active: 0, disrupted: 0 };
    d.active += active;
    d.disrupted += disrupted;
    out.set(device, d);
  }
  return out;
}

/** One device-hour's rollups, by metric. */
export type HourRollups = Partial<Record<(typeof METRICS)[number], RollupRecord>>;

/** Active and disrupted minutes of one device-hour (also what device digests keep, hour by hour). */
export function deviceHour(h: HourRollups): DeviceHours {
  const wifi = h['wifi.signalDbm'];
  const health = h['health.cpuPct'];
  const app = h['app.totalMs'];
  const logon = h['logon.totalMs'];
  let active = Math.min(60, Math.max(wifi?.valid ?? 0, (health?.valid ?? 0) * 5));
  if (active === 0 && (app?.valid ?? 0) > 0) active = 60;
  if (active === 0) return { active: 0, disrupted: 0 };
  const badShare = (r?: RollupRecord) => (r && r.valid > 0 ? (r.valid - r.fast) / r.valid : 0);
  const slowLogons = logon ? logon.valid - logon.fast : 0;
  const disrupted = Math.min(active, (badShare(wifi) + badShare(app)) * active + slowLogons);
  return { active, disrupted };
}

/** The SLI counts a component reads (a Tally, or counts summed without bins). */
type Counts = Pick<Tally, 'valid' | 'good' | 'fast'>;

export function components(t: { logon?: Counts; app?: Counts; wifi?: Counts; health?: Counts }): ExperienceComponents {
  return {
    logon: t.logon ? ratio(t.logon.fast, t.logon.valid) : null,
    application: t.app ? ratio(t.app.fast, t.app.valid) : null,
    wifi: t.wifi ? ratio(t.wifi.fast, t.wifi.valid) : null,
    device: t.health ? ratio(t.health.good, t.health.valid) : null,
  };
}

export function scoreOf(c: ExperienceComponents): number | null {
  let sum = 0;
  let weight = 0;
  for (const k of Object.keys(SCORE_WEIGHTS) as Array<keyof typeof SCORE_WEIGHTS>) {
    const v = c[k];
    if (v === null) continue;
    sum += SCORE_WEIGHTS[k] * v;
    weight += SCORE_WEIGHTS[k];
  }
  return weight > 0 ? Math.round((1000 * sum) / weight) / 10 : null;
}

export interface ExperienceResult {
  sites: EvidenceScoreRow[];
  devices: EvidenceScoreRow[];
  deviceRows: EvidenceDeviceRow[];
  models: EvidenceDeviceRow[];
  devicesReporting: number;
}

export function experienceSection(ctx: PackContext): ExperienceResult {
  const { index } = ctx;
  const disruption = disruptionByDevice(ctx.inputs.month, (r) => ctx.inMaintenance(r));
  // Folded days carry their minutes, computed hour by hour when they were folded.
  const minutes = ctx.digestMinutes;
  for (const { scope, from, to } of ctx.digestMinuteSpans) {
    let d = disruption.get(scope);
    if (!d) disruption.set(scope, (d = { active: 0, disrupted: 0 }));
    for (let i = from; i < to; i++) {
      d.active += minutes[2 * i]!;
      d.disrupted += minutes[2 * i + 1]!;
    }
  }
  const deviceScopes = index.scopes('device:');
  const placement = new Map(ctx.inputs.directory.devices.map((d) => [d.id, d]));
  const deviceRows: EvidenceDeviceRow[] = [];
  const deviceScores: EvidenceScoreRow[] = [];
  for (const scope of deviceScopes) {
    const id = scope.slice('device:'.length);
    const t = { logon: index.get(scope, 'logon.totalMs'), app: index.get(scope, 'app.totalMs'), wifi: index.get(scope, 'wifi.signalDbm'), health: index.get(scope, 'health.cpuPct') };
    const c = components(t);
    const d = disruption.get(scope);
    const score = scoreOf(c);
    const where = placement.get(id);
    deviceScores.push({ scope, level: 'device', name: id, devices: 1, score, components: c, disruptionFree: d && d.active > 0 ? 1 - d.disrupted / d.active : null });
    const mem = index.get(scope, 'health.memPct');
    const disk = index.get(scope, 'health.diskFreePct');
    const boot = index.get(scope, 'health.bootMs');
    deviceRows.push({
      scope,
      name: id,
      site: where?.site ?? '',
      model: where?.model ?? null,
      devices: 1,
      logonP50Ms: t.logon ? t.logon.bins.quantile(0.5) : null,
      cpuPressureShare: t.health ? ratio(t.health.valid - t.health.good, t.health.valid) : null,
      memPressureShare: mem ? ratio(mem.valid - mem.good, mem.valid) : null,
      lowDiskShare: disk ? ratio(disk.valid - disk.good, disk.valid) : null,
      bootP50Ms: boot ? boot.bins.quantile(0.5) : null,
      score,
    });
  }
  const worst = <T extends { score: number | null }>(rows: T[]) => [...rows].filter((r) => r.score !== null).sort((a, b) => a.score! - b.score!);

  const sites: EvidenceScoreRow[] = [];
  for (const site of ctx.inputs.sites) {
    const devices = ctx.devicesOf(site);
    if (!ctx.shown(`site:${site}`, ctx.siteName(site), devices)) continue;
    const members = ctx.placed ? (ctx.devicesBySite.get(site) ?? []).map((d) => `device:${d.id}`) : ctx.inputs.sites.length === 1 ? deviceScopes : [];
    // Only the counts: a site's devices' health tallies merged whole were most of this section's time.
    const health = { valid: 0, good: 0, fast: 0 };
    for (const m of members) {
      const t = index.get(m, 'health.cpuPct');
      if (t) (health.valid += t.valid), (health.good += t.good), (health.fast += t.fast);
    }
    const c = components({ logon: index.get(`site:${site}`, 'logon.totalMs'), app: index.get(`site:${site}`, 'app.totalMs'), wifi: index.get(`site:${site}`, 'wifi.signalDbm'), health: health.valid > 0 ? health : undefined });
    let active = 0;
    let disrupted = 0;
    for (const m of members) {
      const d = disruption.get(m);
      if (d) (active += d.active), (disrupted += d.disrupted);
    }
    sites.push({ scope: `site:${site}`, level: 'site', name: ctx.siteName(site), devices: devices ?? members.length, score: scoreOf(c), components: c, disruptionFree: active > 0 ? 1 - disrupted / active : null });
  }

  const byModel = new Map<string, EvidenceDeviceRow[]>();
  for (const row of deviceRows) {
    if (!row.model) continue;
    const rows = byModel.get(row.model);
    if (rows) rows.push(row);
    else byModel.set(row.model, [row]);
  }
  const models: EvidenceDeviceRow[] = [];
  for (const [model, rows] of byModel) {
    if (!ctx.shown(`model:${model}`, `model ${model}`, rows.length)) continue;
    const scored = rows.filter((r) => r.score !== null);
    // A model's figure: the mean share over its devices; its times, the median of its devices' medians.
    const mean = (share: (r: EvidenceDeviceRow) => number | null) => {
      const known = rows.map(share).filter((v): v is number => v !== null);
      return known.length > 0 ? known.reduce((s, v) => s + v, 0) / known.length : null;
    };
    const median = (time: (r: EvidenceDeviceRow) => number | null) => {
      const known = rows.map(time).filter((v): v is number => v !== null).sort((a, b) => a - b);
      return known.length > 0 ? known[Math.floor((known.length - 1) / 2)]! : null;
    };
    models.push({
      scope: `model:${model}`,
      name: model,
      site: '',
      model,
      devices: rows.length,
      logonP50Ms: median((r) => r.logonP50Ms),
      cpuPressureShare: mean((r) => r.cpuPressureShare),
      memPressureShare: mean((r) => r.memPressureShare),
      lowDiskShare: mean((r) => r.lowDiskShare),
      bootP50Ms: median((r) => r.bootP50Ms),
      score: scored.length > 0 ? Math.round((10 * scored.reduce((s, r) => s + r.score!, 0)) / scored.length) / 10 : null,
    });
  }
  return {
    sites,
    devices: worst(deviceScores).slice(0, 10),
    deviceRows: worst(deviceRows).slice(0, 10),
    models: worst(models),
    devicesReporting: deviceScopes.length,
  };
}
