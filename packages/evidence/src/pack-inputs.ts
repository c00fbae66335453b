// The edge of the pack: what it reads from the store, in one place. The pack itself (pack.ts) is
// pure over these inputs.
import { LOGON_PHASES, type Annotation, type BeforeAfterComparison, type EvidenceIncident, type SloAlert } from '@wardwatch/schema';
import type { AlertHistoryStore, AnnotationStore, DeviceDigestStore, RollupQuery, RollupRecord, RollupStore } from '@wardwatch/store';
import { compareBeforeAfter } from './before-after.ts';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig } from './config.ts';
import type { EstateDirectory } from './directory.ts';
import { mergeMonth, MONTH_FINAL_AFTER_MS, type HistoryCache } from './history-months.ts';
import { addMonths, londonMonth, type MonthPeriod } from './months.ts';
import { incidentsOf } from './pack-incidents.ts';
import { PackReads } from './pack-reads.ts';
import { londonDayOf, spanEnd, type SpanRecord } from './site-days.ts';
import { dayEnd } from './device-digest.ts';

const HOUR = 3_600_000;

/** What the pack reads at site scope; the trend's metrics over every month, the rest for the month. */
const SITE_METRICS = ['logon.totalMs', 'app.totalMs', 'wifi.signalDbm', ...LOGON_PHASES.map((p) => `logon.${p}`)];
const TREND_METRICS = new Set(['logon.totalMs', 'app.totalMs', 'wifi.signalDbm']);
/**
 * Site metrics whose distributions the pack never reads in earlier months (the trend takes only
 * their counts), or in any month (application figures come from the site-application rows): read
 * without their sketches, the bulk of a row.
 */
const COUNTS_ONLY_BEFORE = new Set(['app.totalMs', 'wifi.signalDbm']);
const COUNTS_ONLY_ALWAYS = new Set(['app.totalMs']);
/** What the pack reads at ward scope (logons, their phases, Wi-Fi): a ward's other rows are left unread. */
const WARD_METRICS = ['logon.totalMs', ...LOGON_PHASES.map((p) => `logon.${p}`), 'wifi.signalDbm'];
const DEVICE_COUNTS = new Set(['app.totalMs', 'wifi.signalDbm', 'health.cpuPct', 'health.memPct', 'health.diskFreePct']);

export interface PackRequest {
  trust: string;
  /** One site's pack; absent: the whole trust. */
  site?: string;
  month: string;
}

/** A change a trust recorded ("SSO live at RXX03"), to compare before and after. */
export interface PackChange {
  label: string;
  scope: string;
  at: number;
}

export interface MaintenanceWindow {
  from: number;
  to: number;
  label: string;
  /** The site it concerns; absent: every site. */
  site?: string;
}

export interface PackInputs {
  request: PackRequest;
  period: MonthPeriod;
  /** Sites in the pack (ids), in order. */
  sites: string[];
  directory: EstateDirectory;
  /**
   * Rollups of the month: site, ward, site-application and access-point scopes with sketches, a day a
   * record where the store's day tier holds the day (such a record lists its hours and its end), else
   * an hour; devices (logon and boot with sketches, the rest counts only) for the hours not yet folded
   * into their digests.
   */
  month: SpanRecord[];
  /**
   * The month's device digests (the hours already folded), as stored: the pack walks each straight
   * into its tallies (walkDigest) rather than decoding a day object per device-day.
   */
  deviceDigests: Array<{ device: string; month: number; body: Uint8Array }>;
  /**
   * The earlier trend and baseline months at site and site-application scopes, one record per scope,
   * metric and month (start = the month's start), maintenance already left out.
   */
  history: RollupRecord[];
  /** Hours with data of each earlier month, over the pack's sites. */
  historyHours: Map<string, number>;
  /**
   * Where the month's figures end: the month's end, or in a month not over the start of the hour in
   * progress (or the end of the hours the store holds, when later).
   */
  figuresTo: number;
  /** Alerts firing at any time in the month at the pack's scopes, or null when none are kept (the note says why). */
  incidents: EvidenceIncident[] | null;
  incidentsNote: string;
  /** Before-and-after comparisons already made (see compareChanges), or null with a note. */
  beforeAfter: BeforeAfterComparison[];
  beforeAfterNote: string | null;
  /** Maintenance windows the trust recorded (annotations), left out like the configured ones at their site (all sites when trust-wide). */
  maintenance: MaintenanceWindow[];
  softwareVersion: string;
  generatedAt: number;
}

/** The earliest month the pack reads: the trend's first, or the baseline's when earlier. */
export function historyStart(month: string, config: EvidenceConfig): string {
  const trendFrom = addMonths(month, -(config.trendMonths - 1));
  return config.baseline && config.baseline.from < trendFrom ? config.baseline.from : trendFrom;
}

