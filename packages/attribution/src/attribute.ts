// Attribution: for every degraded scope, the narrowest scope that explains it — a network (access
// point, ward or site), a device, or an application — and the evidence for the verdict. Pure: the
// latest status of every scope in, a cause per degraded scope out.
//
// The method is peer comparison (docs/slo-guide.md, "How attribution decides"):
//   1. an application is to blame when it is degraded from most sites while the other applications
//      are fine at those same sites;
//   2. an access point (or a ward) is to blame when most of its devices are degraded and it stands out
//      from the site's other access points (or wards), or the rest of the site is fine;
//   3. a device is to blame when it stands out from its neighbours on the ward and is not explained by
//      its access point;
//   4. a site's network is to blame when most of its wards are degraded, the applications are slow or
//      failing there but fine at other sites, and narrower culprits do not explain its devices.
// Comparisons use medians and MADs (robust.ts), never means.
import { durationText, shareText, signalText, type Cause, type ScopeStatus } from '@wardwatch/schema';
import { lowerMedian, median, SortedSample, standsOut, standsOutOf, type OutlierRule } from './robust.ts';

export interface AttributionOptions {
  /** Share of a group's members that must be degraded before the group itself is blamed. */
  breadth: number;
  /** Share of the rest of a site that may be degraded while one of its parts is still blamed alone. */
  restDegradedShare: number;
  /** Each measure counts only above its limit (the status thresholds): standing out among healthy peers is not a fault. */
  latency: OutlierRule & { limit: number };
  failure: OutlierRule & { limit: number; significance: number };
  logon: OutlierRule & { limit: number; minLogons: number };
}

export const DEFAULT_ATTRIBUTION: AttributionOptions = {
  breadth: 0.5,
  restDegradedShare: 0.3,
  latency: { deviations: 3, minExcess: 500, minRatio: 2, limit: 2000 },
  // A handful of failed checks is noise at a device's sample size: the count of failures must be
  // unlikely (p < 0.0001) at the peers' failure rate.
  failure: { deviations: 3, minExcess: 0.02, minRatio: 1, limit: 0.02, significance: 1e-4 },
  logon: { deviations: 3, minExcess: 10_000, minRatio: 1.5, limit: 60_000, minLogons: 5 },
};

export const isBad = (s: ScopeStatus) => s.status === 'degraded' || s.status === 'down';
export const hasData = (s: ScopeStatus) => s.status !== 'unknown';
export const failRate = (s: ScopeStatus) => (s.figures.availability === null ? null : 1 - s.figures.availability);
const present = <T>(values: Array<T | null | undefined>): T[] => values.filter((v): v is T => v !== null && v !== undefined);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The statuses grouped the ways attribution compares them (the whole estate's, or one site's). */
export class StatusGroups {
  readonly sites = new Map<string, ScopeStatus>();
  readonly wards = new Map<string, ScopeStatus>();
  readonly aps = new Map<string, ScopeStatus>();
  readonly devices: ScopeStatus[] = [];
  readonly devicesByWard = new Map<string, ScopeStatus[]>();
  readonly devicesByAp = new Map<string, ScopeStatus[]>();
  readonly devicesBySite = new Map<string, ScopeStatus[]>();
  readonly wardsBySite = new Map<string, ScopeStatus[]>();
  readonly apsBySite = new Map<string, ScopeStatus[]>();
  readonly appsBySite = new Map<string, ScopeStatus[]>();
  readonly sitesByApp = new Map<string, ScopeStatus[]>();

  constructor(statuses: Iterable<ScopeStatus>) {
    for (const s of statuses) {
      if (!hasData(s) || !s.site) continue;
      switch (s.scope) {
        case 'site':
          this.sites.set(s.id, s);
          break;
        case 'ward':
          this.wards.set(s.key, s);
          push(this.wardsBySite, s.site, s);
          break;
        case 'ap':
          this.aps.set(s.id, s);
          push(this.apsBySite, s.site, s);
          break;
        case 'device':
          this.devices.push(s);
          if (s.ward) push(this.devicesByWard, wardKey(s), s);
          if (s.ap) push(this.devicesByAp, s.ap, s);
          push(this.devicesBySite, s.site, s);
          break;
        case 'app':
          if (!s.app) break;
          push(this.appsBySite, s.site, s);
          push(this.sitesByApp, s.app, s);
          break;
      }
    }
  }
}

