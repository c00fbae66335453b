// The evidence pack against the running server's other answers for the same period: a simulated
// trust's November written into the store as the processor writes it (hourly rollups of every scope),
// the server's SLO evaluator stepped through the month on a clock the test sets (no timer, no
// accelerated wall clock), then the same facts read from GET /api/reports, /api/sites, /api/export,
// /api/slos, /api/slos/:slo/budget and /api/alerts. Where a figure legitimately differs — maintenance
// left out of the pack, a site of 3 devices left out of its tables, shares read from sketches — the
// pack says why, and the test checks both the statement and the arithmetic behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePack, type ScopeStatus, type SloSummary } from '@wardwatch/schema';
import { DEFAULT_SLOS } from '@wardwatch/slo';
import { mergeRollups } from '@wardwatch/sketch';
import { SqliteRollupStore } from '@wardwatch/store';
import { createApp, createMetrics, SloEvaluator, StatusBoard } from '@wardwatch/server';
import { londonMonth } from '@wardwatch/evidence';
import { trustDirectory, writeTrust, type WrittenTrust } from './helpers/evidence-trust.ts';
import { alertSteps, type AlertSteps } from './helpers/alert-steps.ts';

const HOUR = 3_600_000;
const NOV = londonMonth('2026-11'); // GMT all month: 720 hours, 30 days
// Maintenance recorded at S1 on 18 November 10:00–12:00 UTC; S1's logons are terrible then.
const MAINT = { from: Date.UTC(2026, 10, 18, 10), to: Date.UTC(2026, 10, 18, 12) };
// EPR down at S2 on 10 November 10:00–12:00 UTC: every check there fails.
const OUTAGE = { from: Date.UTC(2026, 10, 10, 10), to: Date.UTC(2026, 10, 10, 12) };
// The SLOs as shipped, over 30 days (the SRE workbook's window): evaluated at 1 December 00:00 their
// window is November.
const SLOS = DEFAULT_SLOS.map((s) => ({ ...s, timeWindow: { ...s.timeWindow, duration: '30d' } }));

let store: SqliteRollupStore;
let written: WrittenTrust;
let app: ReturnType<typeof createApp>;
let slos: SloEvaluator;
let pack: EvidencePack;
let clockAt = NOV.from;
/** Every alert /api/alerts showed while the month was stepped through. */
let steps: AlertSteps;

const get = async <T>(path: string): Promise<T> => {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as T) : ((await res.text()) as T);
};
const inMaintenance = (start: number) => start >= MAINT.from && start < MAINT.to;

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  written = await writeTrust(store, {
    from: NOV.from,
    to: NOV.to,
    s1LogonMedianMs: () => 27_000,
    badHours: inMaintenance,
    appDown: (site, application, start) => site === 'S2' && application === 'epr' && start >= OUTAGE.from && start < OUTAGE.to,
    seed: 11,
  });
  const board = new StatusBoard(new Map(trustDirectory().sites.map((s) => [s.id, { name: s.name!, trust: 'RXX' }])));
  // The live picture as of the month's end (what /api/sites lists and /api/sites/:id charts up to).
  board.applyAll(
    trustDirectory().sites.map((s): ScopeStatus => ({ key: `site:${s.id}`, scope: 'site', id: s.id, trust: 'RXX', site: s.id, status: 'ok', reason: '', figures: { appChecks: 0, p50Ms: null, p95Ms: null, p99Ms: null, availability: null, logons: 0, logonP95Ms: null, wifiSignalDbm: null }, since: NOV.from, asOf: NOV.to - 1 })),
  );
  const metrics = createMetrics(board, { defaultMetrics: false });
  const clock = () => clockAt;
  slos = new SloEvaluator({ store, slos: SLOS, clock, metrics, alertHistory: store });
  const directory = trustDirectory();
  app = createApp({ board, store, metrics, slos, annotations: store, clock, evidenceDirectory: () => directory });
  // The trust records its maintenance window through the API, as an operator would.
  const recorded = await app.request('/api/annotations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ trust: 'RXX', scope: 'site:S1', kind: 'maintenance', title: 'Core switch upgrade', start: new Date(MAINT.from).toISOString(), end: new Date(MAINT.to).toISOString() }),
  });
  expect(recorded.status).toBe(201);

  // The month, evaluated every two hours as of that instant; the alerts shown after each step kept.
  steps = alertSteps((path) => Promise.resolve(app.request(path)), (ms) => (clockAt = ms));
  await steps.run(slos, NOV.from, NOV.to, 2 * HOUR);
  pack = EvidencePack.parse(await get('/api/reports/RXX/2026-11'));
}, 300_000);

