// GET /api/sites, /api/sites/:id, /api/devices and /api/causes: the live picture from the status board, with
// history for the charts from the store.
import { Hono } from 'hono';
import { HEALTH_STATES, type CauseSummary, type Health, type ScopeDetail, type SiteDetail, type SiteSummary } from '@wardwatch/schema';
import type { AnnotationStore, RollupStore } from '@wardwatch/store';
import { appResponseSeries } from '../series.ts';
import { trustOfScope } from '../auth/trust-gate.ts';
import { trustScopeOf } from '../auth/trust-scope.ts';
import { alertsBySite, sitesWithAlerts, siteStatusWithAlerts, withAlerts } from '../site-alerts.ts';
import type { MaintenanceNow } from '../maintenance-now.ts';
import type { SloEvaluator } from '../slo-evaluator.ts';
import type { StatusBoard } from '../status-board.ts';
import { UPTIME_LIMITS, uptimeHistory, type UptimePeriodKind } from '../uptime-history.ts';
import type { StatusThresholds } from '@wardwatch/status-rules';

export interface SiteRoutesOptions {
  board: StatusBoard;
  store: RollupStore;
  /** How much history the site page's charts show by default. */
  chartSpanMs?: number;
  /** When present, each site carries its firing SLO alerts, and a firing page raises an OK site (site-alerts.ts). */
  slos?: Pick<SloEvaluator, 'book' | 'now'>;
  /** The server's event-time clock (the simulated one in demo mode), for the uptime history. */
  clock?: () => number;
  /** The processor's status thresholds, which judge the uptime history's periods (default: the processor's defaults). */
  thresholds?: StatusThresholds;
  /** Where recorded maintenance windows are kept: the uptime history names them in its periods. */
  annotations?: AnnotationStore;
  /** The recorded maintenance windows open now: each site in one carries them (`maintenance`). */
  maintenance?: Pick<MaintenanceNow, 'mark' | 'markCauses'>;
}

/**
 * The firing alerts, each held or not as of now (as GET /api/alerts says), or undefined when no SLOs
 * are evaluated. The firing list alone: the book's whole view (toJSON) also copies a day of resolved
 * alerts and the silences, which every read of the site list (each /api/sites, each stream's site
 * list) then threw away.
 */
export const firingAlerts = (slos: Pick<SloEvaluator, 'book' | 'now'> | undefined) => slos?.book.firing(slos.now());

/**
 * Every site's summary with its firing alerts and its maintenance windows open now, worst first: GET
 * /api/sites before trust scoping, the live stream's site lists, /metrics and the dashboard page's first frame.
 */
export function siteList(board: Pick<StatusBoard, 'sites'>, slos: Pick<SloEvaluator, 'book' | 'now'> | undefined, maintenance?: Pick<MaintenanceNow, 'mark'>): SiteSummary[] {
  const sites = sitesWithAlerts(board.sites(), firingAlerts(slos));
  return maintenance ? maintenance.mark(sites) : sites;
}

/**
 * The likely causes a caller sees (from their trusts' scopes only: a shared culprit counts only what
 * they see), each with the sites it is felt at that are in planned maintenance now: GET /api/causes
 * and the dashboard page's first frame.
 */
export function causeList(board: Pick<StatusBoard, 'causes' | 'get' | 'siteSummary'>, sees: (trust: string) => boolean, maintenance?: Pick<MaintenanceNow, 'markCauses'>): CauseSummary[] {
  const causes = board.causes((status) => sees(status.trust));
  return maintenance ? maintenance.markCauses(causes, (site) => trustOfScope(board, `site:${site}`)) : causes;
}

const MAX_CHART_SPAN_MS = 31 * 86_400_000;

/** The chart span from ?hours= (the page's time-range picker), the default without it, or the error to answer. */
function chartSpan(hoursParam: string | undefined, defaultMs: number): number | string {
  if (hoursParam === undefined) return defaultMs;
  const hours = Number(hoursParam);
  if (!Number.isFinite(hours) || hours <= 0 || hours * 3_600_000 > MAX_CHART_SPAN_MS) {
    return `hours must be a number between 0 and ${MAX_CHART_SPAN_MS / 3_600_000}`;
  }
  return hours * 3_600_000;
}