export const wardKey = (s: ScopeStatus) => `ward:${s.site}/${s.ward}`;

/** Whether `s` stands out from `peers` on latency, failures or logon time; the reasons it does. */
function outlierOn(s: ScopeStatus, peers: readonly ScopeStatus[], options: AttributionOptions, latencyOnly = false): string[] {
  const found: string[] = [];
  const { p95Ms, logonP95Ms } = s.figures;
  const peerP95 = present(peers.map((p) => p.figures.p95Ms));
  if (p95Ms !== null && p95Ms > options.latency.limit && standsOut(p95Ms, peerP95, options.latency)) {
    found.push(`p95 ${durationText(p95Ms)} against ${durationText(median(peerP95)!)}`);
  }
  if (latencyOnly) return found;
  const fail = failRate(s);
  const peerFail = present(peers.map(failRate));
  if (
    fail !== null &&
    fail > options.failure.limit &&
    standsOut(fail, peerFail, options.failure) &&
    poissonTail(Math.round(fail * s.figures.appChecks), s.figures.appChecks * Math.max(median(peerFail)!, pooledFailRate(peers), 0.005)) < options.failure.significance
  ) {
    found.push(`${shareText(fail)} of checks failed against ${shareText(median(peerFail)!)}`);
  }
  const peerLogon = present(peers.map((p) => p.figures.logonP95Ms));
  // A p95 of two or three logons is one logon: too few to single a scope out on.
  if (logonP95Ms !== null && s.figures.logons >= options.logon.minLogons && logonP95Ms > options.logon.limit && standsOut(logonP95Ms, peerLogon, options.logon)) {
    found.push(`logon p95 ${durationText(logonP95Ms)} against ${durationText(median(peerLogon)!)}`);
  }
  return found;
}

/** Failed ÷ valid checks over a set of scopes (those at `exceptSite` left out): the baseline rate when counting failures. */
export function pooledFailRate(scopes: Iterable<ScopeStatus>, exceptSite?: string): number {
  let checks = 0;
  let failures = 0;
  for (const s of scopes) {
    if (exceptSite !== undefined && s.site === exceptSite) continue;
    checks += s.figures.appChecks;
    failures += s.figures.appChecks * (failRate(s) ?? 0);
  }
  return checks === 0 ? 0 : failures / checks;
}

/** P(X ≥ k) for X ~ Poisson(λ): how likely k failures are at the expected rate (binomial, rare events). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

/** The devices a group is compared with, as groupStandsOut reads them: their p95s and failure rates sorted, and their pooled failure rate. */
export interface OutsideDevices {
  p95: SortedSample;
  fail: SortedSample;
  /** Failed ÷ valid checks over them (pooledFailRate), asked for only when a failure rate stands out. */
  pooledFail(): number;
}

export function outsideOf(devices: readonly ScopeStatus[]): OutsideDevices {
  return {
    p95: SortedSample.of(present(devices.map((d) => d.figures.p95Ms))),
    fail: SortedSample.of(present(devices.map(failRate))),
    pooledFail: () => pooledFailRate(devices),
  };
}

/**
 * Whether a group's typical device (the lower median of its devices' p95 and failure rate) stands out from
 * the devices outside it; the reasons it does.
 */
function groupStandsOut(members: readonly ScopeStatus[], outside: OutsideDevices, options: AttributionOptions): string[] {
  const found: string[] = [];
  const p95 = lowerMedian(present(members.map((d) => d.figures.p95Ms)));
  if (p95 !== null && p95 > options.latency.limit && standsOutOf(p95, outside.p95, options.latency)) {
    found.push(`median device p95 ${durationText(p95)} against ${durationText(outside.p95.median()!)}`);
  }
  const fail = lowerMedian(present(members.map(failRate)));
  let checks = 0;
  let failures = 0;
  for (const d of members) {
    checks += d.figures.appChecks;
    failures += d.figures.appChecks * (failRate(d) ?? 0);
  }
  if (
    fail !== null &&
    fail > options.failure.limit &&
    standsOutOf(fail, outside.fail, options.failure) &&
    poissonTail(Math.round(failures), checks * Math.max(outside.fail.median()!, outside.pooledFail(), 0.005)) < options.failure.significance
  ) {
    found.push(`median device ${shareText(fail)} of checks failed against ${shareText(outside.fail.median()!)}`);
  }
  return found;
}