afterAll(async () => {
  await slos?.stop();
  await store?.close();
});

/** /api/export's rows for a scope and metric over November, parsed. */
async function exported(scope: string, metric: string): Promise<Array<{ start: number; count: number; valid: number; good: number; fast: number; p95: number | null }>> {
  const csv = await get<string>(`/api/export?scope=${encodeURIComponent(scope)}&metric=${metric}&from=${NOV.from}&to=${NOV.to}`);
  const [header, ...lines] = csv.trim().split('\r\n');
  const cols = header!.split(',');
  return lines.map((line) => {
    const f = line.split(',');
    const n = (name: string) => Number(f[cols.indexOf(name)]);
    return { start: n('start_ms'), count: n('count'), valid: n('valid'), good: n('good'), fast: n('fast'), p95: f[cols.indexOf('p95')] === '' ? null : n('p95') };
  });
}

const sum = (rows: Array<{ valid: number; good: number; fast: number; count: number }>) =>
  rows.reduce((t, r) => ({ count: t.count + r.count, valid: t.valid + r.valid, good: t.good + r.good, fast: t.fast + r.fast }), { count: 0, valid: 0, good: 0, fast: 0 });

async function slo(name: string, scope: string): Promise<SloSummary> {
  const all = await get<SloSummary[]>('/api/slos');
  const found = all.find((s) => s.slo === name && s.scope === scope);
  expect(found, `${name} ${scope}`).toBeDefined();
  return found!;
}

/** Of the raw values, the share within 1 % of a target: how far a sketch's share over it may stray. */
function nearShare(values: number[], target: number): number {
  return values.filter((v) => Math.abs(v - target) <= 0.01 * target).length / values.length;
}

