// The pack as CSV, one figure a row (section, scope, name, figure, value, unit): opens in any
// spreadsheet and filters without reshaping.
import type { EvidencePack } from '@wardwatch/schema';
import { incidentMaintenanceText } from '../pack-incidents.ts';

export const PACK_CSV_HEADER = ['trust', 'month', 'section', 'scope', 'name', 'figure', 'value', 'unit'] as const;

/** A CSV field: quoted when it holds a comma, quote or line break; formula-leading text defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)))) : String(value);
  // A spreadsheet would run "=…", "+…", "-…", "@…" as a formula.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(pack: EvidencePack): string {
  const lines = [PACK_CSV_HEADER.join(',')];
  const row = (section: string, scope: string, name: string, figure: string, value: number | string | null, unit: string) => {
    lines.push([pack.trust, pack.month, section, scope, name, figure, value, unit].map(csvField).join(','));
  };
  const scope = pack.site ? `site:${pack.site}` : 'trust';
  const t = pack.summary.timeLost;
  row('summary', scope, pack.title, 'hours lost', t.hours, 'hours');
  row('summary', scope, pack.title, 'hours lost at logon', t.logonHours, 'hours');
  row('summary', scope, pack.title, 'hours lost in applications', t.appHours, 'hours');
  row('summary', scope, pack.title, 'full-time equivalents', t.fte, 'FTE');
  row('summary', scope, pack.title, `cost low (${pack.priceYear} prices)`, t.cost.low, 'GBP');
  row('summary', scope, pack.title, `cost high (${pack.priceYear} prices)`, t.cost.high, 'GBP');
  row('summary', scope, pack.title, `change ${pack.summary.vsLastMonth.label}`, pack.summary.vsLastMonth.relative, 'ratio');
  row('summary', scope, pack.title, `change ${pack.summary.vsBaseline.label}`, pack.summary.vsBaseline.relative, 'ratio');
  for (const [kind, list] of Object.entries(pack.summary.worst)) for (const o of list) row(`worst ${kind}`, o.scope, o.name, 'in words', o.words, '');
  for (const [kind, rows] of Object.entries(pack.sensitivity)) {
    for (const r of rows) {
      const name = `${kind} target ${r.targetMs / 1000} s`;
      row('sensitivity', scope, name, 'hours lost', r.hours, 'hours');
      row('sensitivity', scope, name, 'cost low', r.cost.low, 'GBP');
      row('sensitivity', scope, name, 'cost high', r.cost.high, 'GBP');
    }
  }
  for (const r of pack.logons) {
    for (const [figure, value, unit] of [['logons', r.logons, 'count'], ['failed', r.failed, 'count'], ['p50', r.p50Ms, 'ms'], ['p90', r.p90Ms, 'ms'], ['p95', r.p95Ms, 'ms'], ['share over 30 s', r.shareOver30s, 'ratio'], ['share over 40 s', r.shareOver40s, 'ratio'], ['hours lost', r.hoursLost, 'hours']] as const) row('logons', r.scope, r.name, figure, value, unit);
    for (const p of r.phases) row('logon phases', r.scope, r.name, `${p.label} share of time`, p.shareOfTime, 'ratio');
  }
  for (const r of pack.applications.rows) {
    const s = `siteapp:${r.site}/${r.app}`;
    const n = `${r.app} at ${r.siteName}`;
    for (const [figure, value, unit] of [['checks', r.checks, 'count'], ['real timings', r.realTimings, 'count'], ['p50', r.p50Ms, 'ms'], ['p95', r.p95Ms, 'ms'], ['target', r.targetMs, 'ms'], ['share over target', r.shareOverTarget, 'ratio'], ['availability', r.availability, 'ratio'], ['hours lost', r.hoursLost, 'hours']] as const) row('applications', s, n, figure, value, unit);
  }
  for (const i of pack.applications.incidents ?? []) row('incidents', i.scope, i.title, `${i.severity} from ${new Date(i.firingAt).toISOString()}${incidentMaintenanceText(i)}`, i.durationMs, 'ms');
  for (const r of [...pack.wifi.rows, ...pack.wifi.worstAccessPoints]) {
    row('wifi', r.scope, r.name, `share good (${pack.wifi.thresholdDbm} dBm or better)`, r.shareGood, 'ratio');
    row('wifi', r.scope, r.name, 'median signal', r.medianDbm, 'dBm');
    row('wifi', r.scope, r.name, 'disconnected minutes per device-hour', r.disconnectsPerDeviceHour, 'minutes');
  }
  for (const r of [...pack.devices.models, ...pack.devices.worstDevices]) {
    row('devices', r.scope, r.name, 'devices', r.devices, 'count');
    row('devices', r.scope, r.name, 'median logon', r.logonP50Ms, 'ms');
    row('devices', r.scope, r.name, 'CPU pressure share', r.cpuPressureShare, 'ratio');
    row('devices', r.scope, r.name, 'memory pressure share', r.memPressureShare, 'ratio');
    row('devices', r.scope, r.name, 'low disk share', r.lowDiskShare, 'ratio');
    row('devices', r.scope, r.name, 'median boot', r.bootP50Ms, 'ms');
    row('devices', r.scope, r.name, 'score', r.score, '0-100');
  }
  for (const r of [...pack.experience.sites, ...pack.experience.devices]) {
    row('experience', r.scope, r.name, 'score', r.score, '0-100');
    for (const [k, v] of Object.entries(r.components)) row('experience', r.scope, r.name, `component ${k}`, v, 'ratio');
    row('experience', r.scope, r.name, 'disruption-free', r.disruptionFree, 'ratio');
  }
  for (const m of pack.trend.months) {
    // A month without data lost no hours that anyone measured: its figures are blank, not 0.
    const measured = m.hoursWithData > 0;
    row('trend', scope, m.month, 'hours lost', measured ? m.hours : null, 'hours');
    row('trend', scope, m.month, 'cost low', measured ? m.cost.low : null, 'GBP');
    row('trend', scope, m.month, 'cost high', measured ? m.cost.high : null, 'GBP');
    row('trend', scope, m.month, 'logon p95', m.logonP95Ms, 'ms');
    row('trend', scope, m.month, 'score', m.score, '0-100');
    row('trend', scope, m.month, 'against baseline', m.vsBaseline, 'ratio');
    row('trend', scope, m.month, 'hours with data', m.hoursWithData, 'hours');
    row('trend', scope, m.month, 'full month', m.full ? 1 : 0, 'yes=1');
  }
  for (const c of pack.beforeAfter.comparisons) for (const f of c.figures) row('before and after', c.scope, c.label, `${f.label}: ${f.direction}`, f.change, f.unit);
  for (const s of pack.method.suppressed) row('method', s.scope, s.name, 'left out: devices', s.devices, 'count');
  return `${lines.join('\r\n')}\r\n`;
}
