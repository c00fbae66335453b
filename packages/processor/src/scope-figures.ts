// What a scope's status says, made from its cells: its figures (application p50/p95/p99, availability
// and slow checks, logons and slow logons, Wi-Fi, and where the scope has them DNS, the gateway and
// CPU), worked out again only for the metrics that moved, and the published status object in the
// shape statuses keep.
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';
import { slowOf } from '@wardwatch/status-rules';
import { APP, DNS, HEALTH, LOGON, NET, WIFI, type Cell, type ScopeCells } from './cell.ts';
import type { ScopeInfo } from './scope-registry.ts';
import { ALL_METRICS } from './status-horizon.ts';

/** A scope's figures before it has any. */
export const NO_FIGURES: ScopeFigures = { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, slowAppChecks: 0, logons: 0, logonP95Ms: null, slowLogons: 0, wifiSignalDbm: null };

const EMPTY: ScopeCells = [];
/** The application quantiles a scope's figures give (p50, p95, p99), and where figuresOf reads them into. */
const APP_QUANTILES = [0.5, 0.95, 0.99];
const appQuantiles: Array<number | null> = [null, null, null];

/**
 * A scope's status, fields in this order and optional ones only when present (as published before).
 * Each kind's fields in one object literal: built field by field, or with the optional ones added
 * after, every status grew a separate property store — and statuses live for a window, so each one a
 * scavenge met was copied into the old generation.
 */
export function statusOf(key: string, scope: ScopeStatus['scope'], info: ScopeInfo, ap: string | undefined, status: ScopeStatus['status'], reason: string, figures: ScopeFigures, asOf: number): ScopeStatus {
  const { id, trust, site, ward } = info;
  const since = info.since!;
  if (scope === 'app') {
    // An application's scope has no access point, and a ward only where one was given (none is, today).
    const app = id.slice(site.length + 1);
    if (ward === undefined) return { key, scope, id, trust, site, app, status, reason, figures, since, asOf };
    return { key, scope, id, trust, site, ward, app, status, reason, figures, since, asOf };
  }
  if (ward === undefined) {
    if (ap === undefined) return { key, scope, id, trust, site, status, reason, figures, since, asOf };
    return { key, scope, id, trust, site, ap, status, reason, figures, since, asOf };
  }
  if (ap === undefined) return { key, scope, id, trust, site, ward, status, reason, figures, since, asOf };
  return { key, scope, id, trust, site, ward, ap, status, reason, figures, since, asOf };
}

/**
 * A scope's figures from its cells. With the figures worked out `before` and the metrics `moved`
 * since (a bit per metric index), only those metrics' figures are worked out again — quantiles walk a
 * sketch's bins, and a tick's evaluations were mostly that — the rest are taken from `before`.
 */
export function figuresOf(cells: ScopeCells = EMPTY, before?: ScopeFigures, moved = ALL_METRICS): ScopeFigures {
  const all = before === undefined;
  const app: Cell | undefined = cells[APP];
  const logon: Cell | undefined = cells[LOGON];
  const wifi: Cell | undefined = cells[WIFI];
  const dns: Cell | undefined = cells[DNS];
  const net: Cell | undefined = cells[NET];
  const health: Cell | undefined = cells[HEALTH];
  const a = all || (moved & (1 << APP)) !== 0;
  const l = all || (moved & (1 << LOGON)) !== 0;
  let wifiSignalDbm: number | null;
  if (all || (moved & (1 << WIFI)) !== 0) {
    const median = wifi ? wifi.quantile(0.5) : null;
    wifiSignalDbm = median === null ? null : -median;
  } else wifiSignalDbm = before.wifiSignalDbm;
  const appChecks = a ? (app?.valid ?? 0) : before!.appChecks;
  let p50Ms: number | null = null;
  let p95Ms: number | null = null;
  let p99Ms: number | null = null;
  if (!a) {
    p50Ms = before!.p50Ms;
    p95Ms = before!.p95Ms;
    p99Ms = before!.p99Ms;
  } else if (app) {
    // One walk of a sketch's bins for the three.
    app.quantilesInto(APP_QUANTILES, appQuantiles);
    p50Ms = appQuantiles[0] ?? null;
    p95Ms = appQuantiles[1] ?? null;
    p99Ms = appQuantiles[2] ?? null;
  }
  const availability = a ? (app && app.valid > 0 ? app.good / app.valid : null) : before!.availability;
  const slowAppChecks = a ? (app ? slowOf(app) : 0) : before!.slowAppChecks;
  const logons = l ? (logon?.valid ?? 0) : before!.logons;
  const logonP95Ms = l ? (logon ? logon.quantile(0.95) : null) : before!.logonP95Ms;
  const slowLogons = l ? (logon ? slowOf(logon) : 0) : before!.slowLogons;
  // Optional figures only where the scope has them, in this order; each combination a scope has (a
  // site: DNS and gateway; a device: CPU) in one object literal — optional fields added after made a
  // property store per figures object, and figures live for a window (copied out of the young generation).
  const dnsP95Ms = dns ? (all || (moved & (1 << DNS)) !== 0 ? dns.quantile(0.95) : before.dnsP95Ms!) : undefined;
  const gatewayRttP95Ms = net ? (all || (moved & (1 << NET)) !== 0 ? net.quantile(0.95) : before.gatewayRttP95Ms!) : undefined;
  const cpuPct = health ? (all || (moved & (1 << HEALTH)) !== 0 ? health.quantile(0.5) : before.cpuPct!) : undefined;
  // Nothing moved that shows (a site's sketch quantiles stay in their bins, a count moved and moved
  // back): the figures worked out before stand — figures are never changed once made.
  if (
    !all &&
    appChecks === before.appChecks && p50Ms === before.p50Ms && p95Ms === before.p95Ms && p99Ms === before.p99Ms && availability === before.availability &&
    slowAppChecks === before.slowAppChecks && logons === before.logons && logonP95Ms === before.logonP95Ms && slowLogons === before.slowLogons &&
    wifiSignalDbm === before.wifiSignalDbm &&
    dnsP95Ms === before.dnsP95Ms && gatewayRttP95Ms === before.gatewayRttP95Ms && cpuPct === before.cpuPct
  ) {
    return before;
  }
  if (cpuPct === undefined) {
    if (gatewayRttP95Ms === undefined) {
      if (dnsP95Ms === undefined) return { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm };
      return { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm, dnsP95Ms };
    }
    if (dnsP95Ms === undefined) return { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm, gatewayRttP95Ms };
    return { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm, dnsP95Ms, gatewayRttP95Ms };
  }
  if (dnsP95Ms === undefined && gatewayRttP95Ms === undefined) return { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm, cpuPct };
  const figures: ScopeFigures = { appChecks, p50Ms, p95Ms, p99Ms, availability, slowAppChecks, logons, logonP95Ms, slowLogons, wifiSignalDbm };
  if (dnsP95Ms !== undefined) figures.dnsP95Ms = dnsP95Ms;
  if (gatewayRttP95Ms !== undefined) figures.gatewayRttP95Ms = gatewayRttP95Ms;
  figures.cpuPct = cpuPct;
  return figures;
}
