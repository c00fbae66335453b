// A real wardwatch server (createApp + listen) serving a large estate without a pipeline: a
// StatusBoard fed one status per site, a SQLite store holding logon rollups that make some OK sites
// burn their logon SLO, and the real SLO evaluator run over them. For the dashboard at scale.
import { DEFAULT_SLOS } from '@wardwatch/slo';
import { createApp, createMetrics, listen, SloEvaluator, StatusBoard, type RunningServer, type SiteInfo } from '@wardwatch/server';
import { dashboardDistDir } from '@wardwatch/dashboard';
import { openStore, type RollupRecord, type RollupStore } from '@wardwatch/store';
import { encodeValues } from '@wardwatch/sketch';
import type { Health, ScopeStatus } from '@wardwatch/schema';

export interface EstateServer {
  url: string;
  board: StatusBoard;
  store: RollupStore;
  /** Expected statuses by site id, as the grid must show them (pages already raised to degraded). */
  expected: Map<string, Health>;
  /** OK sites whose logon SLO pages. */
  paging: string[];
  /** Sites that have sent nothing for 10 minutes. */
  silent: string[];
  /** The site with six hours of application history, a half-hour gap in it. */
  charted: string;
  /** The status the charted site's uptime history must give the hour starting at `hourStart` (epoch ms). */
  uptimeAt(hourStart: number): Health;
  stop(): Promise<void>;
}

const TRUSTS = ['RA1', 'RB2', 'RC3', 'RD4', 'RE5'];
const TYPES = ['Acute hospital', 'Community hospital', 'Mental health unit', 'Clinic'];
const AREAS = ['North', 'South', 'East', 'West', 'Central'];

/** Deterministic status of site i: 2 % down, 6 % degraded, 1 % unknown, the rest OK. */
export function estateStatus(i: number): Health {
  if (i % 50 === 0) return 'down';
  if (i % 50 <= 3) return 'degraded';
  if (i % 100 === 7) return 'unknown';
  return 'ok';
}

export const siteId = (i: number) => `S${String(i).padStart(4, '0')}`;

export async function startEstateServer(options: { sites?: number; now?: () => number; /** Another build of the dashboard to serve (a benchmark's comparison). */ dashboardDir?: string; /** False: the page as built, without the server's first frame (a build from before it). */ firstFrame?: boolean } = {}): Promise<EstateServer> {
  const n = options.sites ?? 1000;
  const clock = options.now ?? Date.now;
  const t = clock();
  const directory = new Map<string, SiteInfo>();
  const statuses: ScopeStatus[] = [];
  const expected = new Map<string, Health>();
  const paging: string[] = [];
  const silent: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = siteId(i);
    const trust = TRUSTS[i % TRUSTS.length]!;
    directory.set(id, { name: `Site ${id} ${AREAS[i % AREAS.length]}`, trust, type: TYPES[i % TYPES.length]!, area: AREAS[(i >> 2) % AREAS.length]! });
    const status = estateStatus(i);
    const isSilent = status === 'ok' && i % 250 === 11;
    if (isSilent) silent.push(id);
    const pages = status === 'ok' && !isSilent && i % 125 === 9;
    if (pages) paging.push(id);
    expected.set(id, pages ? 'degraded' : status);
    statuses.push({
      key: `site:${id}`, scope: 'site', id, trust, site: id, status,
      reason: status === 'down' ? 'no application check succeeded (15 min, 40 checks)' : status === 'degraded' ? 'app p95 3.40 s over the 2.0 s target (15 min, 60 checks)' : status === 'unknown' ? 'silent for 20 min' : '',
      // A down site's checks all failed: no response time to show (failed checks are not timed), as the processor gives it.
      figures:
        status === 'down'
          ? { appChecks: 40, p50Ms: null, p95Ms: null, p99Ms: null, availability: 0, logons: 12, logonP95Ms: 21_000, wifiSignalDbm: -58 }
          : { appChecks: 60, p50Ms: 400, p95Ms: status === 'degraded' ? 3400 : 900, p99Ms: 1500, availability: 0.999, logons: 12, logonP95Ms: 21_000, wifiSignalDbm: -58 },
      since: t - 3_600_000,
      asOf: isSilent ? t - 10 * 60_000 : t,
    });
  }
  // Three sites' wards with causes found (six: more than the causes panel lists, CAUSES_SHOWN).
  for (const i of [1, 2, 3]) statuses.push(...degradedWard(siteId(i), TRUSTS[i % TRUSTS.length]!, t));
  const board = new StatusBoard(directory);
  board.applyAll(statuses);

  // Logon rollups for the last 80 minutes: the paging sites' logons mostly slow (a fast burn), a few
  // OK sites' logons fast, so the evaluator pages on the first and stays quiet on the second.
  const store = await openStore('sqlite::memory:');
  const records: RollupRecord[] = [];
  const minute = t - (t % 60_000);
  const quiet = [siteId(5), siteId(6)];
  for (const [id, fast] of [...paging.map((p) => [p, 2] as const), ...quiet.map((q) => [q, 20] as const)]) {
    for (let m = 80; m >= 4; m--) {
      records.push({ scope: `site:${id}`, metric: 'logon.totalMs', resolution: '1m', start: minute - m * 60_000, count: 0, valid: 20, good: 20, fast, sketch: new Uint8Array() });
    }
  }
  // Four weeks of good logons by the hour before the paging sites' last 80 minutes: their page fires
  // on a budget still mostly left, as at a trust whose logons went bad this morning (the SLO page must
  // say it burns, not that it is healthy), and the longer windows' tickets stay quiet.
  const HOUR = 3_600_000;
  for (const id of paging) {
    for (let h = 28 * 24; h >= 1; h--) {
      const start = minute - (minute % HOUR) - h * HOUR;
      if (start + HOUR > minute - 80 * 60_000) continue;
      records.push({ scope: `site:${id}`, metric: 'logon.totalMs', resolution: '1h', start, count: 0, valid: 1200, good: 1200, fast: 1200, sketch: new Uint8Array() });
    }
  }
  // Six hours of application checks at the first quiet site, with nothing stored for the half hour
  // from two hours ago (a gap the charts must show as one).
  for (let m = 360; m >= 4; m--) {
    const start = minute - m * 60_000;
    if (m <= 120 && m > 90) continue;
    const values = Array.from({ length: 12 }, (_, k) => 300 + ((m * 37 + k * 101) % 900));
    records.push({ scope: `site:${quiet[0]}`, metric: 'app.totalMs', resolution: '1m', start, count: values.length, valid: 12, good: 12, fast: 12, sketch: encodeValues(values) });
  }
  // A day of hourly rollups there too: one hour down (8 h ago), one degraded (11 h ago), two with
  // nothing stored (14 and 15 h ago); all over six hours ago, past every alerting rule's short window,
  // so no alert fires for them. The hour under way is read from the minutes above.
  const hour = t - (t % HOUR);
  const hourly = new Map<number, Health>();
  for (let h = 23; h >= 1; h--) {
    if (h === 14 || h === 15) continue;
    const failed = h === 8 ? 40 : h === 11 ? 3 : 0;
    const values = Array.from({ length: 60 - failed }, (_, k) => 300 + ((h * 37 + k * 101) % 900));
    records.push({ scope: `site:${quiet[0]}`, metric: 'app.totalMs', resolution: '1h', start: hour - h * HOUR, count: 60, valid: 60, good: 60 - failed, fast: 60 - failed, sketch: encodeValues(values) });
    hourly.set(hour - h * HOUR, failed === 40 ? 'down' : failed > 0 ? 'degraded' : 'ok');
  }
  const minutes = records.filter((r) => r.scope === `site:${quiet[0]}` && r.metric === 'app.totalMs' && r.resolution === '1m').map((r) => r.start);
  // An hour without its hourly rollup is read from its minutes (all of them good checks).
  const uptimeAt = (start: number): Health => hourly.get(start) ?? (minutes.some((m) => m >= start && m < start + HOUR) ? 'ok' : 'unknown');
  await store.write(records);
  // The degraded hour's half hour of planned work, recorded: the strip marks the hour and names it.
  await store.addAnnotation({ id: 'estate-maintenance', trust: TRUSTS[5 % TRUSTS.length]!, scope: `site:${quiet[0]}`, kind: 'maintenance', title: 'Core switch upgrade', start: hour - 11 * HOUR + 10 * 60_000, end: hour - 11 * HOUR + 40 * 60_000, createdAt: t });
  const metrics = createMetrics(board, { defaultMetrics: false });
  const slos = new SloEvaluator({ store, slos: DEFAULT_SLOS, clock, metrics, settleMs: 0, intervalMs: 3_600_000 });
  await slos.evaluateNow();
  const app = createApp({ board, store, metrics, slos, clock, dashboardDir: options.dashboardDir ?? dashboardDistDir, dashboardFirstFrame: options.firstFrame, annotations: store, logError: () => {} });
  const server: RunningServer = await listen(app, { port: 0, host: '127.0.0.1' });
  let stopped = false;
  return {
    url: server.url,
    board,
    store,
    expected,
    paging,
    silent,
    charted: quiet[0]!,
    uptimeAt,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await slos.stop();
      await store.close();
    },
  };
}

