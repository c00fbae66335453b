// Where the pack's figures legitimately differ from the same facts read elsewhere for the same
// period — the SLOs (/api/slos and their budgets), /api/sites and /api/export — and why. A reader
// who checks the pack against the live system finds each difference explained here.
import { signalText, type EvidenceMethod } from '@wardwatch/schema';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '@wardwatch/status-rules';
import type { PackContext } from './pack-context.ts';

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export type EvidenceDifference = EvidenceMethod['differences'][number];

/** `incidents`: whether they are listed (the store keeps alert history), and how many were left out with small sites. */
export function differencesOf(ctx: PackContext, incidents: { listed: boolean; leftOut: number } = { listed: false, leftOut: 0 }, thresholds: StatusThresholds = DEFAULT_THRESHOLDS): EvidenceDifference[] {
  const { period } = ctx.inputs;
  const out: EvidenceDifference[] = [];
  const windows = ctx.maintenance.filter((w) => w.to > period.from && w.from < period.to);
  if (windows.length > 0) {
    const where = windows.map((w) => `${w.label}${w.site === undefined ? ', every site' : `, site ${w.site}`}`).join('; ');
    out.push({
      topic: 'maintenance',
      statement: `The SLOs (/api/slos and their budgets), /api/sites and /api/export count every hour; this pack leaves out the ${ctx.maintenanceHours} ${ctx.maintenanceHours === 1 ? 'hour' : 'hours'} overlapping the maintenance windows (${where}), whole hours at the sites each names, so its counts there are lower by the events of those hours.`,
    });
  }
  // A month not over: the pack holds whole hours only, while the live figures count the one in progress.
  const { figuresTo } = ctx.inputs;
  if (figuresTo < period.to) {
    out.push({
      topic: 'month so far',
      statement: `The month is not over: this pack counts the whole hours up to ${LONDON_TIME.format(figuresTo)} (London time). The hour in progress, which /api/sites and the SLOs already count, is not in it, nor are the alerts that fired in it; a pack asked for after the month ends counts every hour.`,
    });
  }
  const sites = ctx.suppressed.filter((s) => s.scope.startsWith('site:'));
  if (sites.length > 0) {
    const names = sites.map((s) => `${s.name} (${s.scope}, ${s.devices} ${s.devices === 1 ? 'device' : 'devices'})`).join(', ');
    out.push({
      topic: 'small sites',
      statement: `${names} ${sites.length === 1 ? 'has' : 'have'} fewer than ${ctx.config.minDevices} devices: left out of the site, ward and application tables, but counted in the trust's totals (time lost, the trust's logons, the trend). The SLOs count ${sites.length === 1 ? 'it' : 'them'} too: an SLO across sites (an application's availability, app-availability) includes ${sites.length === 1 ? 'its' : 'their'} events, and ${sites.length === 1 ? 'its' : 'their'} own per-site SLOs have no row here.`,
    });
  }
  if (incidents.listed) {
    out.push({
      topic: 'incidents',
      statement: `Incidents are every SLO alert firing at any time in the month as the server recorded it firing and resolving; GET /api/alerts lists those firing now and those resolved in the last day only.${incidents.leftOut > 0 ? ` ${incidents.leftOut} ${incidents.leftOut === 1 ? 'alert' : 'alerts'} of sites left out of the tables ${incidents.leftOut === 1 ? 'is' : 'are'} not listed.` : ''}`,
    });
  }
  if (ctx.config.wifi.goodDbm !== thresholds.wifiWeakDbm) {
    out.push({
      topic: 'two Wi-Fi lines',
      statement: `The Wi-Fi section counts good signal at ${signalText(ctx.config.wifi.goodDbm)} or better (the pack's settings, a design target), read from the stored sketches; the experience score's Wi-Fi component and disruption-free time count samples at ${signalText(thresholds.wifiWeakDbm)} or better (the processor's status threshold, as the live statuses judge access points), so the two shares of one site differ.`,
    });
  }
  out.push({
    topic: 'shares over a target',
    statement: 'Shares over a target here are read from the stored sketches (1 % relative accuracy; the bin a target cuts is apportioned); the SLOs count each event against the processor\'s threshold as it arrives. The two can differ by the share of events within 1 % of the target.',
  });
  out.push({
    topic: 'SLO windows',
    statement: `This pack covers the calendar month in London time (${period.hours} hours); an SLO's figures cover its rolling window (28 days by default) up to its last evaluation, so they count the same events only for a window that is this month.`,
  });
  return out;
}