const share = (members: readonly ScopeStatus[]) => (members.length === 0 ? 0 : members.filter(isBad).length / members.length);

export function attribute(statuses: Iterable<ScopeStatus>, options: AttributionOptions = DEFAULT_ATTRIBUTION): Map<string, Cause> {
  const estate = new StatusGroups(statuses);
  const culprits = blameApplications(estate, options);
  const badApps = [...culprits.keys()];
  blameGroupsAndDevices(estate, culprits, (site) => otherSitesFine(estate, site, badApps), options);
  const sites = [...estate.sites.values()];
  for (const site of sites) {
    const cause = blameSite(
      site,
      estate,
      () => outsideOf(estate.devices.filter((d) => d.site !== site.id)),
      () => sites.filter((s) => s !== site),
      culprits,
      options,
    );
    if (cause) culprits.set(site.key, cause);
  }
  return assign(estate, culprits, badApps.length ? culprits.get(badApps[0]!) : undefined);
}

/** Rule 1: applications degraded from most sites while the other applications there are fine. Reads only the estate's application rows. */
export function blameApplications(estate: StatusGroups, options: AttributionOptions): Map<string, Cause> {
  const culprits = new Map<string, Cause>();
  for (const [app, rows] of estate.sitesByApp) {
    const bad = rows.filter(isBad);
    if (bad.length === 0 || bad.length < Math.min(2, rows.length) || bad.length / rows.length < options.breadth) continue;
    const othersBad = bad.map((row) => share((estate.appsBySite.get(row.site!) ?? []).filter((o) => o.app !== app)));
    if ((median(othersBad) ?? 0) >= options.breadth) continue; // everything is slow there: not this application
    let checks = 0;
    let good = 0;
    for (const row of rows) {
      checks += row.figures.appChecks;
      good += row.figures.appChecks * (row.figures.availability ?? 1);
    }
    const p95 = median(present(rows.map((r) => r.figures.p95Ms)));
    const evidence = [
      `${app} degraded from ${bad.length} of ${plural(rows.length, 'site')}`,
      `availability ${shareText(checks ? good / checks : 1)} across them${p95 !== null ? `, p95 ${durationText(p95)} (median of sites)` : ''}`,
      `the other applications are fine at those sites`,
    ].join('; ');
    culprits.set(`app:${app}`, { kind: 'application', culprit: `app:${app}`, summary: `application: ${app}`, evidence });
  }
  return culprits;
}

/**
 * Rules 2 and 3 into `culprits`: access points, then wards, then devices. Each compares a group or a
 * device only with the rest of its own site, so it can run on one site's statuses alone; the one
 * thing it reads from elsewhere is the "fine at other sites" line, `fineElsewhere(site)`.
 */
