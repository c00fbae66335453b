import { describe, expect, it } from 'vitest';
import type { SiteSummary, SloAlert } from '@wardwatch/schema';
import { alertsBySite, sitesWithAlerts, withAlerts } from './site-alerts.ts';

const site = (id: string, status: SiteSummary['status'], reason = ''): SiteSummary => ({
  id, name: `Site ${id}`, trust: 'RXX', status, reason, p95Ms: 400, availability: 1, logonP95Ms: 20_000, appChecks: 50, asOf: 1,
});
const alert = (scope: string, slo: string, severity: SloAlert['severity']): SloAlert => ({
  fingerprint: `${slo}${scope}${severity}`, slo, scope, severity, status: 'firing', indicator: 'logon', objective: 0.95,
  startsAt: 0, endsAt: null, updatedAt: 0, rules: [], errorBudgetRemaining: 0.5, summary: '', silencedBy: null, notifiedAt: null, assignment: null,
});

describe('alertsBySite', () => {
  it('counts firing alerts per site by severity, pages first in the SLO list, and ignores trust and application scopes', () => {
    const by = alertsBySite([
      alert('site:S1', 'site-app-latency', 'ticket'),
      alert('site:S1', 'site-logon-latency', 'page'),
      alert('site:S1', 'site-logon-latency', 'ticket'),
      alert('trust', 'site-app-latency', 'page'),
      alert('app:epr', 'app-availability', 'page'),
    ]);
    expect([...by.keys()]).toEqual(['S1']);
    expect(by.get('S1')).toEqual({ page: 1, ticket: 2, slos: ['site-logon-latency', 'site-app-latency'] });
  });

  it('counts the acknowledged (silenced) ones beside them, which still count by severity', () => {
    const by = alertsBySite([{ ...alert('site:S1', 'site-logon-latency', 'page'), silencedBy: 'sil-1' }, alert('site:S1', 'site-app-latency', 'ticket')]);
    expect(by.get('S1')).toEqual({ page: 1, ticket: 1, slos: ['site-logon-latency', 'site-app-latency'], acknowledged: 1, acknowledgedPages: 1 });
    expect(withAlerts(site('S1', 'ok'), by.get('S1')).status).toBe('degraded');
  });

  it('counts those planned work holds (silenceKind maintenance) as planned, not acknowledged: booked work is not someone on it', () => {
    const held = (a: SloAlert, silencedBy: string, silenceKind: SloAlert['silenceKind']): SloAlert => ({ ...a, silencedBy, silenceKind });
    const by = alertsBySite([
      held(alert('site:S1', 'site-logon-latency', 'page'), 'maint-1', 'maintenance'),
      held(alert('site:S1', 'site-app-latency', 'page'), 'sil-1', 'silence'),
      held(alert('site:S1', 'site-app-latency', 'ticket'), 'maint-2', 'maintenance'),
      alert('site:S2', 'site-app-latency', 'ticket'),
    ]);
    expect(by.get('S1')).toEqual({ page: 2, ticket: 1, slos: ['site-app-latency', 'site-logon-latency'], acknowledged: 1, acknowledgedPages: 1, planned: 2, plannedPages: 1 });
    expect(by.get('S2')).toEqual({ page: 0, ticket: 1, slos: ['site-app-latency'] });
    // Still firing: a page held for planned work still raises the site.
    expect(withAlerts(site('S1', 'ok'), by.get('S1')).status).toBe('degraded');
  });
});

describe('held alerts on the site', () => {
  const held = (a: SloAlert): SloAlert => ({ ...a, clearingSince: 1_000 });
  it.each([
    {
      name: 'a held page alone: still raises the site (it fires in GET /api/alerts), worded as held, not burning',
      firing: [held(alert('site:S1', 'site-logon-latency', 'page'))],
      reason: /^SLO site-logon-latency paged and is held firing: its burn is below the thresholds, and it resolves if it stays there 10 min$/,
      counts: { page: 1, ticket: 0, slos: ['site-logon-latency'], held: { page: 1, ticket: 0, slos: ['site-logon-latency'] } },
    },
    {
      name: 'a burning page beside a held one: the burning one named',
      firing: [alert('site:S1', 'site-app-latency', 'page'), held(alert('site:S1', 'site-logon-latency', 'page'))],
      reason: /^SLO site-app-latency is burning its error budget fast enough to page$/,
      counts: { page: 2, ticket: 0, slos: ['site-logon-latency', 'site-app-latency'], held: { page: 1, ticket: 0, slos: ['site-logon-latency'] } },
    },
  ])('$name', ({ firing, reason, counts }) => {
    const by = alertsBySite(firing);
    expect(by.get('S1')).toEqual(counts);
    const shown = withAlerts(site('S1', 'ok'), by.get('S1'));
    expect(shown.status).toBe('degraded');
    expect(shown.reason).toMatch(reason);
  });
});

describe('withAlerts', () => {
  it.each<[SiteSummary['status'], number, number, SiteSummary['status']]>([
    ['ok', 1, 0, 'degraded'],
    ['unknown', 1, 0, 'degraded'],
    ['ok', 0, 2, 'ok'],
    ['degraded', 1, 0, 'degraded'],
    ['down', 1, 1, 'down'],
  ])('%s with %i page(s) and %i ticket(s) → %s', (status, page, ticket, expected) => {
    const shown = withAlerts(site('S1', status, status === 'ok' ? '' : 'app p95 3 s'), { page, ticket, slos: ['site-logon-latency'] });
    expect(shown.status).toBe(expected);
    expect(shown.alerts).toEqual({ page, ticket, slos: ['site-logon-latency'] });
    if (status === 'ok' && page > 0) expect(shown.reason).toMatch(/^SLO site-logon-latency is burning/);
    if (status === 'degraded' || status === 'down') expect(shown.reason).toBe('app p95 3 s');
  });

  it('gives a site without alerts zero counts', () => {
    expect(withAlerts(site('S1', 'ok'), undefined).alerts).toEqual({ page: 0, ticket: 0, slos: [] });
  });
});

describe('sitesWithAlerts', () => {
  it('re-sorts worst first once a page has raised a site, and leaves summaries alone without an evaluator', () => {
    const sites = [site('A', 'degraded', 'x'), site('B', 'ok'), site('C', 'ok')];
    expect(sitesWithAlerts(sites, [alert('site:C', 'site-logon-latency', 'page')]).map((s) => `${s.id}:${s.status}`)).toEqual(['A:degraded', 'C:degraded', 'B:ok']);
    expect(sitesWithAlerts(sites, undefined)).toEqual(sites);
  });
});
