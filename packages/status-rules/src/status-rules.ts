// The status rules: figures over the horizon → ok / degraded / down / unknown and a reason that names
// its evidence. Pure; the thresholds are configuration.
import { clockSkewText, countText, durationText, shareText, signalText, type Health, type ScopeFigures, type ScopeKind } from '@wardwatch/schema';
import type { StatusThresholds } from './thresholds.ts';

export interface Verdict {
  readonly status: Health;
  readonly reason: string;
}

/**
 * The verdicts without a finding — nearly every scope at nearly every evaluation — are shared, not
 * built at each judgement: a processor judges every changed scope at every tick, and a fresh `ok`
 * each time was garbage by the thousand a minute. Callers only read a verdict.
 */
const OK: Verdict = { status: 'ok', reason: '' };

const rank: Record<Health, number> = { ok: 0, unknown: 1, degraded: 2, down: 3 };

export function judge(
  scope: ScopeKind,
  figures: ScopeFigures,
  thresholds: StatusThresholds,
  horizonMinutes: number,
  silentForMs = 0,
): Verdict {
  // Judged for every scope at every evaluation, nearly always ok: nothing is built until a finding.
  let findings: Array<{ status: Health; reason: string }> | undefined;

  if (figures.appChecks >= thresholds.minChecks && figures.availability !== null) {
    const judged = availabilityJudged(figures.appChecks, figures.availability);
    // The evidence is worded only for a finding: written for every scope, it was most of what judging allocated.
    if (judged < thresholds.availabilityDown) (findings ??= []).push({ status: 'down', reason: availabilityEvidence(figures.appChecks, figures.availability, horizonMinutes) });
    else if (judged < thresholds.availabilityDegraded) (findings ??= []).push({ status: 'degraded', reason: availabilityEvidence(figures.appChecks, figures.availability, horizonMinutes) });
  }
  if (figures.appChecks >= thresholds.minChecks && figures.p95Ms !== null && figures.p95Ms > thresholds.appSlowMs && slowJudged(figures.slowAppChecks)) {
    (findings ??= []).push({
      status: 'degraded',
      reason: `app p95 ${durationText(figures.p95Ms)} over the ${durationText(thresholds.appSlowMs)} target (${horizonText(horizonMinutes)}, ${slowCountText(figures.slowAppChecks, figures.appChecks, 'checks')})`,
    });
  }
  if (figures.logons >= Math.min(3, thresholds.minChecks) && figures.logonP95Ms !== null && figures.logonP95Ms > thresholds.logonSlowMs && slowJudged(figures.slowLogons)) {
    (findings ??= []).push({
      status: 'degraded',
      reason: `logon p95 ${durationText(figures.logonP95Ms)} over the ${durationText(thresholds.logonSlowMs)} target (${horizonText(horizonMinutes)}, ${slowCountText(figures.slowLogons, figures.logons, 'logons')})`,
    });
  }
  if ((scope === 'ap' || scope === 'device') && figures.wifiSignalDbm !== null && figures.wifiSignalDbm < thresholds.wifiWeakDbm) {
    (findings ??= []).push({
      status: 'degraded',
      reason: `Wi-Fi signal median ${signalText(figures.wifiSignalDbm)}, below ${signalText(thresholds.wifiWeakDbm)}`,
    });
  }
  // An unsynchronised clock is a fault of the device itself, worth a ticket whatever it measures:
  // degraded (not down — the device still works), named so the service desk sees what to fix.
  if (scope === 'device' && figures.clockSkewMs !== undefined && Math.abs(figures.clockSkewMs) >= thresholds.clockSkewMs) {
    (findings ??= []).push({ status: 'degraded', reason: clockReason(figures.clockSkewMs) });
  }
  if (!findings) {
    // Silent: nothing heard for a while, whatever the horizon still holds — a device, or a whole ward
    // or site (its link or power down, or closed for the night): unknown, saying for how long, rather
    // than OK on figures that are ageing out.
    if (SILENT_SCOPES.has(scope) && silentForMs >= thresholds.silentMs) return silentVerdict(Math.round(silentForMs / 60_000));
    const anyData = figures.appChecks > 0 || figures.logons > 0 || figures.wifiSignalDbm !== null;
    return anyData ? OK : noTelemetryVerdict(horizonMinutes);
  }
  let worst: Health = 'ok';
  for (const finding of findings) if (rank[finding.status] > rank[worst]) worst = finding.status;
  return { status: worst, reason: findings.map((f) => f.reason).join('; ') };
}

