// The pack as one self-contained HTML page: tables and inline SVG charts, no scripts, no external
// files; prints to A4 (the PDF is this page printed by Chromium).
import { NO_FIGURE, beforeAfterChange, countText, dominantPhaseText, evidenceChange, evidenceDifference, durationText, evidenceFigure, evidenceHours, evidencePounds, evidencePoundsRange, shareColumn, signalText, partMonthMeaning, monthsBeforeDataText, trendTableRows, type EvidencePack, type EvidenceScoreRow } from '@wardwatch/schema';
import { monthName } from '../months.ts';
import { incidentMaintenanceText } from '../pack-incidents.ts';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | null, digits = 1) => (v === null ? NO_FIGURE : v.toFixed(digits));

/** A figure, written or a count: "15.5 s", "−7.7 %", "£337 – £399", "2026-11", or none ("–"). */
const FIGURE = /^[−+£\d–]/;

/**
 * A figure's cell is kept on one line ("15.5" over "s", "2026-" over "11" in a narrow printed column
 * read as two figures), right-aligned past the first column as figures are.
 */
function cellClass(cell: string | number, column: number): string {
  if (typeof cell !== 'number' && !FIGURE.test(cell)) return '';
  return column > 0 ? ' class="n"' : ' class="k"';
}

function table(head: string[], rows: Array<Array<string | number>>, caption?: string): string {
  if (rows.length === 0) return `<p class="note">${esc(caption ? `${caption}: none.` : 'None.')}</p>`;
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    // Counts as the dashboard writes them (countText), thousands grouped ("1,117,989", not "1117989").
    .map((r) => `<tr>${r.map((c, i) => `<td${cellClass(c, i)}>${esc(typeof c === 'number' ? countText(c) : c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Bars of hours lost per month with the baseline as a dashed line. */
function trendChart(pack: EvidencePack): string {
  const months = pack.trend.months;
  const base = pack.trend.baseline.hoursPerMonth;
  const max = Math.max(1, base ?? 0, ...months.map((m) => m.hours)) * 1.1;
  const w = 680;
  const h = 200;
  const left = 50;
  const bottom = 30;
  const bw = (w - left) / months.length;
  const y = (v: number) => h - bottom - (v / max) * (h - bottom - 10);
  const bars = months
    .map((m, i) => {
      const x = left + i * bw + bw * 0.15;
      const fill = m.month === pack.month ? '#1d4f91' : '#8aa8d0';
      // A part month's total is not comparable with the others: drawn as an outline, and titled so.
      const paint = m.full ? `fill="${fill}"` : `fill="none" stroke="${fill}" stroke-dasharray="3 2"`;
      // Titled as the table words the month: "no data" for a month without any, not "0.0 hours (part month …)".
      const words = m.hoursWithData === 0 ? 'no data' : `${evidenceHours(m.hours)} hours${m.full ? '' : ` (part month: ${m.hoursWithData} hours with data)`}`;
      return `<rect x="${x.toFixed(1)}" y="${y(m.hours).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${(h - bottom - y(m.hours)).toFixed(1)}" ${paint}><title>${esc(monthName(m.month))}: ${esc(words)}</title></rect><text x="${(x + bw * 0.35).toFixed(1)}" y="${h - bottom + 14}" font-size="10" text-anchor="middle">${esc(m.month.slice(2))}</text>`;
    })
    .join('');
  const ticks = [0, max / 2, max].map((v) => `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${esc(evidenceHours(v))}</text>`).join('');
  const baseline = base === null ? '' : `<line x1="${left}" x2="${w}" y1="${y(base).toFixed(1)}" y2="${y(base).toFixed(1)}" stroke="#c0392b" stroke-dasharray="5 4"/><text x="${w - 4}" y="${(y(base) - 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#c0392b">baseline ${esc(evidenceHours(base))} h</text>`;
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Staff hours lost per month"><line x1="${left}" x2="${w}" y1="${h - bottom}" y2="${h - bottom}" stroke="#555"/>${ticks}${bars}${baseline}</svg>`;
}

/** Horizontal bars of the 0–100 score. */
function scoreChart(rows: EvidenceScoreRow[]): string {
  if (rows.length === 0) return '';
  const w = 680;
  const row = 22;
  const label = 220;
  const h = rows.length * row + 10;
  const bars = rows
    .map((r, i) => {
      const width = ((r.score ?? 0) / 100) * (w - label - 40);
      return `<text x="${label - 6}" y="${i * row + 16}" font-size="11" text-anchor="end">${esc(r.name)}</text><rect x="${label}" y="${i * row + 4}" width="${width.toFixed(1)}" height="${row - 8}" fill="${(r.score ?? 0) >= 80 ? '#2e7d32' : (r.score ?? 0) >= 60 ? '#f9a825' : '#c62828'}"/><text x="${(label + width + 4).toFixed(1)}" y="${i * row + 16}" font-size="11">${esc(num(r.score))}</text>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Experience score by site">${bars}</svg>`;
}

const STYLE = `
body{font:11pt/1.4 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#1a1a1a;margin:2em auto;max-width:60em;padding:0 1em}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:14pt;border-bottom:2px solid #1d4f91;padding-bottom:.2em;margin-top:1.6em;break-after:avoid}
h3{font-size:11.5pt;margin:1em 0 .3em}.lede{font-size:12pt}.note,.wgll{color:#444;font-size:9.5pt}.wgll{border-left:3px solid #1d4f91;padding-left:.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:9.5pt;break-inside:auto}caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid #ccc;padding:.25em .45em;text-align:left;vertical-align:top}th{background:#eef2f8}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.k{white-space:nowrap}
tr{break-inside:avoid}.figures{display:flex;gap:1em;flex-wrap:wrap}.figure{border:1px solid #ccc;border-radius:4px;padding:.5em .8em;min-width:10em}
.figure b{display:block;font-size:15pt}.chart{width:100%;height:auto;margin:.5em 0}
@page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}a{color:inherit}}
`;

/** Writers for share columns of `rows`, one per pick: each column's figures with the same decimals (shareColumn). */
function shareColumns<R>(rows: readonly R[], ...picks: Array<(r: R) => number | null | undefined>): Array<(r: R) => string> {
  return picks.map((pick) => {
    const write = shareColumn(rows.map(pick));
    return (r: R) => write(pick(r));
  });
}

export function renderHtml(pack: EvidencePack): string {
  const s = pack.summary;
  const [over30, over40] = shareColumns(pack.logons, (r) => r.shareOver30s, (r) => r.shareOver40s);
  const [overTarget, availability] = shareColumns(pack.applications.rows, (r) => r.shareOverTarget, (r) => r.availability);
  const [wifiGood] = shareColumns(pack.wifi.rows, (r) => r.shareGood);
  const [apGood] = shareColumns(pack.wifi.worstAccessPoints, (r) => r.shareGood);
  const [modelCpu, modelMem, modelDisk] = shareColumns(pack.devices.models, (r) => r.cpuPressureShare, (r) => r.memPressureShare, (r) => r.lowDiskShare);
  const [deviceCpu, deviceMem, deviceDisk] = shareColumns(pack.devices.worstDevices, (r) => r.cpuPressureShare, (r) => r.memPressureShare, (r) => r.lowDiskShare);
  const scoreRows = [...pack.experience.sites, ...pack.experience.devices];
  const [logonPart, appPart, wifiPart, devicePart, disruptionFree] = shareColumns(scoreRows, (r) => r.components.logon, (r) => r.components.application, (r) => r.components.wifi, (r) => r.components.device, (r) => r.disruptionFree);
  const t = s.timeLost;
  const wgll = (section: string) => {
    const m = pack.mapping.find((x) => x.section.startsWith(section));
    return m ? `<p class="wgll">What Good Looks Like — <i>${esc(m.measure)}</i>: ${esc(m.evidences)}.</p>` : '';
  };
  const offenders = (title: string, list: typeof s.worst.sites) => (list.length ? `<h3>${esc(title)}</h3><ol>${list.map((o) => `<li>${esc(o.words)}</li>`).join('')}</ol>` : '');
  const m = pack.method;
  const parts = [
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${esc(pack.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(pack.title)}</h1><p class="note">Trust ${esc(pack.trust)}${pack.site ? `, site ${esc(pack.site)}` : ''} · ${esc(monthName(pack.month))} (${m.period.hours} hours, Europe/London) · prices ${esc(pack.priceYear)} · generated ${esc(new Date(pack.generatedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC · wardwatch ${esc(m.softwareVersion)}</p>`,
    `<h2>Summary</h2><div class="figures">`,
    `<div class="figure">Staff hours lost<b>${esc(evidenceHours(t.hours))}</b>${esc(evidenceHours(t.logonHours))} at logon, ${esc(evidenceHours(t.appHours))} in applications</div>`,
    `<div class="figure">Worth (${esc(pack.priceYear)} prices)<b>${esc(evidencePoundsRange(t.cost))}</b>without / with qualification costs</div>`,
    `<div class="figure">Full-time equivalents<b>${esc(t.fte.toFixed(2))} FTE</b>over the month</div>`,
    `<div class="figure">Change<b>${esc(evidenceChange(s.vsLastMonth.relative))}</b>${esc(s.vsLastMonth.label)}; ${esc(evidenceChange(s.vsBaseline.relative))} ${esc(s.vsBaseline.label)}</div></div>`,
    `<div class="lede">${s.headline.map((h) => `<p>${esc(h)}</p>`).join('')}</div>`,
    offenders('Sites losing most time', s.worst.sites),
    offenders('Wards losing most time at logon', s.worst.wards),
    offenders('Access points with the weakest signal', s.worst.accessPoints),
    offenders('Device models with the lowest experience score', s.worst.deviceModels),
    wgll('Summary'),
    `<h2>Sensitivity</h2><p class="note">Time lost at other targets, priced without (low) and with (high) qualification costs.</p>`,
    table(['Logon target', 'Hours lost', 'FTE', 'Low', 'High'], pack.sensitivity.logons.map((r) => [durationText(r.targetMs), evidenceHours(r.hours), r.fte.toFixed(2), evidencePounds(r.cost.low), evidencePounds(r.cost.high)])),
    table(['Application target', 'Hours lost', 'FTE', 'Low', 'High'], pack.sensitivity.applications.map((r) => [durationText(r.targetMs), evidenceHours(r.hours), r.fte.toFixed(2), evidencePounds(r.cost.low), evidencePounds(r.cost.high)])),
    `<h2>Trend</h2>${trendChart(pack)}<p class="note">Baseline: ${esc(pack.trend.baseline.label)} (${esc(pack.trend.baseline.from)} to ${esc(pack.trend.baseline.to)}). A part month (${esc(partMonthMeaning())}; outlined) is not compared.</p>`,
    table(['Month', 'Hours lost', 'Cost', 'Logon p95', 'App p95', 'Score', 'Against baseline', 'Hours with data'], trendTableRows(pack.trend.months).map((x) => ('from' in x ? [monthsBeforeDataText(x).month, monthsBeforeDataText(x).hoursLost, NO_FIGURE, NO_FIGURE, NO_FIGURE, NO_FIGURE, NO_FIGURE, 0] : [x.month, x.hoursWithData === 0 ? 'no data' : x.full ? evidenceHours(x.hours) : `${evidenceHours(x.hours)} (part month)`, x.hoursWithData === 0 ? NO_FIGURE : evidencePoundsRange(x.cost), durationText(x.logonP95Ms), durationText(x.appP95Ms), num(x.score), evidenceChange(x.vsBaseline), x.hoursWithData]))),
    wgll('Trend'),
    `<h2>Logons</h2>`,
    table(['Scope', 'Logons', 'Failed', 'p50', 'p90', 'p95', 'Over 30 s', 'Over 40 s', 'Hours lost', 'Dominant phase'], pack.logons.map((r) => [r.name, r.logons, r.failed, durationText(r.p50Ms), durationText(r.p90Ms), durationText(r.p95Ms), over30(r), over40(r), evidenceHours(r.hoursLost), dominantPhaseText(r.dominantPhase)])),
    wgll('Logons'),
    `<h2>Applications</h2>`,
    table(['Site', 'Application', 'Checks', 'Real timings', 'p50', 'p95', 'Target', 'Over target', 'Availability', 'Hours lost'], pack.applications.rows.map((r) => [r.siteName, r.app, r.checks, r.realTimings, durationText(r.p50Ms), durationText(r.p95Ms), durationText(r.targetMs), overTarget(r), availability(r), evidenceHours(r.hoursLost)])),
    pack.applications.incidents
      ? table(['Scope', 'Alert', 'Severity', 'Firing', 'Resolved', 'Duration'], pack.applications.incidents.map((i) => [i.scope, `${i.title}${incidentMaintenanceText(i)}`, i.severity, new Date(i.firingAt).toISOString().slice(0, 16), i.resolvedAt ? new Date(i.resolvedAt).toISOString().slice(0, 16) : 'still firing', i.durationMs === null ? NO_FIGURE : `${Math.round(i.durationMs / 60_000)} min`]), 'Incidents')
      : '',
    `<p class="note">${esc(pack.applications.incidentsNote)}</p>`,
    wgll('Applications'),
    `<h2>Wi-Fi</h2><p class="note">Good signal: ${signalText(pack.wifi.thresholdDbm)} or better, as a share of device-minutes.</p>`,
    table(['Scope', 'Samples', 'Good signal', 'Median', 'Disconnected min / device-hour'], pack.wifi.rows.map((r) => [r.name, r.samples, wifiGood(r), signalText(r.medianDbm), num(r.disconnectsPerDeviceHour, 2)])),
    table(['Access point', 'Samples', 'Good signal', 'Median'], pack.wifi.worstAccessPoints.map((r) => [r.name, r.samples, apGood(r), signalText(r.medianDbm)]), 'Worst access points'),
    wgll('Wi-Fi'),
    `<h2>Devices</h2><p class="note">Measured: ${esc(pack.devices.metricsAvailable.join('; '))}. Not yet: ${esc(pack.devices.metricsMissing.join('; '))}.</p>`,
    table(['Model', 'Devices', 'Median logon', 'Median boot', 'CPU pressure', 'Memory pressure', 'Low disk', 'Score'], pack.devices.models.map((r) => [r.name, r.devices, durationText(r.logonP50Ms), durationText(r.bootP50Ms), modelCpu(r), modelMem(r), modelDisk(r), num(r.score)]), 'Models'),
    table(['Device', 'Site', 'Model', 'Median logon', 'Median boot', 'CPU pressure', 'Memory pressure', 'Low disk', 'Score'], pack.devices.worstDevices.map((r) => [r.name, r.site, r.model ?? NO_FIGURE, durationText(r.logonP50Ms), durationText(r.bootP50Ms), deviceCpu(r), deviceMem(r), deviceDisk(r), num(r.score)]), 'Worst devices'),
    wgll('Devices'),
    `<h2>Experience score and disruption-free time</h2>${scoreChart(pack.experience.sites)}`,
    table(['Scope', 'Devices', 'Score', 'Logon', 'Application', 'Wi-Fi', 'Device', 'Disruption-free'], scoreRows.map((r) => [r.name, r.devices, num(r.score), logonPart(r), appPart(r), wifiPart(r), devicePart(r), disruptionFree(r)])),
    `<ul class="note">${pack.experience.method.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    wgll('Experience'),
    `<h2>Before and after</h2>`,
    pack.beforeAfter.comparisons.length === 0 ? `<p class="note">${esc(pack.beforeAfter.note ?? '')}</p>` : pack.beforeAfter.comparisons
      .map((c) => `<h3>${esc(c.label)}</h3><p>${esc(c.summary)}</p>${table(['Figure', 'Before', 'After', 'Change', `${Math.round(c.confidence * 100)} % interval`, 'Verdict'], c.figures.map((f) => [f.label, evidenceFigure(f.before, f.unit), evidenceFigure(f.after, f.unit), beforeAfterChange(f), f.interval ? f.interval.map((v) => evidenceDifference(v, f.unit)).join(' to ') : NO_FIGURE, f.direction]))}<p class="note">${esc(c.method)}</p>`)
      .join(''),
    `<h2>Method</h2>`,
    `<p>Period ${esc(new Date(m.period.from).toISOString())} to ${esc(new Date(m.period.to).toISOString())} (${m.period.hours} hours, Europe/London calendar month); ${m.coverage.devicesReporting} devices reporting${m.coverage.devicesKnown !== null ? ` of ${m.coverage.devicesKnown} known` : ''}; data in ${m.coverage.hoursWithData} of the month's hours. ${esc(m.offline)}</p>`,
    table(['Setting', 'Value', 'Source'], m.thresholds.map((x) => [x.name, x.value, x.source])),
    `<p>Maintenance excluded: ${m.maintenance.windows.length === 0 ? 'none' : m.maintenance.windows.map((w) => `${esc(w.label)} (${esc(new Date(w.from).toISOString().slice(0, 16))} to ${esc(new Date(w.to).toISOString().slice(0, 16))} UTC)`).join('; ')}; ${m.maintenance.hoursExcluded} hours left out.</p>`,
    `<p>Scopes shown only with at least ${m.minDevices} devices. Left out: ${m.suppressed.length === 0 ? 'none' : esc(m.suppressed.map((x) => `${x.name} (${x.devices})`).join(', '))}.</p>`,
    `<ul class="note">${m.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`,
    `<h3>Against the live figures</h3><ul class="note">${m.differences.map((d) => `<li><strong>${esc(d.topic)}:</strong> ${esc(d.statement)}</li>`).join('')}</ul>`,
    `<h2>What Good Looks Like</h2>`,
    table(['Section', 'Success measure', 'What it evidences'], pack.mapping.map((x) => [x.section, x.measure, x.evidences])),
    `</body></html>`,
  ];
  return parts.join('\n');
}