export function blameGroupsAndDevices(estate: StatusGroups, culprits: Map<string, Cause>, fineElsewhere: (site: string) => string | undefined, options: AttributionOptions): void {
  // 2. Access points, then wards: most of their devices degraded, and their typical device standing
  //    out from the devices elsewhere on the site. Medians of devices, not the group's own figures:
  //    one slow workstation must not make its access point look slow.
  const blameGroup = (kind: 'ap' | 'ward', group: ScopeStatus, devices: readonly ScopeStatus[]) => {
    const bad = devices.filter(isBad);
    if (bad.length < 2 || bad.length / devices.length < options.breadth) return;
    const members = new Set(devices);
    const rest = (estate.devicesBySite.get(group.site!) ?? []).filter((d) => !members.has(d));
    const stands = groupStandsOut(devices, outsideOf(rest), options);
    if (stands.length === 0) return;
    const label = kind === 'ap' ? `access point ${group.id}` : `ward ${group.ward}`;
    const where = kind === 'ap' ? ` on ward ${group.ward} at ${group.site}` : ` at ${group.site}`;
    const restFine = rest.length - rest.filter(isBad).length;
    const evidence = [
      `${bad.length} of ${plural(devices.length, 'device')} on ${label} degraded`,
      `${stands.join(', ')} on the site's other ${plural(rest.length, 'device')} (${restFine} of them fine)`,
    ];
    const signal = group.figures.wifiSignalDbm;
    if (kind === 'ap' && signal !== null) evidence.push(`Wi-Fi signal median ${signalText(signal)}`);
    const fine = fineElsewhere(group.site!);
    if (fine) evidence.push(fine);
    culprits.set(group.key, { kind: 'network', culprit: group.key, summary: `network: ${label}${where}`, evidence: evidence.join('; ') });
  };
  for (const ap of estate.aps.values()) blameGroup('ap', ap, estate.devicesByAp.get(ap.id) ?? []);
  const blamedAp = (d: ScopeStatus) => (d.ap && culprits.has(`ap:${d.ap}`) ? `ap:${d.ap}` : undefined);
  for (const ward of estate.wards.values()) {
    const devices = estate.devicesByWard.get(ward.key) ?? [];
    // A ward whose degraded devices sit behind a blamed access point is explained by it.
    if (devices.filter(isBad).some(blamedAp)) continue;
    blameGroup('ward', ward, devices);
  }

  // 3. Devices that stand out from their neighbours and are not explained by their access point.
  for (const device of estate.devices) {
    if (!isBad(device) || !device.ward) continue;
    const neighbours = (estate.devicesByWard.get(wardKey(device)) ?? []).filter((d) => d !== device);
    const stands = outlierOn(device, neighbours, options);
    if (stands.length === 0) continue;
    if (blamedAp(device)) {
      // Behind a failing access point, failure counts scatter too widely across a few devices to
      // single one out: only a device slower than the others there is a culprit of its own.
      const apPeers = (estate.devicesByAp.get(device.ap!) ?? []).filter((d) => d !== device);
      if (outlierOn(device, apPeers, options, true).length === 0) continue;
    }
    const fine = neighbours.length - neighbours.filter(isBad).length;
    const evidence = [`${stands.join(', ')} (median of ${plural(neighbours.length, 'neighbour')} on ward ${device.ward})`, `${fine} of ${neighbours.length} neighbours fine`];
    const cpu = device.figures.cpuPct;
    if (cpu !== null && cpu !== undefined && cpu >= 80) evidence.push(`CPU median ${Math.round(cpu)} %`);
    culprits.set(device.key, { kind: 'device', culprit: device.key, summary: `device: ${device.id} (ward ${device.ward} at ${device.site})`, evidence: evidence.join('; ') });
  }
}

/** Whether rule 4 could blame `site` at all: degraded, with most of its wards (the site's own estate's) degraded. */
export function siteMayBeBlamed(site: ScopeStatus, estate: StatusGroups, options: AttributionOptions): boolean {
  if (!isBad(site)) return false;
  const wards = estate.wardsBySite.get(site.id) ?? [];
  return wards.length === 0 || share(wards) >= options.breadth;
}

/**
 * Rule 4 for one site: most wards degraded and the site's typical device standing out from the
 * devices at the other sites. `estate` holds the site's own statuses (it may hold others'); the
 * devices and site statuses elsewhere are asked for only when the site may be blamed.
 */
export function blameSite(
  site: ScopeStatus,
  estate: StatusGroups,
  elsewhere: () => OutsideDevices,
  otherSites: () => readonly ScopeStatus[],
  appCulprits: { has(key: string): boolean },
  options: AttributionOptions,
): Cause | undefined {
  if (!siteMayBeBlamed(site, estate, options)) return undefined;
  const wards = estate.wardsBySite.get(site.id) ?? [];
  const devices = estate.devicesBySite.get(site.id) ?? [];
  const stands = groupStandsOut(devices, elsewhere(), options);
  if (stands.length === 0) return undefined;
  const others = otherSites();
  const apps = (estate.appsBySite.get(site.id) ?? []).filter((a) => !appCulprits.has(`app:${a.app}`));
  const evidence = [
    `${wards.filter(isBad).length} of ${plural(wards.length, 'ward')} degraded`,
    `${stands.join(', ')} at ${plural(others.length, 'other site')}`,
  ];
  if (apps.length > 0) evidence.push(`${apps.filter(isBad).length} of ${plural(apps.length, 'application')} slow or failing here`);
  let summary = `network: site ${site.id}`;
  const dns = site.figures.dnsP95Ms;
  const otherDns = present(others.map((s) => s.figures.dnsP95Ms));
  if (dns !== null && dns !== undefined && standsOut(dns, otherDns, { deviations: 3, minExcess: 200, minRatio: 2 })) {
    evidence.push(`DNS lookups p95 ${durationText(dns)} against ${durationText(median(otherDns)!)} at other sites`);
    summary += ' (name resolution)';
  }
  const rtt = site.figures.gatewayRttP95Ms;
  const otherRtt = present(others.map((s) => s.figures.gatewayRttP95Ms));
  if (rtt !== null && rtt !== undefined && standsOut(rtt, otherRtt, { deviations: 3, minExcess: 20, minRatio: 1.5 })) {
    evidence.push(`gateway round trip p95 ${durationText(rtt)} against ${durationText(median(otherRtt)!)} at other sites`);
  }
  return { kind: 'network', culprit: site.key, summary, evidence: evidence.join('; ') };
}