/** Scopes judged silent once nothing has been heard from them for `silentMs`. */
const SILENT_SCOPES: ReadonlySet<string> = new Set(['device', 'ward', 'site']);

/**
 * The availability a verdict is judged on: the share that succeeded with one failed check fewer. One
 * failed check never decides a status. Where checks are few, one failure is most of the share: a
 * device's first five checks after a restart or a boot with one failed read 80 %, and after a
 * restart that followed an outage 52 of the demo's devices were listed degraded on one check each
 * (each ~1 failure in 64 checks once the horizon filled: 98.4 %, ok). Two failures in five are still
 * 60 %; where checks are many, one fewer moves the share by a hundredth of a point or less. The reason
 * still gives the share and counts measured.
 */
export function availabilityJudged(checks: number, availability: number): number {
  const failed = Math.round(checks * (1 - availability));
  return failed <= 0 ? availability : (checks - failed + 1) / checks;
}

/**
 * The successful values over the target in a cell or rollup's SLI counts: its "fast" are the
 * successes within the target (the processor counts them by the same thresholds), so the rest of
 * its successes are slow — exact, where a sketch's p95 is within 1 %. The figures' `slowAppChecks`
 * and `slowLogons`, live and in stored history alike.
 */
export function slowOf(counts: { readonly good: number; readonly fast: number }): number {
  return counts.good - counts.fast;
}

/**
 * Whether a p95 over its target is a finding, given how many values were over the target: one slow
 * check (or logon) never decides a status, as one failed check never does (availabilityJudged). Below
 * 20 values a p95 is the slowest one (the nearest rank: ⌈0.95 n⌉ is n), so a single value made it — a
 * device's cold first check after a boot, the one logon of a ward's five that waited on its profile —
 * where a single failure did not; from 20 values on, a p95 over the target is two slow values or more
 * anyway. Figures without the count (a writer before it) are judged on the p95 alone.
 */
export function slowJudged(slow: number | undefined): boolean {
  return slow === undefined || slow >= 2;
}

/**
 * "14 of 212 checks slow": how many of the values were over the target, beside how many there were —
 * whether a p95 over the line is a few stragglers or half the checks. Figures without the count (a
 * writer before it): "212 checks".
 */
function slowCountText(slow: number | undefined, total: number, what: string): string {
  return slow === undefined ? `${countText(total)} ${what}` : `${countText(slow)} of ${countText(total)} ${what} slow`;
}

function availabilityEvidence(checks: number, availability: number, horizonMinutes: number): string {
  const failed = Math.round(checks * (1 - availability));
  return `availability ${shareText(availability)} (${countText(failed)} of ${countText(checks)} checks failed, ${horizonText(horizonMinutes)})`;
}

/** "last 15 min": built once per horizon length, not at every judgement. */
let horizonMinutesCached = NaN;
let horizonTextCached = '';
function horizonText(minutes: number): string {
  if (minutes !== horizonMinutesCached) {
    horizonMinutesCached = minutes;
    horizonTextCached = `last ${minutes} min`;
  }
  return horizonTextCached;
}

/** "no telemetry in the last 15 min": one verdict per horizon length. */
let noTelemetryMinutes = NaN;
let noTelemetry: Verdict = OK;
function noTelemetryVerdict(minutes: number): Verdict {
  if (minutes !== noTelemetryMinutes) {
    noTelemetryMinutes = minutes;
    noTelemetry = { status: 'unknown', reason: `no telemetry in the ${horizonText(minutes)}` };
  }
  return noTelemetry;
}

/**
 * "silent for 12 min": one verdict per whole minute (a silent device is judged again at every window's
 * end until it is forgotten, a day by default). Bounded: a cache past this many minutes starts again.
 */
const SILENT_CACHE_LIMIT = 4096;
const silentVerdicts = new Map<number, Verdict>();
function silentVerdict(minutes: number): Verdict {
  let verdict = silentVerdicts.get(minutes);
  if (!verdict) {
    if (silentVerdicts.size >= SILENT_CACHE_LIMIT) silentVerdicts.clear();
    silentVerdicts.set(minutes, (verdict = { status: 'unknown', reason: `silent for ${minutes} min` }));
  }
  return verdict;
}

/** "clock 5 min ahead of the server", "clock 2.5 min behind the server"; past 5 min, what it breaks. */
export function clockReason(skewMs: number): string {
  const kerberos = Math.abs(skewMs) > 5 * 60_000 ? ' (Kerberos refuses logons past 5 min)' : '';
  return `clock ${clockSkewText(skewMs)}${skewMs > 0 ? ' of' : ''} the server${kerberos}`;
}
