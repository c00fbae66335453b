import { describe, expect, it } from 'vitest';
import type { ScopeStatus, SiteSummary, SloAlert } from '@wardwatch/schema';
import { AlertBook } from '@wardwatch/slo';
import type { RollupStore } from '@wardwatch/store';
import { StatusBoard } from '../status-board.ts';
import { siteRoutes } from './sites.ts';

const figures = { appChecks: 10, p50Ms: 300, p95Ms: 800, p99Ms: 1200, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
function status(key: string, site: string): ScopeStatus {
  const [scope, id] = key.split(/:(.*)/s) as [ScopeStatus['scope'], string];
  return { key, scope, id, trust: 'RXX', site, status: 'ok', reason: '', figures, since: 0, asOf: 1000 };
}
const alert = (scope: string, status: SloAlert['status']): SloAlert => ({
  fingerprint: `site-logon-latency${scope}page`, slo: 'site-logon-latency', scope, severity: 'page', status, indicator: 'logon', objective: 0.95,
  startsAt: 0, endsAt: status === 'resolved' ? 500 : null, updatedAt: 0, rules: [], errorBudgetRemaining: 0.5, summary: '', silencedBy: null, notifiedAt: null, assignment: null,
});

describe('GET /sites', () => {
  it('lists every site — reported or only in the directory, not its devices — with its firing alerts and none of the resolved', async () => {
    const board = new StatusBoard(new Map([['S3', { name: 'Three', trust: 'RXX' }]]));
    board.applyAll([status('site:S1', 'S1'), status('device:S1-D1', 'S1'), status('site:S2', 'S2'), status('device:S2-D1', 'S2')]);
    const book = new AlertBook({}, { firing: [alert('site:S1', 'firing')], resolved: [alert('site:S2', 'resolved')], silences: [] });
    const app = siteRoutes({ board, store: {} as RollupStore, slos: { book, now: () => 1000 } });

    const sites = (await (await app.request('/sites')).json()) as SiteSummary[];

    expect(sites.map((s) => [s.id, s.status, s.alerts])).toEqual([
      ['S1', 'degraded', { page: 1, ticket: 0, slos: ['site-logon-latency'] }],
      ['S3', 'unknown', { page: 0, ticket: 0, slos: [] }],
      ['S2', 'ok', { page: 0, ticket: 0, slos: [] }],
    ]);
  });
});