export interface LoadOptions {
  config?: EvidenceConfig;
  directory: EstateDirectory;
  /**
   * Alerts from elsewhere (a server's alert book, when the store keeps no history), with the note
   * that says where they come from; absent → the store's alert history, when it keeps one.
   */
  alerts?: readonly SloAlert[];
  incidentsNote?: string;
  /**
   * Changes and maintenance windows the trust recorded; absent → read from the store when it keeps
   * annotations. Changes inside the trend's months are compared before and after.
   */
  annotations?: readonly Annotation[];
  softwareVersion: string;
  now: number;
  /** Earlier months merged by a previous pack (a server keeps one); months still open to corrections are never kept. */
  historyCache?: HistoryCache;
  /** Told each step as it goes (the CLI's progress bar). */
  progress?: (done: number, total: number, step: string) => void;
}

export class UnknownScopeError extends Error {
  override readonly name = 'UnknownScopeError';
  readonly code = 'UNKNOWN_SCOPE';
}

/** The directory places sites in trusts, and none in the trust asked for. */
export class UnknownTrustError extends Error {
  override readonly name = 'UnknownTrustError';
  readonly code = 'UNKNOWN_TRUST';
}

/** Reads what a pack needs from the store. */
export async function loadPackInputs(store: RollupStore, request: PackRequest, options: LoadOptions): Promise<PackInputs> {
  const config = options.config ?? DEFAULT_EVIDENCE_CONFIG;
  const period = londonMonth(request.month);
  const first = londonMonth(historyStart(request.month, config));
  const q = (scope: string, from: number, to: number, extra: Partial<RollupQuery> = {}) => store.query({ scope, resolution: '1h', from, to, ...extra });

  // Sites: the directory's for this trust, else every site the store has — but only when the
  // directory places no site in any trust: one that knows the estate's trusts and not this one must
  // not fill a funding bid's pack with another trust's figures (a mistyped trust is refused).
  const trusts = [...new Set(options.directory.sites.flatMap((s) => (s.trust ? [s.trust] : [])))].sort();
  let sites = options.directory.sites.filter((s) => !s.trust || s.trust === request.trust).map((s) => s.id);
  if (sites.length === 0 && trusts.length > 0) throw new UnknownTrustError(`no trust "${request.trust}": the ${options.directory.source} knows ${trusts.join(', ')}`);
  if (sites.length === 0) {
    // Through the tiers, as the pack reads: hourly rows are kept 62 days, so a past month's sites are
    // found in its day or month rows.
    const discovery = await PackReads.open(store, []);
    const seen = await discovery.read('site:*', first.from, period.to, { metric: 'logon.totalMs', countsOnly: true });
    const seenApps = await discovery.read('site:*', first.from, period.to, { metric: 'app.totalMs', countsOnly: true });
    sites = [...new Set([...seen, ...seenApps].map((r) => r.scope.slice('site:'.length)))].sort();
  }
  if (request.site) {
    if (!sites.includes(request.site)) throw new UnknownScopeError(`site ${request.site} is not one of trust ${request.trust}'s sites (${sites.join(', ') || 'none found'})`);
    sites = [request.site];
  }

  const inScope = (scope: string) => sites.some((site) => scope === `site:${site}` || scope.startsWith(`ward:${site}/`) || scope.startsWith(`siteapp:${site}/`)) || (!request.site && scope === 'trust');
  const annotations = options.annotations ?? (isAnnotationStore(store) ? await store.annotations({ trust: request.trust, from: first.from, to: period.to }) : []);
  const changes = annotations
    .filter((a) => a.kind === 'change' && a.start >= first.from && a.start < period.to && inScope(a.scope))
    // Rollups are kept per site, ward and application: a trust-wide change has no scope of its own to compare.
    .filter((a) => a.scope !== 'trust')
    .map((a): PackChange => ({ label: a.title, scope: a.scope, at: a.start }));
  const maintenance = annotations
    .filter((a) => a.kind === 'maintenance' && a.end !== undefined && inScope(a.scope))
    .map((a): MaintenanceWindow => ({ from: a.start, to: a.end!, label: `${a.title} (${a.scope})`, ...(a.scope === 'trust' ? {} : { site: siteOfScope(a.scope) }) }));
  const windows: MaintenanceWindow[] = [...config.maintenance, ...maintenance];
  // Sites, wards, access points and applications: the day tier's rows where it holds whole days.
  const reads = await PackReads.open(store, windows);
  const r = (scope: string, from: number, to: number, extra: { metric?: string; countsOnly?: boolean } = {}) => reads.read(scope, from, to, extra);

  const steps = sites.length * 3 + 3;
  let done = 0;
  const step = (name: string) => options.progress?.(++done, steps, name);
  const month: SpanRecord[] = [];
  const history: RollupRecord[] = [];
  const historyHours = new Map<string, Set<number>>();
  const earlier: MonthPeriod[] = [];
  for (let m = first.month; m < request.month; m = addMonths(m, 1)) earlier.push(londonMonth(m));
  for (const site of sites) {
    // Earlier months: merged a month at a time (and kept, once final, in the cache).
    const keyOf = (m: MonthPeriod) => {
      const overlapping = windows.filter((w) => (w.site === undefined || w.site === site) && w.from < m.to && w.to > m.from);
      return { overlapping, key: `${site}|${m.month}|${overlapping.map((w) => `${w.from}-${w.to}`).join(',')}` };
    };
    // The site's applications over the month and every earlier month not cached, in one query: a scope
    // prefix is a walk over all the site's application rows, whatever the time range, so one walk, not
    // one a month.
    const uncached = earlier.filter((m) => !options.historyCache?.has(keyOf(m).key));
    const appRows = await r(`siteapp:${site}/*`, uncached[0]?.from ?? period.from, period.to);
    // The site's own trend metrics likewise, a query a metric over the months not cached (not one a
    // month: read from month rows, a month is a row).
    const siteRows = new Map<string, SpanRecord[]>();
    if (uncached.length > 0) {
      for (const metric of TREND_METRICS) siteRows.set(metric, await r(`site:${site}`, uncached[0]!.from, uncached[uncached.length - 1]!.to, { metric, countsOnly: COUNTS_ONLY_BEFORE.has(metric) }));
    }
    for (const m of earlier) {
      const { overlapping, key } = keyOf(m);
      let summary = options.historyCache?.get(key);
      if (!summary) {
        const raw: SpanRecord[] = [];
        for (const metric of TREND_METRICS) for (const a of siteRows.get(metric) ?? []) if (a.start >= m.from && a.start < m.to) raw.push(a);
        for (const a of appRows) if (a.start >= m.from && a.start < m.to) raw.push(a);
        const kept = overlapping.length === 0 ? raw : raw.filter((a) => !overlapping.some((w) => a.start < w.to && spanEnd(a) > w.from));
        summary = mergeMonth(kept, m);
        if (options.historyCache && m.to + MONTH_FINAL_AFTER_MS <= options.now) options.historyCache.set(key, summary);
      }
      history.push(...summary.records);
      let hours = historyHours.get(m.month);
      if (!hours) historyHours.set(m.month, (hours = new Set()));
      for (const h of summary.hours) hours.add(h);
    }
    // The month itself, hour by hour; one metric at a time: an exact scope with its metric is a
    // primary-key range in both stores.
    for (const metric of SITE_METRICS) month.push(...(await r(`site:${site}`, period.from, period.to, { metric, countsOnly: COUNTS_ONLY_ALWAYS.has(metric) })));
    step(`site ${site}`);
    for (const a of appRows) if (a.start >= period.from) month.push(a);
    step(`applications at ${site}`);
    for (const metric of WARD_METRICS) month.push(...(await r(`ward:${site}/*`, period.from, period.to, { metric })));
    step(`wards of ${site}`);
  }
  const placed = new Set(options.directory.devices.filter((d) => sites.includes(d.site)).map((d) => d.id));
  const wantDevice = (r: RollupRecord) => placed.size === 0 ? !request.site : placed.has(r.scope.slice('device:'.length));
  // Passes over the devices' rows: their counts (every metric), then logon and boot sketches (the
  // only device distributions the pack reads). A scope prefix cannot narrow by metric in the store's key.
  for (const r of await q('device:*', period.from, period.to, { countsOnly: true })) if (DEVICE_COUNTS.has(r.metric) && wantDevice(r)) month.push(r);
  for (const metric of ['logon.totalMs', 'health.bootMs']) for (const r of await q('device:*', period.from, period.to, { metric })) if (wantDevice(r)) month.push(r);
  // Hours older than two days are folded into one digest per device and month (device-compaction.ts).
  const deviceDigests: PackInputs['deviceDigests'] = [];
  if (isDeviceDigestStore(store)) {
    for (const d of await store.deviceDigests({ from: period.from, to: period.from + 1 })) {
      if (placed.size === 0 ? !request.site : placed.has(d.device)) deviceDigests.push({ device: d.device, month: d.month, body: d.body });
    }
  }
  step('devices');
  const aps = new Set(options.directory.accessPoints.filter((a) => sites.includes(a.site)).map((a) => a.id));
  for (const a of await r('ap:*', period.from, period.to, { metric: 'wifi.signalDbm' })) {
    if (aps.size === 0 ? !request.site : aps.has(a.scope.slice('ap:'.length))) month.push(a);
  }
  step('access points');
  const beforeAfter = await compareChanges(store, changes, config, maintenance);
  step('before and after');
  const alerts = options.alerts ?? (isAlertHistoryStore(store) ? await store.alertHistory({ from: period.from, to: period.to }) : undefined);
  // In a month not over, the figures stop where the hour in progress starts (its rollups are not final
  // yet; whatever the store already holds beyond, as a replay's, counts): alerts that fired later are
  // left out with it. Estate-wide and per-application SLOs count every trust's checks together, so
  // their alerts belong to a trust's pack only when the estate is that one trust.
  const figuresTo = options.now >= period.to ? period.to : Math.min(period.to, Math.max(Math.floor(options.now / HOUR) * HOUR, endOfRecords(month)));
  const estateWide = request.site === undefined && trusts.length <= 1;
  return {
    request,
    period,
    sites,
    directory: options.directory,
    month,
    deviceDigests,
    history,
    historyHours: new Map([...historyHours].map(([m, h]) => [m, h.size])),
    figuresTo,
    incidents: alerts ? incidentsOf(alerts, { sites, estateWide, before: figuresTo, maintenance: windows }) : null,
    incidentsNote: alerts
      ? [
          options.incidentsNote ?? 'Incidents are the SLO alerts firing at any time in the month, with the times the server recorded them firing and resolving (a firing alert is shown from its start, even before the month).',
          ...(figuresTo < period.to ? ['Alerts that fired in the hour in progress are left out with its figures.'] : []),
          ...(estateWide || request.site !== undefined ? [] : [`Alerts of the estate-wide and per-application SLOs are left out: they count the checks of every trust (${trusts.join(', ')}) together.`]),
        ].join(' ')
      : 'The store keeps no alert history, so incidents are not listed; the running server lists the alerts it has seen (GET /api/alerts).',
    beforeAfter,
    maintenance,
    beforeAfterNote: beforeAfter.length > 0 ? null : 'No change was recorded at these sites in the trend\'s months (annotations), so nothing is compared before and after.',
    softwareVersion: options.softwareVersion,
    generatedAt: options.now,
  };
}

