// The logon, application and Wi-Fi sections of the pack.
import { LOGON_PHASES, type EvidenceAppRow, type EvidenceLogonRow, type EvidenceWifiRow, type LogonPhaseFigure } from '@wardwatch/schema';
import { PHASE_LABELS, splitOnce, type PackContext } from './pack-context.ts';
import { ratio, type Tally } from './tally.ts';
import { appTimeLost, logonTimeLost } from './time-lost.ts';
import { BinCounts } from './bin-counts.ts';

/** Logons per site, then its wards (scopes with too few devices left out). */
export function logonSection(ctx: PackContext): EvidenceLogonRow[] {
  const rows: EvidenceLogonRow[] = [];
  const { index } = ctx;
  if (!ctx.inputs.request.site && ctx.inputs.sites.length > 1) {
    rows.push(logonRow(ctx, 'trust', 'trust', `Trust ${ctx.inputs.request.trust}`, ctx.inputs.sites.map((s) => `site:${s}`)));
  }
  for (const site of ctx.inputs.sites) {
    if (!ctx.shown(`site:${site}`, ctx.siteName(site), ctx.devicesOf(site))) continue;
    rows.push(logonRow(ctx, `site:${site}`, 'site', ctx.siteName(site), [`site:${site}`]));
    for (const ward of index.scopes(`ward:${site}/`)) {
      const id = ward.slice('ward:'.length);
      if (!index.get(ward, 'logon.totalMs')) continue;
      if (!ctx.shown(ward, ctx.wardName(id), ctx.devicesOf(id))) continue;
      rows.push(logonRow(ctx, ward, 'ward', ctx.wardName(id), [ward]));
    }
  }
  return rows;
}

function logonRow(ctx: PackContext, scope: string, level: EvidenceLogonRow['level'], name: string, scopes: string[]): EvidenceLogonRow {
  const t = ctx.index.sum(scopes, 'logon.totalMs');
  const phases: LogonPhaseFigure[] = [];
  const sums = LOGON_PHASES.map((phase) => {
    const p = ctx.index.sum(scopes, `logon.${phase}`);
    return { phase, p, sum: p.bins.sum() };
  });
  const total = sums.reduce((s, x) => s + x.sum, 0);
  for (const { phase, p, sum } of sums) {
    if (p.count === 0) continue;
    phases.push({ phase, label: PHASE_LABELS[phase] ?? phase, count: p.count, p50Ms: p.bins.quantile(0.5), shareOfTime: total > 0 ? sum / total : 0 });
  }
  const dominantPhase = phases.reduce<LogonPhaseFigure | null>((best, p) => (!best || p.shareOfTime > best.shareOfTime ? p : best), null);
  return {
    scope,
    level,
    name,
    logons: t.count,
    failed: t.valid - t.good,
    p50Ms: t.bins.quantile(0.5),
    p90Ms: t.bins.quantile(0.9),
    p95Ms: t.bins.quantile(0.95),
    shareOver30s: t.count > 0 ? t.bins.shareOver(30_000) : null,
    shareOver40s: t.count > 0 ? t.bins.shareOver(40_000) : null,
    hoursLost: logonTimeLost(t.bins, ctx.config.logons.targetS).seconds / 3600,
    dominantPhase,
    phases,
  };
}

const EMPTY = new BinCounts();

/** Each application at each site. */
export function applicationRows(ctx: PackContext): EvidenceAppRow[] {
  const rows: EvidenceAppRow[] = [];
  for (const site of ctx.inputs.sites) {
    if (!ctx.shown(`site:${site}`, ctx.siteName(site), ctx.devicesOf(site))) continue;
    for (const scope of ctx.index.scopes(`siteapp:${site}/`)) {
      const all = ctx.index.get(scope, 'app.totalMs');
      if (!all) continue;
      const real = ctx.index.get(scope, 'app.realMs');
      const app = splitOnce(scope.slice('siteapp:'.length))[1];
      const targetS = ctx.appTargetS(app);
      const lost = appTimeLost(all.bins, real?.bins ?? EMPTY, targetS, ctx.volume);
      rows.push({
        site,
        siteName: ctx.siteName(site),
        app,
        checks: lost.checks,
        realTimings: lost.realTimings,
        p50Ms: all.bins.quantile(0.5),
        p95Ms: all.bins.quantile(0.95),
        targetMs: targetS * 1000,
        shareOverTarget: all.count > 0 ? all.bins.shareOver(targetS * 1000) : null,
        availability: ratio(all.good, all.valid),
        hoursLost: lost.seconds / 3600,
      });
    }
  }
  return rows;
}

/** Wi-Fi per site and ward, and the worst access points. */
export function wifiSection(ctx: PackContext): { rows: EvidenceWifiRow[]; worstAccessPoints: EvidenceWifiRow[] } {
  const rows: EvidenceWifiRow[] = [];
  for (const site of ctx.inputs.sites) {
    if (!ctx.shown(`site:${site}`, ctx.siteName(site), ctx.devicesOf(site))) continue;
    const t = ctx.index.get(`site:${site}`, 'wifi.signalDbm');
    if (t) rows.push(wifiRow(ctx, `site:${site}`, 'site', ctx.siteName(site), t));
    for (const ward of ctx.index.scopes(`ward:${site}/`)) {
      const w = ctx.index.get(ward, 'wifi.signalDbm');
      const id = ward.slice('ward:'.length);
      if (w && ctx.shown(ward, ctx.wardName(id), ctx.devicesOf(id))) rows.push(wifiRow(ctx, ward, 'ward', ctx.wardName(id), w));
    }
  }
  const aps: EvidenceWifiRow[] = [];
  for (const scope of ctx.index.scopes('ap:')) {
    const t = ctx.index.get(scope, 'wifi.signalDbm');
    if (!t || t.valid === 0) continue;
    const bssid = scope.slice('ap:'.length);
    const known = ctx.inputs.directory.accessPoints.find((a) => a.id === bssid);
    const name = known?.name ?? (known ? `access point ${bssid} (${known.ward ? `ward ${known.ward}, ` : ''}${ctx.siteName(known.site)})` : `access point ${bssid}`);
    if (known?.devices !== undefined && !ctx.shown(scope, name, known.devices)) continue;
    aps.push(wifiRow(ctx, scope, 'accessPoint', name, t));
  }
  aps.sort((a, b) => (a.shareGood ?? 1) - (b.shareGood ?? 1));
  return { rows, worstAccessPoints: aps.slice(0, 5) };
}

function wifiRow(ctx: PackContext, scope: string, level: EvidenceWifiRow['level'], name: string, t: Tally): EvidenceWifiRow {
  // Signal is stored as −dBm (sketches hold positive values): good means at most −threshold.
  const threshold = -ctx.config.wifi.goodDbm;
  const good = t.count - t.bins.excessOver(threshold).over;
  const median = t.bins.quantile(0.5);
  return {
    scope,
    level,
    name,
    samples: t.valid,
    shareGood: t.valid > 0 ? Math.max(0, Math.min(1, good / t.valid)) : null,
    // One sample a minute: valid ÷ 60 device-hours; a sample without a connection is a disconnected minute.
    disconnectsPerDeviceHour: t.valid > 0 ? (t.valid - t.good) / (t.valid / 60) : null,
    medianDbm: median === null ? null : -median,
  };
}
