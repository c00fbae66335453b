// The monthly evidence pack for a trust (or one site): pure assembly over what pack-inputs.ts read.
import { EvidencePack, NO_FIGURE, capitalised, WGLL_MEASURE, evidenceChangeWords, durationText, evidenceHours, evidencePounds, shareText, signalText, type EvidenceChange, type EvidenceMapping, type EvidenceMethod, type EvidenceOffender, type EvidenceSensitivityRow } from '@wardwatch/schema';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig } from './config.ts';
import { monthName } from './months.ts';
import { PackContext } from './pack-context.ts';
import { experienceSection, scoreMethod, SCORE_WEIGHTS } from './pack-experience.ts';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '@wardwatch/status-rules';
import type { PackInputs } from './pack-inputs.ts';
import { differencesOf } from './pack-differences.ts';
import { applicationRows, logonSection, wifiSection } from './pack-sections.ts';
import { trendSection } from './pack-trend.ts';
import { blendedHourlyCost, costOf, fteOf } from './staff-costs.ts';

/**
 * `thresholds` are the processor's status thresholds: the rollups' good and fast counts were judged by
 * them as the data arrived, so the method names them (default: the processor's defaults).
 */
export function buildEvidencePack(inputs: PackInputs, config: EvidenceConfig = DEFAULT_EVIDENCE_CONFIG, thresholds: StatusThresholds = DEFAULT_THRESHOLDS): EvidencePack {
  const scoreWords = scoreMethod(thresholds);
  const ctx = new PackContext(inputs, config);
  const { period, request } = inputs;
  const sites = inputs.sites;

  const logonHours = sites.reduce((s, site) => s + ctx.logonHours(`site:${site}`), 0);
  const appHours = sites.reduce((s, site) => s + ctx.appHours(site), 0);
  const hours = logonHours + appHours;
  const fte = (h: number) => fteOf(h, period.hours, config.hoursPerFteYear);
  const timeLost = { hours, logonHours, appHours, fte: fte(hours), cost: costOf(hours, ctx.costs) };

  const logons = logonSection(ctx);
  const applications = applicationRows(ctx);
  const wifi = wifiSection(ctx);
  const experience = experienceSection(ctx);
  const { trend, reportMonth, lastMonth } = trendSection(ctx);

  // Hours lost are a month's total: set against another month's only when both months are full
  // (nearly as covered by data as the trend's best month), as the trend's rows are (pack-trend.ts).
  const change = (label: string, then: number | null): EvidenceChange => ({
    label,
    hours: then === null || !reportMonth.full ? null : hours - then,
    relative: then && reportMonth.full ? (hours - then) / then : null,
  });
  const vsLastMonth = change('against last month', lastMonth?.full ? lastMonth.hours : null);
  const vsBaseline = change(`against the baseline (${trend.baseline.label})`, trend.baseline.hoursPerMonth);

  // Worst scopes in plain words.
  const siteOffenders: EvidenceOffender[] = sites
    .filter((s) => !ctx.suppressed.some((x) => x.scope === `site:${s}`))
    .map((s) => {
      const h = ctx.logonHours(`site:${s}`) + ctx.appHours(s);
      const row = logons.find((r) => r.scope === `site:${s}`);
      const over = row?.shareOver30s;
      return { kind: 'site' as const, scope: `site:${s}`, name: ctx.siteName(s), hoursLost: h, words: `${ctx.siteName(s)}: ${evidenceHours(h)} staff hours lost${over != null ? `; ${shareText(over)} of logons took over 30 s` : ''}` };
    })
    .sort((a, b) => b.hoursLost - a.hoursLost)
    .slice(0, 5);
  const wardOffenders: EvidenceOffender[] = logons
    .filter((r) => r.level === 'ward')
    .sort((a, b) => b.hoursLost - a.hoursLost)
    .slice(0, 5)
    .map((r) => ({ kind: 'ward', scope: r.scope, name: r.name, hoursLost: r.hoursLost, words: `${capitalised(r.name)}: ${r.shareOver30s != null ? `${shareText(r.shareOver30s)} of ${r.logons} logons over 30 s, ` : ''}${evidenceHours(r.hoursLost)} hours lost at logon${r.dominantPhase ? `, mostly in ${r.dominantPhase.label}` : ''}` }));
  const apOffenders: EvidenceOffender[] = wifi.worstAccessPoints.map((r) => ({
    kind: 'accessPoint',
    scope: r.scope,
    name: r.name,
    hoursLost: null,
    words: `${capitalised(r.name)}: good signal (${signalText(config.wifi.goodDbm)} or better) ${r.shareGood === null ? 'not measured' : `${shareText(r.shareGood)} of device-minutes`}${r.medianDbm !== null ? `, median ${signalText(r.medianDbm)}` : ''}`,
  }));
  const modelOffenders: EvidenceOffender[] = experience.models.slice(0, 5).map((m) => ({
    kind: 'deviceModel',
    scope: m.scope,
    name: m.name,
    hoursLost: null,
    words: `${m.name} (${m.devices} devices): experience score ${m.score ?? NO_FIGURE}${m.logonP50Ms !== null ? `, median logon ${durationText(m.logonP50Ms)}` : ''}`,
  }));

  const rate = blendedHourlyCost(ctx.costs);
  const headline = [
    `${monthName(request.month)}: clinicians lost about ${evidenceHours(hours)} staff hours to slow logons and applications (${evidenceHours(logonHours)} at logon, ${evidenceHours(appHours)} waiting for applications), ${fte(hours).toFixed(2)} full-time equivalents.`,
    `At ${config.priceYear} prices that time is worth ${evidencePounds(timeLost.cost.low)} to ${evidencePounds(timeLost.cost.high)} (staff costs without and with qualification costs, £${rate.low.toFixed(2)}–£${rate.high.toFixed(2)} an hour). Time saved is a non-cash-releasing benefit unless posts are removed.`,
  ];
  if (!reportMonth.full) headline.push(`${monthName(request.month)} has data for ${shareText(reportMonth.coverage)} of its hours, so its total is not compared with other months.`);
  else if (vsLastMonth.relative !== null) headline.push(`That is ${evidenceChangeWords(vsLastMonth.relative)} on last month and ${vsBaseline.relative !== null ? `${evidenceChangeWords(vsBaseline.relative)} on the baseline` : 'there is no baseline yet'}.`);
  else if (vsBaseline.relative !== null) headline.push(`That is ${evidenceChangeWords(vsBaseline.relative)} on the baseline${lastMonth ? ` (last month, with data for ${shareText(lastMonth.coverage)} of its hours, is not compared)` : ''}.`);
  // Only when some time was lost: "most time was lost at X: 0.0 staff hours" would name a site for nothing.
  if (siteOffenders[0] && evidenceHours(siteOffenders[0].hoursLost ?? 0) !== evidenceHours(0)) headline.push(`Most time was lost at ${siteOffenders[0].words}.`);

  const sensitivity = {
    logons: config.logons.sensitivityS.map((s): EvidenceSensitivityRow => {
      const h = sites.reduce((sum, site) => sum + ctx.logonHours(`site:${site}`, s), 0);
      return { targetMs: s * 1000, hours: h, fte: fte(h), cost: costOf(h, ctx.costs) };
    }),
    applications: config.applications.sensitivityS.map((s): EvidenceSensitivityRow => {
      const h = sites.reduce((sum, site) => sum + ctx.appHours(site, s), 0);
      return { targetMs: s * 1000, hours: h, fte: fte(h), cost: costOf(h, ctx.costs) };
    }),
  };

  // Incidents at sites too small to show are left out with them (the method says how many).
  const hiddenSites = new Set(ctx.suppressed.filter((s) => s.scope.startsWith('site:')).map((s) => s.scope));
  const incidents = inputs.incidents?.filter((i) => !hiddenSites.has(i.scope)) ?? null;

  const allHours = new Set<number>();
  for (const site of sites) for (const m of ['logon.totalMs', 'app.totalMs', 'wifi.signalDbm']) for (const h of ctx.index.get(`site:${site}`, m)?.hours ?? []) allHours.add(h);
  const method: EvidenceMethod = {
    period: { month: request.month, from: period.from, to: period.to, hours: period.hours, timeZone: 'Europe/London' },
    coverage: { devicesReporting: experience.devicesReporting, devicesKnown: ctx.placed ? [...ctx.devicesBySite.values()].reduce((s, d) => s + d.length, 0) : null, hoursWithData: allHours.size },
    thresholds: [
      { name: 'Logon target', value: `${config.logons.targetS} s`, source: 'the logon SLO threshold (docs/slo-guide.md); time lost counts every second beyond it' },
      { name: 'Application target', value: `${config.applications.targetS} s${Object.keys(config.applications.targets).length ? ` (${Object.entries(config.applications.targets).map(([a, s]) => `${a} ${s} s`).join(', ')})` : ''}`, source: 'the application latency SLO threshold' },
      { name: 'Synthetic check volume', value: `${config.applications.screensPerHour} screens an hour; a check every ${config.applications.checkIntervalS} s stands for ${((config.applications.screensPerHour * config.applications.checkIntervalS) / 3600).toFixed(2)} screens`, source: 'docs/evidence-guide.md (an assumption the trust can change)' },
      { name: 'Good Wi-Fi signal', value: `${signalText(config.wifi.goodDbm)} or better`, source: 'common enterprise design target for voice-grade Wi-Fi coverage' },
      { name: 'Working hours per FTE', value: `${config.hoursPerFteYear} a year`, source: 'PSSRU Unit Costs of Health and Social Care 2024 (nurse FTE)' },
      { name: 'Staff cost per hour', value: `£${rate.low.toFixed(2)} (without qualification costs) to £${rate.high.toFixed(2)} (with), ${config.priceYear} prices`, source: `PSSRU Unit Costs of Health and Social Care 2024, weighted by the staff mix ${Object.entries(ctx.costs.mix).map(([g, s]) => `${g} ${shareText(s)}`).join(', ')}` },
      { name: 'Smallest scope shown', value: `${config.minDevices} devices`, source: 'as Microsoft Endpoint Analytics: fewer devices give unstable figures' },
    ],
    maintenance: { windows: ctx.maintenance.filter((w) => w.to > period.from && w.from < period.to).map(({ from, to, label }) => ({ from, to, label })), hoursExcluded: ctx.maintenanceHours },
    offline: 'Hours when a device\'s agent sent nothing are unknown, not bad: time lost is summed over the logons and responses measured, and every share is over the samples received.',
    minDevices: config.minDevices,
    suppressed: ctx.suppressed,
    softwareVersion: inputs.softwareVersion,
    assumptions: [
      `Devices are placed in sites and wards by the ${inputs.directory.source}${ctx.placed ? '' : ' (it lists no devices: device counts per site are unknown, so no site is suppressed and device figures are trust-wide)'}.`,
      ...(inputs.directory.sites.length === 0 ? [`No site is placed in a trust (the store does not record sites' trusts): every site with data in the store is counted as trust ${request.trust}'s, named by its id. An inventory (--inventory) places sites in trusts and names them.`] : []),
      'Failed logons carry no duration and add no time lost; they are counted under logons failed.',
      'Application time lost: real transaction timings count once each; each synthetic check stands for the screens a logged-on clinician waits for in its interval.',
      'Time lost is read from stored sketches (1 % relative accuracy); the sums are within 2 % of the exact sums over the raw events.',
      ...(ctx.deviceDays + ctx.deviceDaysInMaintenance > 0
        ? [`Devices' rollups older than two days are kept as one digest per device and day (their counts, logon and boot times, and minutes disrupted reckoned hour by hour, to a tenth of a minute a day): the same figures as the hourly rollups, except that a maintenance window leaves out the device's whole day${ctx.deviceDaysInMaintenance > 0 ? ` (${ctx.deviceDaysInMaintenance} device-days this month)` : ''}.`]
        : []),
      ...(ctx.scopeDaysInMaintenance > 0
        ? [`Sites', wards', access points' and applications' rollups are also kept a row per day; where a maintenance window touches a day whose hourly rollups are no longer kept, that day is left out whole at the window's sites (${ctx.scopeDaysInMaintenance} scope-days this month).`]
        : []),
      ...scoreWords.slice(0, 1),
    ],
    differences: differencesOf(ctx, { listed: incidents !== null, leftOut: (inputs.incidents?.length ?? 0) - (incidents?.length ?? 0) }, thresholds),
  };

  const mapping: EvidenceMapping[] = [
    { section: 'Summary and sensitivity', measure: WGLL_MEASURE, evidences: 'reliable: the staff time the infrastructure costs, in hours and pounds, with its range' },
    { section: 'Logons', measure: WGLL_MEASURE, evidences: 'reliable and modern: how long clinicians wait to get in, and which logon phase (profile, Group Policy, shell) to fix' },
    { section: 'Applications', measure: WGLL_MEASURE, evidences: 'reliable and resilient: clinical systems answer in time and stay available' },
    { section: 'Wi-Fi', measure: WGLL_MEASURE, evidences: 'reliable and modern: coverage good enough to work at the bedside' },
    { section: 'Devices', measure: WGLL_MEASURE, evidences: 'modern and sustainable: which devices and models hold clinicians up and are due for replacement' },
    { section: 'Experience score and disruption-free time', measure: WGLL_MEASURE, evidences: 'reliable: the share of clinicians\' working time free of disruption' },
    { section: 'Trend and before/after', measure: WGLL_MEASURE, evidences: 'resilient and improving: the change since the baseline, and proof a funded fix worked' },
  ];

  const pack: EvidencePack = {
    schemaVersion: 1,
    trust: request.trust,
    site: request.site ?? null,
    title: `Digital experience evidence pack — ${request.site ? ctx.siteName(request.site) : `trust ${request.trust}`}, ${monthName(request.month)}`,
    month: request.month,
    generatedAt: inputs.generatedAt,
    currency: 'GBP',
    priceYear: config.priceYear,
    summary: { timeLost, vsLastMonth, vsBaseline, worst: { sites: siteOffenders, wards: wardOffenders, accessPoints: apOffenders, deviceModels: modelOffenders }, headline },
    sensitivity,
    logons,
    applications: { rows: applications, incidents, incidentsNote: inputs.incidentsNote },
    wifi: { thresholdDbm: config.wifi.goodDbm, rows: wifi.rows, worstAccessPoints: wifi.worstAccessPoints },
    devices: {
      ...deviceMetrics(ctx, thresholds),
      worstDevices: experience.deviceRows,
      models: experience.models,
    },
    experience: { method: scoreWords, weights: { ...SCORE_WEIGHTS }, sites: experience.sites, devices: experience.devices },
    trend,
    beforeAfter: { comparisons: inputs.beforeAfter, note: inputs.beforeAfterNote },
    method,
    mapping,
  };
  // The shape is the contract with the renderers and the dashboard: check it here, not in each reader.
  return EvidencePack.parse(pack);
}

/** The device figures the month's rollups hold, and those they do not (with why). */
function deviceMetrics(ctx: PackContext, thresholds: StatusThresholds): { metricsAvailable: string[]; metricsMissing: string[] } {
  const devices = ctx.index.scopes('device:');
  const has = (metric: string) => devices.some((d) => ctx.index.get(d, metric) !== undefined);
  const available = ['logon time per device', `CPU pressure (share of health samples at ${thresholds.cpuPressurePct} % or more)`, 'application response per device', 'Wi-Fi signal per device'];
  const missing: string[] = [];
  if (has('health.memPct')) available.push(`memory pressure (share of health samples with ${thresholds.memPressurePct} % or more of memory in use)`);
  if (has('health.diskFreePct')) available.push(`low disk (share of health samples with less than ${thresholds.diskLowFreePct} % of the disk free)`);
  if (!has('health.memPct') || !has('health.diskFreePct')) missing.push('memory pressure and free disk: no health sample of the month carried them (rollups stored before they were rolled up hold CPU only)');
  if (has('health.bootMs')) available.push('boot time (the median of the boots agents reported)');
  else missing.push('boot time: no agent reported a boot this month (an agent sends it once per boot where the platform records it)');
  return { metricsAvailable: available, metricsMissing: missing };
}