/**
 * Each change compared over the weeks before and after it at its scope (maintenance left out), read as
 * the pack reads (PackReads: the day tier's rows for folded days, so a change older than the hourly
 * rows' retention is still compared by day).
 */
export async function compareChanges(
  store: RollupStore,
  changes: readonly PackChange[],
  config: EvidenceConfig = DEFAULT_EVIDENCE_CONFIG,
  maintenance: ReadonlyArray<{ from: number; to: number }> = [],
): Promise<BeforeAfterComparison[]> {
  const out: BeforeAfterComparison[] = [];
  const week = 7 * 86_400_000;
  const exclude = [...config.maintenance, ...maintenance];
  // By day: a whole month's row is no day, and the comparison's units are days.
  const reads = changes.length > 0 ? await PackReads.open(store, exclude, { byDay: true }) : null;
  for (const change of changes) {
    const rollups: SpanRecord[] = [];
    const from = londonDayOf(change.at - 5 * week);
    const to = dayEnd(londonDayOf(change.at + 5 * week));
    for (const metric of ['logon.totalMs', 'app.totalMs']) rollups.push(...(await reads!.read(change.scope, from, to, { metric })));
    const result = compareBeforeAfter({ scope: change.scope, at: change.at }, rollups, { exclude });
    out.push({ label: change.label, ...result });
  }
  return out;
}

function isDeviceDigestStore(store: RollupStore): store is RollupStore & DeviceDigestStore {
  return typeof (store as Partial<DeviceDigestStore>).deviceDigests === 'function';
}

function isAlertHistoryStore(store: RollupStore): store is RollupStore & AlertHistoryStore {
  return typeof (store as Partial<AlertHistoryStore>).alertHistory === 'function';
}

function isAnnotationStore(store: RollupStore): store is RollupStore & AnnotationStore {
  return typeof (store as Partial<AnnotationStore>).annotations === 'function';
}

/** The site a site, ward or site-application scope key belongs to. */
export function siteOfScope(scope: string): string | undefined {
  const m = /^(?:site|ward|siteapp):([^/]+)/.exec(scope);
  return m?.[1];
}

/** The end of the latest hour (or day row) among the records. */
function endOfRecords(records: readonly SpanRecord[]): number {
  let end = -Infinity;
  for (const r of records) end = Math.max(end, r.end ?? r.start + HOUR);
  return end;
}