/** "the same applications are fine at 11 of 11 other sites" (of those with application figures), or nothing when that cannot be said. */
function otherSitesFine(estate: StatusGroups, site: string, badApps: readonly string[]): string | undefined {
  const blamed = new Set(badApps);
  let fine = 0;
  let others = 0;
  for (const [id] of estate.sites) {
    if (id === site) continue;
    const apps = estate.appsBySite.get(id) ?? [];
    // Only sites with application figures are evidence either way: a site whose applications report
    // nothing is not one where they fail ("fine at 0 of 989 other sites" read as the opposite).
    if (apps.length === 0) continue;
    others++;
    if (siteAppsFine(apps, blamed)) fine++;
  }
  return fineAtOtherSites(fine, others);
}

export const fineAtOtherSites = (fine: number, others: number) => (others > 0 ? `the same applications are fine at ${fine} of ${plural(others, 'other site')}` : undefined);

/** Whether a site's applications, other than those blamed, are all fine (and it has some): what otherSitesFine counts. */
export function siteAppsFine(apps: readonly ScopeStatus[], badApps: ReadonlySet<string>): boolean {
  const rest = apps.filter((a) => !badApps.has(`app:${a.app}`));
  return rest.length > 0 && !rest.some(isBad);
}

/**
 * Every degraded scope gets the narrowest culprit that explains it: `culprits` are every rule's,
 * `worstApp` the first application blamed. Reads one site at a time, so it can run on one site's
 * statuses with that site's culprits and the applications'.
 */
export function assign(estate: StatusGroups, culprits: { get(key: string): Cause | undefined }, worstApp: Cause | undefined): Map<string, Cause> {
  const causes = new Map<string, Cause>();
  const siteCause = (site: string) => culprits.get(`site:${site}`);
  const set = (scope: ScopeStatus, cause: Cause | undefined) => {
    if (cause && isBad(scope)) causes.set(scope.key, cause);
  };
  /** The most common culprit among the degraded devices of a group. */
  const commonest = (devices: readonly ScopeStatus[]): Cause | undefined => {
    const tally = new Map<string, number>();
    for (const d of devices) {
      if (!isBad(d)) continue;
      const cause = causes.get(d.key);
      if (cause && cause.kind !== 'application') tally.set(cause.culprit, (tally.get(cause.culprit) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [key, n] of tally) if (best === undefined || n > tally.get(best)!) best = key;
    return best ? culprits.get(best) : undefined;
  };

  for (const device of estate.devices) {
    set(
      device,
      culprits.get(device.key) ??
        (device.ap ? culprits.get(`ap:${device.ap}`) : undefined) ??
        (device.ward ? culprits.get(wardKey(device)) : undefined) ??
        siteCause(device.site!) ??
        worstApp,
    );
  }
  for (const ap of estate.aps.values()) {
    set(ap, culprits.get(ap.key) ?? siteCause(ap.site!) ?? commonest(estate.devicesByAp.get(ap.id) ?? []) ?? worstApp);
  }
  for (const ward of estate.wards.values()) {
    set(ward, culprits.get(ward.key) ?? siteCause(ward.site!) ?? commonest(estate.devicesByWard.get(ward.key) ?? []) ?? worstApp);
  }
  for (const site of estate.sites.values()) {
    set(site, siteCause(site.id) ?? commonest(estate.devicesBySite.get(site.id) ?? []) ?? worstApp);
  }
  for (const rows of estate.sitesByApp.values()) {
    for (const row of rows) set(row, culprits.get(`app:${row.app}`) ?? siteCause(row.site!) ?? commonest(estate.devicesBySite.get(row.site!) ?? []));
  }
  return causes;
}

/** The distinct culprits among a set of causes: what an operator would be asked to look at. */
export function culpritsOf(causes: Iterable<Cause>): Map<string, Cause> {
  const found = new Map<string, Cause>();
  for (const cause of causes) if (!found.has(cause.culprit)) found.set(cause.culprit, cause);
  return found;
}