export function siteRoutes({ board, store, chartSpanMs = 6 * 3_600_000, slos, clock = Date.now, thresholds, annotations, maintenance }: SiteRoutesOptions): Hono {
  const app = new Hono();

  app.get('/sites', (c) => c.json(siteList(board, slos, maintenance)));

  app.get('/sites/:id', async (c) => {
    const id = c.req.param('id');
    const boardSummary = board.siteSummary(id);
    if (!boardSummary) return c.json({ error: `no site with id "${id}"` }, 404);
    const firing = firingAlerts(slos);
    const alerted = firing ? withAlerts(boardSummary, alertsBySite(firing).get(id)) : boardSummary;
    const summary = maintenance ? maintenance.mark([alerted])[0]! : alerted;
    const span = chartSpan(c.req.query('hours'), chartSpanMs);
    if (typeof span === 'string') return c.json({ error: span }, 400);
    const to = (summary.asOf || board.asOf() || Date.now()) + 1;
    const detail: SiteDetail = {
      ...summary,
      wards: board.within(id, 'ward'),
      devices: board.within(id, 'device'),
      accessPoints: board.within(id, 'ap'),
      applications: board.within(id, 'app'),
      series: await appResponseSeries(store, `site:${id}`, to - span, to),
    };
    return c.json(detail);
  });

  // The last N hours (default 24) or days, each judged by the status rules: the site page's strip.
  app.get('/sites/:id/uptime', async (c) => {
    const id = c.req.param('id');
    const summary = board.siteSummary(id);
    if (!summary) return c.json({ error: `no site with id "${id}"` }, 404);
    const period = (c.req.query('period') ?? 'hour') as UptimePeriodKind;
    if (period !== 'hour' && period !== 'day') return c.json({ error: `period must be hour or day; got "${period}"` }, 400);
    const countParam = c.req.query('count');
    const count = countParam === undefined ? (period === 'hour' ? 24 : 90) : Number(countParam);
    if (!/^\d+$/.test(countParam ?? String(count)) || count < 1 || count > UPTIME_LIMITS[period]) {
      return c.json({ error: `count must be a whole number from 1 to ${UPTIME_LIMITS[period]} for period=${period}; got "${countParam}"` }, 400);
    }
    return c.json(await uptimeHistory(store, id, { period, count, now: clock(), thresholds }, annotations && { store: annotations, trust: summary.trust }));
  });

  app.get('/causes', (c) => {
    const trusts = trustScopeOf(c);
    return c.json(causeList(board, (trust) => trusts.sees(trust), maintenance));
  });

  // A ward, access point, device or site application: its status, history and members.
  app.get('/scopes/:key{.+}', async (c) => {
    const key = c.req.param('key');
    const boardStatus = board.get(key);
    // A site's status as the site list gives it: raised by a page firing on it (one truth).
    const firing = boardStatus?.scope === 'site' ? firingAlerts(slos) : undefined;
    const status = boardStatus && firing ? siteStatusWithAlerts(boardStatus, alertsBySite(firing).get(boardStatus.id)) : boardStatus;
    if (!status || !trustScopeOf(c).sees(status.trust)) return c.json({ error: `no scope "${key}": keys look like ward:RXX01/W03, ap:3c:a8:2a:10:00:9a, device:RXX01-W03-D07 or app:RXX01/epr` }, 404);
    const site = status.site ?? '';
    const inSite = (kind: 'device' | 'ap') => board.within(site, kind);
    const devices =
      status.scope === 'ward' ? inSite('device').filter((d) => d.ward === status.ward)
      : status.scope === 'ap' ? inSite('device').filter((d) => d.ap === status.id)
      : [];
    const accessPoints = status.scope === 'ward' ? inSite('ap').filter((a) => a.ward === status.ward) : [];
    const to = (status.asOf || board.asOf() || Date.now()) + 1;
    // Devices are stored hourly (the bulk of all scopes): two days of hours; the rest by the minute.
    const device = status.scope === 'device';
    const span = chartSpan(c.req.query('hours'), device ? 48 * 3_600_000 : chartSpanMs);
    if (typeof span === 'string') return c.json({ error: span }, 400);
    const rollupScope = status.scope === 'app' ? `siteapp:${status.id}` : key;
    const detail: ScopeDetail = {
      status,
      siteName: board.siteSummary(site)?.name ?? site,
      series: await appResponseSeries(store, rollupScope, to - span, to, device ? '1h' : undefined),
      devices,
      accessPoints,
    };
    return c.json(detail);
  });

  app.get('/devices', (c) => {
    const param = c.req.query('status');
    let states: Health[] | undefined;
    if (param !== undefined) {
      states = param.split(',') as Health[];
      const unknown = states.filter((s) => !HEALTH_STATES.includes(s));
      if (unknown.length > 0) {
        return c.json({ error: `status must be one or more of ${HEALTH_STATES.join(', ')} (comma-separated); got ${unknown.join(', ')}` }, 400);
      }
    }
    const trusts = trustScopeOf(c);
    return c.json(board.list('device', states).filter((d) => trusts.sees(d.trust)));
  });

  return app;
}