describe('the evidence pack agrees with the API and the SLOs for the same month', () => {
  it('covers the window the 30-day SLOs were last evaluated over: November, 720 hours', async () => {
    expect(pack.method.period).toMatchObject({ month: '2026-11', from: NOV.from, to: NOV.to, hours: 720 });
    const s = await slo('site-logon-latency', 'site:S2');
    expect(s.at).toBe(NOV.to);
    expect(s.at - s.windowMs).toBe(pack.method.period.from);
  });

  it('lists the sites /api/sites lists: shown, or left out with their device count', async () => {
    const sites = await get<Array<{ id: string; trust: string }>>('/api/sites');
    const shown = pack.logons.filter((r) => r.level === 'site').map((r) => r.scope);
    const left = pack.method.suppressed.filter((s) => s.scope.startsWith('site:')).map((s) => s.scope);
    expect([...shown, ...left].sort()).toEqual(sites.map((s) => `site:${s.id}`).sort());
    expect(left).toEqual(['site:S3']);
  });

  it('counts a site\'s logons, and its p95, as the rollups /api/export serves and the logon SLO counts', async () => {
    const row = pack.logons.find((r) => r.scope === 'site:S2')!;
    const rows = await exported('site:S2', 'logon.totalMs');
    const total = sum(rows);
    expect(row.logons).toBe(total.count);
    expect(row.logons + row.failed).toBe(total.valid);
    const s = await slo('site-logon-latency', 'site:S2');
    expect(s.validEvents).toBe(total.valid);
    // The p95 of the month: the served rollups merged (the same rows, checked by start and count).
    const stored = await store.query({ scope: 'site:S2', metric: 'logon.totalMs', resolution: '1h', from: NOV.from, to: NOV.to });
    expect(stored.map((r) => [r.start, r.count])).toEqual(rows.map((r) => [r.start, r.count]));
    expect(row.p95Ms!).toBeCloseTo(mergeRollups(stored).quantile(0.95)!, 6);
    // …and within the sketch's 1 % of the exact p95 of the raw logons.
    const raw = written.logons.get('S2')!.map((l) => l.ms).sort((a, b) => a - b);
    const exact = raw[Math.floor(0.95 * (raw.length - 1))]!;
    expect(Math.abs(row.p95Ms! - exact) / exact).toBeLessThanOrEqual(0.0101);
    // Share over 30 s: the sketch's against the SLO's exact count, apart by at most the values near 30 s.
    expect(Math.abs(1 - row.shareOver30s! - s.sli!)).toBeLessThanOrEqual(nearShare(raw, 30_000) + 1e-9);
    expect(pack.method.differences.find((d) => d.topic === 'shares over a target')!.statement).toMatch(/within 1 % of the target/);
  });

  it('leaves maintenance out where the SLOs and /api/export count it, and says so', async () => {
    const row = pack.logons.find((r) => r.scope === 'site:S1')!;
    const rows = await exported('site:S1', 'logon.totalMs');
    const all = sum(rows);
    const maint = sum(rows.filter((r) => inMaintenance(r.start)));
    expect(maint.valid).toBeGreaterThan(0);
    // The SLO and the export count every hour; the pack all but the maintenance hours.
    const s = await slo('site-logon-latency', 'site:S1');
    expect(s.validEvents).toBe(all.valid);
    expect(row.logons + row.failed).toBe(all.valid - maint.valid);
    // Reconciled: the SLO's counts less the maintenance hours' give the pack's share within 30 s.
    const raw = written.logons.get('S1')!.filter((l) => !inMaintenance(l.start)).map((l) => l.ms);
    const reconciled = (all.fast - maint.fast) / (all.valid - maint.valid);
    expect(Math.abs(1 - row.shareOver30s! - reconciled)).toBeLessThanOrEqual(nearShare(raw, 30_000) + 1e-9);
    // Every logon in the window was slow: the SLO, counting them, is further from the pack than reconciled.
    expect(maint.fast).toBe(0);
    expect(reconciled).toBeGreaterThan(s.sli!);
    expect(Math.abs(1 - row.shareOver30s! - reconciled)).toBeLessThan(Math.abs(1 - row.shareOver30s! - s.sli!));
    // The statement: the hours, the window, the site, and that the SLOs and the export count them.
    expect(pack.method.maintenance).toMatchObject({ hoursExcluded: 2, windows: [{ from: MAINT.from, to: MAINT.to }] });
    const said = pack.method.differences.find((d) => d.topic === 'maintenance')!.statement;
    expect(said).toMatch(/\/api\/slos/);
    expect(said).toMatch(/\/api\/export/);
    expect(said).toContain('2 hours');
    expect(said).toContain('Core switch upgrade (site:S1), site S1');
  });

  it('counts a site\'s application checks and availability as /api/sites/:id, /api/export and the site SLOs do', async () => {
    const rows = pack.applications.rows.filter((r) => r.site === 'S2');
    expect(rows.map((r) => r.app).sort()).toEqual(['epr', 'pacs']);
    // Each row's valid checks are its successful ones over its availability.
    const good = rows.reduce((n, r) => n + r.checks + r.realTimings, 0);
    const valid = rows.reduce((n, r) => n + Math.round((r.checks + r.realTimings) / r.availability!), 0);
    const availability = await slo('site-app-availability', 'site:S2');
    expect(availability.validEvents).toBe(valid);
    expect(availability.sli! * availability.validEvents).toBeCloseTo(good, 6);
    // The site page's chart over the month, hour by hour.
    const site = await get<{ series: { t: number[]; appChecks: number[]; availability: Array<number | null> } }>('/api/sites/S2?hours=720');
    expect(site.series.t[0]! * 1000).toBeGreaterThanOrEqual(NOV.from);
    expect(site.series.appChecks.reduce((a, b) => a + b, 0)).toBe(valid);
    expect(site.series.availability.reduce<number>((n, a, i) => n + (a ?? 0) * site.series.appChecks[i]!, 0)).toBeCloseTo(good, 6);
    // The outage shows in both: EPR's availability at S2 is below PACS's, and matches /api/export.
    const epr = rows.find((r) => r.app === 'epr')!;
    const eprRows = sum(await exported('siteapp:S2/epr', 'app.totalMs'));
    expect(epr.availability!).toBeCloseTo(eprRows.good / eprRows.valid, 9);
    expect(epr.availability!).toBeLessThan(rows.find((r) => r.app === 'pacs')!.availability!);
    // Share over the 2 s target against the latency SLO (fast ÷ valid), apart by the checks near 2 s at most.
    const latency = await slo('site-app-latency', 'site:S2');
    const fast = rows.reduce((n, r) => n + r.checks * (1 - r.shareOverTarget!), 0);
    const raw = ['epr', 'pacs'].flatMap((a) => written.checks.get(`S2/${a}`)!.map((c) => c.ms).filter((ms): ms is number => ms !== null));
    expect(Math.abs(fast / valid - latency.sli!)).toBeLessThanOrEqual(nearShare(raw, 2_000) * (raw.length / valid) + 1e-9);
  });

  it('shows the small site\'s events in the SLOs across sites, and says so', async () => {
    // app-availability counts EPR at every site; the pack's EPR rows are S1 (maintenance left out) and S2.
    const s = await slo('app-availability', 'app:epr');
    const rows = pack.applications.rows.filter((r) => r.app === 'epr');
    expect(rows.map((r) => r.site).sort()).toEqual(['S1', 'S2']);
    const inPack = rows.reduce((n, r) => n + Math.round((r.checks + r.realTimings) / r.availability!), 0);
    const s3 = sum(await exported('siteapp:S3/epr', 'app.totalMs'));
    const s1Maintenance = sum((await exported('siteapp:S1/epr', 'app.totalMs')).filter((r) => inMaintenance(r.start)));
    expect(s3.valid).toBeGreaterThan(0);
    expect(s.validEvents).toBe(inPack + s3.valid + s1Maintenance.valid);
    const said = pack.method.differences.find((d) => d.topic === 'small sites')!.statement;
    expect(said).toContain('Community Clinic (site:S3, 3 devices)');
    expect(said).toMatch(/app-availability/);
    expect(said).toMatch(/counted in the trust's totals/);
    // …and the trust's logons do count it: the trust row is the three sites' logons.
    const trustRow = pack.logons.find((r) => r.scope === 'trust')!;
    const everySite = await Promise.all(['S1', 'S2', 'S3'].map(async (site) => (await exported(`site:${site}`, 'logon.totalMs')).filter((r) => !(site === 'S1' && inMaintenance(r.start)))));
    expect(trustRow.logons).toBe(everySite.flat().reduce((n, r) => n + r.count, 0));
  });

  it('ends the logon SLO\'s budget burn-down on the events the pack counts', async () => {
    const budget = await get<{ at: number; windowMs: number; series: { t: number[]; validEvents: number[]; budgetRemaining: number[] } }>('/api/slos/site-logon-latency/budget?scope=site:S2');
    const row = pack.logons.find((r) => r.scope === 'site:S2')!;
    expect(budget.at).toBe(NOV.to);
    expect(budget.series.t.at(-1)! * 1000).toBe(NOV.to);
    expect(budget.series.validEvents.at(-1)).toBe(row.logons + row.failed);
    // Budget left = 1 − (bad ÷ valid) ÷ (1 − objective), with the pack's share over 30 s as the bad share.
    const remaining = 1 - row.shareOver30s! / (1 - 0.95);
    const raw = written.logons.get('S2')!.map((l) => l.ms);
    expect(Math.abs(budget.series.budgetRemaining.at(-1)! - remaining)).toBeLessThanOrEqual((nearShare(raw, 30_000) + 1e-9) / (1 - 0.95));
  });

  it('lists as incidents the alerts /api/alerts showed firing in the month, those of the small site left out and counted', () => {
    const seen = [...steps.seen.values()].filter((a) => a.startsAt < NOV.to && (a.endsAt === null || a.endsAt > NOV.from));
    const key = (slo: string, scope: string, severity: string, from: number, to: number | null) => `${slo} ${scope} ${severity} ${from} ${to}`;
    const shown = seen.filter((a) => a.scope !== 'site:S3');
    expect(shown.length).toBeGreaterThan(0);
    expect(pack.applications.incidents!.map((i) => key(i.slo, i.scope, i.severity, i.firingAt, i.resolvedAt)).sort()).toEqual(shown.map((a) => key(a.slo, a.scope, a.severity, a.startsAt, a.endsAt)).sort());
    for (const i of pack.applications.incidents!) expect(i.durationMs).toBe(i.resolvedAt === null ? null : i.resolvedAt - i.firingAt);
    // The EPR outage at S2 shows as an incident of EPR's availability across sites.
    expect(pack.applications.incidents!.some((i) => i.scope === 'app:epr' && i.slo === 'app-availability' && i.firingAt > OUTAGE.from && i.firingAt <= OUTAGE.to + 2 * HOUR)).toBe(true);
    const leftOut = seen.length - shown.length;
    expect(leftOut).toBeGreaterThan(0);
    expect(pack.method.differences.find((d) => d.topic === 'incidents')!.statement).toContain(`${leftOut} alerts of sites left out of the tables are not listed`);
  });

  it('says how the SLOs\' rolling windows relate to the calendar month', () => {
    expect(pack.method.differences.find((d) => d.topic === 'SLO windows')!.statement).toMatch(/calendar month in London time \(720 hours\)/);
  });
});