/**
 * One ward at a degraded site, built so that the board's own attribution finds both kinds of cause the
 * degraded-devices view groups: four devices on a failing access point (a shared cause: the other
 * access point's devices are fine) and one slow device among healthy neighbours (its own fault).
 */
export function degradedWard(site: string, trust: string, t: number): ScopeStatus[] {
  const octet = site.slice(-2); // one pair of access points a site (a BSSID is unique across the estate)
  const [failing, healthy] = [`3c:a8:2a:ee:${octet}:01`, `3c:a8:2a:ee:${octet}:02`];
  const figures = (p95Ms: number) => ({ appChecks: 60, p50Ms: p95Ms / 2, p95Ms, p99Ms: p95Ms * 1.2, availability: 0.999, logons: 0, logonP95Ms: null, wifiSignalDbm: -60 });
  const scope = (key: string, kind: ScopeStatus['scope'], id: string, p95Ms: number, extra: Partial<ScopeStatus> = {}): ScopeStatus => ({
    key, scope: kind, id, trust, site, ward: 'W01', status: p95Ms > 2000 ? 'degraded' : 'ok',
    reason: p95Ms > 2000 ? `app p95 ${(p95Ms / 1000).toFixed(1)} s over the 2.0 s target (last 15 min, 60 checks)` : '',
    // As of the last window's end, half a minute before the site's figures (which move with every check).
    figures: figures(p95Ms), since: t - 600_000, asOf: t - 30_000, ...extra,
  });
  const device = (n: number, ap: string, p95Ms: number) => {
    const id = `${site}-W01-D${String(n).padStart(2, '0')}`;
    return scope(`device:${id}`, 'device', id, p95Ms, { ap });
  };
  return [
    scope(`ward:${site}/W01`, 'ward', `${site}/W01`, 2600),
    scope(`ap:${failing}`, 'ap', failing, 4600),
    scope(`ap:${healthy}`, 'ap', healthy, 600),
    ...[1, 2, 3, 4].map((n) => device(n, failing, 4500 + n * 50)),
    ...[5, 6, 7, 8, 9, 10].map((n) => device(n, healthy, 550 + n * 10)),
    device(11, healthy, 5200),
  ];
}
