// The evidence pack for a simulated trust: rollups written into a SQLite store, the pack read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePack, type SloAlert } from '@wardwatch/schema';
import { SqliteRollupStore } from '@wardwatch/store';
import { blendedHourlyCost, buildEvidencePack, DEFAULT_STAFF_COSTS, loadPackInputs, londonMonth, monthName, parseEvidenceConfig, renderPack, UnknownTrustError, type EstateDirectory, type EvidenceConfig, type PackInputs } from '@wardwatch/evidence';
import { DEFAULT_THRESHOLDS } from '@wardwatch/processor';
import { trustDirectory, writeTrust, type WrittenTrust } from './helpers/evidence-trust.ts';

const OCT = londonMonth('2026-10');
const JUL = londonMonth('2026-07');
// Maintenance on 7 October 10:00–12:00 UTC: S1's logons then are terrible and must not count.
const MAINT_FROM = Date.UTC(2026, 9, 7, 10);
const MAINT_TO = Date.UTC(2026, 9, 7, 12);
const config: EvidenceConfig = parseEvidenceConfig(`
applications: { checkIntervalS: 300 }
maintenance:
  - { from: ${new Date(MAINT_FROM).toISOString()}, to: ${new Date(MAINT_TO).toISOString()}, label: core switch upgrade }
`);

let store: SqliteRollupStore;
let written: WrittenTrust;
let pack: EvidencePack;
let octInputs: PackInputs;

beforeAll(async () => {
  store = new SqliteRollupStore(':memory:');
  written = await writeTrust(store, {
    from: JUL.from,
    to: OCT.to,
    // S1's logons got slower in October.
    s1LogonMedianMs: (start) => (start >= OCT.from ? 34_000 : 26_000),
    badHours: (start) => start >= MAINT_FROM && start < MAINT_TO,
  });
  // Recorded by the trust: a change at S1 when its logons got slower, and a maintenance window at S2.
  await store.addAnnotation({ id: 'a1', trust: 'RXX', scope: 'site:S1', kind: 'change', title: 'New antivirus at Royal Infirmary', start: OCT.from + 12 * 3_600_000, createdAt: OCT.from });
  await store.addAnnotation({ id: 'a2', trust: 'RXX', scope: 'site:S2', kind: 'maintenance', title: 'Wi-Fi controller upgrade', start: Date.UTC(2026, 9, 20, 10), end: Date.UTC(2026, 9, 20, 11), createdAt: OCT.from });
  octInputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 10, 1, 9) });
  pack = buildEvidencePack(octInputs, config);
}, 120_000);

afterAll(async () => {
  await store?.close();
});

const exactHours = (site: string, from: number, to: number, targetMs: number) =>
  written.logons
    .get(site)!
    .filter((l) => l.start >= from && l.start < to && !(l.start >= MAINT_FROM && l.start < MAINT_TO))
    .reduce((s, l) => s + Math.max(0, l.ms - targetMs), 0) / 3_600_000;

describe('evidence pack for a simulated trust', () => {
  it('has every section, valid against the shape the dashboard reads', () => {
    expect(EvidencePack.safeParse(pack).success).toBe(true);
    expect(pack.summary.headline.length).toBeGreaterThanOrEqual(3);
    expect(pack.logons.length).toBeGreaterThan(0);
    expect(pack.applications.rows.length).toBe(4); // two applications at the two sites shown
    expect(pack.wifi.rows.length).toBeGreaterThan(0);
    expect(pack.wifi.worstAccessPoints.length).toBeGreaterThan(0);
    expect(pack.devices.worstDevices.length).toBe(10);
    expect(pack.experience.sites.map((s) => s.scope)).toEqual(['site:S1', 'site:S2']);
    expect(pack.trend.months).toHaveLength(13);
    expect(pack.mapping.every((m) => m.measure === 'Ensure smart foundations')).toBe(true);
    expect(pack.method.softwareVersion).toBe('0.1.0-test');
  });

  it('covers October in London time: 745 hours', () => {
    expect(pack.method.period).toMatchObject({ month: '2026-10', hours: 745, from: Date.UTC(2026, 8, 30, 23), to: Date.UTC(2026, 10, 1), timeZone: 'Europe/London' });
  });

  it('leaves out a site with fewer than 5 devices, and says so', () => {
    expect(pack.method.suppressed).toContainEqual({ scope: 'site:S3', name: 'Community Clinic', devices: 3 });
    const everywhere = JSON.stringify([pack.logons, pack.applications.rows, pack.wifi.rows, pack.experience.sites, pack.summary.worst.sites]);
    expect(everywhere).not.toContain('site:S3');
    // The access point at S3 has 3 devices; the old model has 8 (5 at S1, 3 at S3) and is shown.
    expect(pack.method.suppressed.map((s) => s.scope)).toContain('ap:3c:a8:2a:03:01:00');
    expect(pack.devices.models.map((m) => [m.name, m.devices])).toContainEqual(['Old Desktop 800 G1', 8]);
  });

  it('counts logon time lost within 2 % of the exact sum, maintenance left out', () => {
    const exact = ['S1', 'S2', 'S3'].reduce((s, site) => s + exactHours(site, OCT.from, OCT.to, 30_000), 0);
    expect(Math.abs(pack.summary.timeLost.logonHours - exact) / exact).toBeLessThan(0.02);
    expect(pack.method.maintenance.hoursExcluded).toBe(3); // the configured two hours and the recorded one
    expect(pack.method.maintenance.windows.map((w) => w.label)).toEqual(['core switch upgrade', 'Wi-Fi controller upgrade (site:S2)']);
    const s1 = pack.logons.find((r) => r.scope === 'site:S1')!;
    expect(Math.abs(s1.hoursLost - exactHours('S1', OCT.from, OCT.to, 30_000)) / s1.hoursLost).toBeLessThan(0.02);
  });

  it('prices the hours low and high and turns them into FTE', () => {
    const { hours, logonHours, appHours, fte, cost } = pack.summary.timeLost;
    expect(hours).toBeCloseTo(logonHours + appHours, 6);
    expect(appHours).toBeGreaterThan(0);
    const rate = blendedHourlyCost(DEFAULT_STAFF_COSTS);
    expect(cost.low).toBeCloseTo(hours * rate.low, 6);
    expect(cost.high).toBeCloseTo(hours * rate.high, 6);
    expect(fte).toBeCloseTo(hours / (1545 * (745 / 8766)), 6);
    expect(pack.priceYear).toBe('2023/24');
  });

  it('tables time lost at three targets: the lower the target, the more time lost', () => {
    expect(pack.sensitivity.logons.map((r) => r.targetMs)).toEqual([10_000, 20_000, 30_000]);
    expect(pack.sensitivity.applications.map((r) => r.targetMs)).toEqual([1_000, 2_000, 3_000]);
    for (const rows of [pack.sensitivity.logons, pack.sensitivity.applications]) {
      expect(rows[0]!.hours).toBeGreaterThan(rows[1]!.hours);
      expect(rows[1]!.hours).toBeGreaterThan(rows[2]!.hours);
      for (const r of rows) expect(r.cost.high).toBeGreaterThan(r.cost.low);
    }
    expect(pack.sensitivity.logons[2]!.hours).toBeCloseTo(pack.summary.timeLost.logonHours, 6);
  });

  it('names the worst site, ward, access point and model in plain words', () => {
    expect(pack.summary.worst.sites[0]!.name).toBe('Royal Infirmary');
    expect(pack.summary.worst.sites[0]!.words).toMatch(/^Royal Infirmary: [\d.,]+ staff hours lost; \d+ % of logons took over 30 s$/);
    expect(pack.summary.worst.wards[0]!.scope).toMatch(/^ward:S1\//);
    expect(pack.summary.worst.wards[0]!.words).toContain('user profile');
    expect(pack.summary.worst.accessPoints[0]!.scope).toBe('ap:3c:a8:2a:01:02:00');
    expect(pack.summary.worst.deviceModels[0]!.name).toBe('Old Desktop 800 G1');
  });

  it('finds the dominant logon phase and the logon shares over 30 s and 40 s', () => {
    const s1 = pack.logons.find((r) => r.scope === 'site:S1')!;
    expect(s1.dominantPhase!.phase).toBe('profileMs');
    expect(s1.dominantPhase!.shareOfTime).toBeCloseTo(0.6, 1);
    const s2 = pack.logons.find((r) => r.scope === 'site:S2')!;
    expect(s2.dominantPhase!.phase).toBe('shellMs');
    const exact = written.logons.get('S1')!.filter((l) => l.start >= OCT.from && l.start < OCT.to && !(l.start >= MAINT_FROM && l.start < MAINT_TO));
    const over30 = exact.filter((l) => l.ms > 30_000).length / exact.length;
    const over40 = exact.filter((l) => l.ms > 40_000).length / exact.length;
    expect(s1.shareOver30s!).toBeCloseTo(over30, 2);
    expect(s1.shareOver40s!).toBeCloseTo(over40, 2);
    expect(s1.logons).toBe(exact.length);
  });

  it('compares the month with last month and with the baseline (July to September)', () => {
    // The simulated devices report 07:00–19:00 only: every month has data in half its hours, and each
    // is as covered as the others, so each is a full month.
    expect(pack.trend.baseline).toMatchObject({ from: '2026-07', to: '2026-09', label: 'the first three full months with data' });
    expect(pack.trend.months.filter((m) => m.full).map((m) => m.month)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10']);
    expect(pack.trend.months.find((m) => m.month === '2026-08')!.hoursWithData).toBe(31 * 12);
    const oct = pack.trend.months.at(-1)!;
    expect(oct.month).toBe('2026-10');
    expect(oct.hours).toBeCloseTo(pack.summary.timeLost.hours, 6);
    expect(oct.vsBaseline!).toBeGreaterThan(0.2);
    expect(pack.summary.vsBaseline.relative!).toBeCloseTo(oct.vsBaseline!, 6);
    expect(pack.summary.vsLastMonth.hours!).toBeGreaterThan(0);
    expect(pack.trend.months[0]).toMatchObject({ month: '2025-10', hours: 0, hoursWithData: 0, vsBaseline: null });
  });

  it('says how many months its baseline has: September\'s pack, two earlier months, says two', async () => {
    const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-09' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 9, 1, 9) });
    expect(buildEvidencePack(inputs, config).trend.baseline).toMatchObject({ from: '2026-07', to: '2026-08', label: 'the first two full months with data' });
  });

  it('never sets a part month against whole months: agents installed on 31 July, the store read on 16 October', async () => {
    const partStore = new SqliteRollupStore(':memory:');
    try {
      await writeTrust(partStore, { from: Date.UTC(2026, 6, 31), to: Date.UTC(2026, 9, 16), s1LogonMedianMs: () => 30_000 });
      const packOf = async (month: string) => buildEvidencePack(await loadPackInputs(partStore, { trust: 'RXX', month }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 10, 1, 9) }), config);
      // September's pack: July had one day of data, so it is listed, not compared, and not the baseline.
      const sep = await packOf('2026-09');
      const jul = sep.trend.months.find((m) => m.month === '2026-07')!;
      expect(jul).toMatchObject({ hoursWithData: 12, full: false, vsBaseline: null });
      expect(jul.hours).toBeGreaterThan(0);
      expect(sep.trend.baseline).toMatchObject({ from: '2026-08', to: '2026-08', label: 'the first full month with data' });
      expect(sep.trend.months.find((m) => m.month === '2026-09')).toMatchObject({ full: true });
      expect(sep.summary.vsLastMonth.relative).not.toBeNull();
      // October's pack: October itself has half a month of data, so its total is set against none.
      const oct = await packOf('2026-10');
      // Fifteen days of 07:00–19:00, less the configured two hours of maintenance on the 7th.
      expect(oct.trend.months.at(-1)).toMatchObject({ month: '2026-10', full: false, vsBaseline: null, hoursWithData: 15 * 12 - 2 });
      expect(oct.summary.vsLastMonth).toMatchObject({ hours: null, relative: null });
      expect(oct.summary.vsBaseline).toMatchObject({ hours: null, relative: null });
      expect(oct.summary.headline.join(' ')).toMatch(/October 2026 has data for \d+ % of its hours, so its total is not compared with other months\./);
      expect(oct.summary.headline.join(' ')).not.toMatch(/on last month|on the baseline/);
    } finally {
      await partStore.close();
    }
  }, 120_000);

  it('compares a recorded change before and after: the slower logons at S1 show as worse', () => {
    expect(pack.beforeAfter.note).toBeNull();
    const [c] = pack.beforeAfter.comparisons;
    expect(c).toMatchObject({ label: 'New antivirus at Royal Infirmary', scope: 'site:S1' });
    expect(c!.figures.find((f) => f.figure === 'logon.p50')).toMatchObject({ direction: 'worse', significant: true });
  });

  it('keeps final earlier months merged in a cache: the same pack, without reading them again', async () => {
    const cache = new Map();
    let queries = 0;
    const counting = new Proxy(store, { get: (t, k) => (k === 'query' ? (q: Parameters<typeof store.query>[0]) => (queries++, t.query(q)) : (Reflect.get(t, k) as unknown as { bind?: (o: unknown) => unknown })?.bind?.(t) ?? Reflect.get(t, k)) });
    const load = () => loadPackInputs(counting, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 10, 1, 9), historyCache: cache });
    const first = buildEvidencePack(await load(), config);
    const firstQueries = queries;
    queries = 0;
    const again = buildEvidencePack(await load(), config);
    expect(again).toEqual(first);
    expect(first.trend).toEqual(pack.trend);
    // 3 sites × 3 site metrics (a query each over the 12 earlier months) not read again (the site's
    // applications come in one query with the month's either way).
    expect(firstQueries - queries).toBe(3 * 3);
    expect([...cache.keys()].some((k: string) => k.startsWith('S1|2026-09|'))).toBe(true);
    // Five days into October, September can still take late corrections: not kept; August is.
    const early = new Map();
    await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 9, 5), historyCache: early });
    expect([...early.keys()].some((k: string) => k.startsWith('S1|2026-09|'))).toBe(false);
    expect([...early.keys()].some((k: string) => k.startsWith('S1|2026-08|'))).toBe(true);
  }, 120_000);

  it('scores sites 0–100 with the components shown; the slower site scores lower', () => {
    const [s1, s2] = pack.experience.sites;
    expect(s1!.score!).toBeLessThan(s2!.score!);
    for (const s of [s1!, s2!]) {
      const c = Object.values(s.components).filter((v): v is number => v !== null);
      expect(c).toHaveLength(4);
      expect(s.score).toBeCloseTo((100 * c.reduce((a, b) => a + b, 0)) / 4, 0);
      expect(s.disruptionFree!).toBeGreaterThan(0);
      expect(s.disruptionFree!).toBeLessThan(1);
    }
  });

  it('reads boot time, memory pressure and low disk from the devices\' rollups, per device and model', () => {
    expect(pack.devices.metricsMissing).toEqual([]);
    expect(pack.devices.metricsAvailable.join('; ')).toMatch(/memory pressure.*low disk.*boot time/);
    const old = pack.devices.models.find((m) => m.name === 'Old Desktop 800 G1')!;
    const fresh = pack.devices.models.find((m) => m.name === 'New Desktop 7010')!;
    expect(old.bootP50Ms! / 95_000).toBeCloseTo(1, 1);
    expect(fresh.bootP50Ms! / 35_000).toBeCloseTo(1, 1);
    expect(old.memPressureShare).toBeCloseTo(3 / 12, 6);
    expect(fresh.memPressureShare).toBe(0);
    // S1's ward W1 has full disks: its 5 devices are of the old model, as are S3's 3.
    expect(old.lowDiskShare).toBeCloseTo(5 / 8, 6);
    const worst = pack.devices.worstDevices.find((d) => d.name.startsWith('S1-W1-'))!;
    expect(worst).toMatchObject({ lowDiskShare: 1, memPressureShare: 0.25 });
    expect(worst.bootP50Ms! / 95_000).toBeCloseTo(1, 1);
  });

  it('names the processor\'s thresholds in its method: the defaults, or those it was given', async () => {
    // The rollups' good and fast counts were judged by the processor's thresholds: the words must say
    // which, not the defaults whatever the processor ran with.
    const defaults = [pack.experience.method[0], ...pack.devices.metricsAvailable].join(' ');
    expect(defaults).toContain('logon threshold (30 s)');
    expect(defaults).toContain('application threshold (2 s)');
    expect(defaults).toContain('signal of \u221275 dBm or better');
    expect(defaults).toContain('CPU below 90 %');
    expect(defaults).toContain('less than 10 % of the disk free');
    const inputs = await loadPackInputs(store, { trust: 'RXX', month: '2026-10' }, { config, directory: trustDirectory(), softwareVersion: '0.1.0-test', now: Date.UTC(2026, 10, 1, 9) });
    const strict = buildEvidencePack(inputs, config, { ...DEFAULT_THRESHOLDS, logonSlowMs: 20_000, appSlowMs: 1500, wifiWeakDbm: -70, cpuPressurePct: 85, memPressurePct: 80, diskLowFreePct: 15 });
    const words = [strict.experience.method[0], ...strict.devices.metricsAvailable].join(' ');
    for (const text of ['logon threshold (20 s)', 'application threshold (1.5 s)', 'signal of \u221270 dBm or better', 'CPU below 85 %', 'at 85 % or more', '80 % or more of memory', 'less than 15 % of the disk free']) expect(words).toContain(text);
    expect(strict.method.assumptions).toContain(strict.experience.method[0]);
  }, 120_000);

  it('reports the devices reporting and what the store does not hold', () => {
    expect(pack.method.coverage).toMatchObject({ devicesReporting: 23, devicesKnown: 23 });
    // The store keeps alert history; no server evaluated SLOs over this one, so no alert fired.
    expect(pack.applications.incidents).toEqual([]);
    expect(pack.applications.incidentsNote).toMatch(/SLO alerts firing at any time in the month/);
  });
});

describe('whose pack, and how far into its month', () => {
  const NOV = londonMonth('2026-11');
  const alert = (slo: string, scope: string, startsAt: number, endsAt: number | null = null): SloAlert => ({
    fingerprint: `${slo}|${scope}|${startsAt}`, slo, scope, severity: 'page', status: endsAt === null ? 'firing' : 'resolved', indicator: 'availability', objective: 0.999,
    startsAt, endsAt, updatedAt: endsAt ?? startsAt, rules: [], errorBudgetRemaining: 0.5, summary: `${slo} on ${scope}: error budget burning`, silencedBy: null, notifiedAt: null, assignment: null,
  });
  const octAlerts = [alert('site-logon-latency', 'site:S1', OCT.from + 86_400_000), alert('app-availability', 'app:epr', OCT.from + 2 * 86_400_000, OCT.from + 2 * 86_400_000 + 3_600_000), alert('trust-availability', 'trust', OCT.from + 3 * 86_400_000)];
  const load = (trust: string, month: string, directory: EstateDirectory, now = Date.UTC(2026, 11, 5), alerts: SloAlert[] = octAlerts) =>
    loadPackInputs(store, { trust, month }, { config, directory, softwareVersion: '0.1.0-test', now, alerts });

  it('refuses a trust its directory does not know, instead of filling the pack with another trust\'s sites', async () => {
    await expect(load('NOPE', '2026-10', trustDirectory())).rejects.toThrow(new UnknownTrustError('no trust "NOPE": the test inventory knows RXX'));
    // A directory that places no site in a trust (no inventory): every site in the store is the trust's, and the method says so.
    const unplaced = buildEvidencePack(await load('RXX', '2026-10', { source: 'store (no inventory given)', sites: [], devices: [], accessPoints: [] }), config);
    expect(unplaced.experience.sites.map((s) => s.scope)).toEqual(['site:S1', 'site:S2', 'site:S3']);
    expect(unplaced.method.assumptions.join(' ')).toContain("every site with data in the store is counted as trust RXX's, named by its id");
  }, 120_000);

  it('lists the estate-wide and per-application SLOs\' alerts only in the pack of an estate of one trust', async () => {
    const own = buildEvidencePack(await load('RXX', '2026-10', trustDirectory()), config);
    expect(own.applications.incidents!.map((i) => [i.slo, i.scope])).toEqual([['site-logon-latency', 'site:S1'], ['app-availability', 'app:epr'], ['trust-availability', 'trust']]);
    // The summary names the SLO: the title is it, not the SLO's name twice.
    expect(own.applications.incidents![1]!.title).toBe('app-availability on app:epr: error budget burning');
    const two = trustDirectory();
    two.sites.push({ id: 'T1', trust: 'RYY', name: 'Elsewhere' });
    const shared = buildEvidencePack(await load('RXX', '2026-10', two), config);
    expect(shared.applications.incidents!.map((i) => i.scope)).toEqual(['site:S1']);
    expect(shared.applications.incidentsNote).toContain('they count the checks of every trust (RXX, RYY) together');
  }, 120_000);

  it('names the maintenance windows an incident overlapped at its site — planned work the figures leave out — in the JSON, the HTML and the CSV', async () => {
    const recordedAtS2 = { from: Date.UTC(2026, 9, 20, 10, 15), to: Date.UTC(2026, 9, 20, 10, 45) };
    const alerts = [
      alert('site-logon-latency', 'site:S1', MAINT_FROM + 1_800_000, MAINT_FROM + 5_400_000), // the configured window: every site
      alert('site-logon-latency', 'site:S1', recordedAtS2.from, recordedAtS2.to), // the recorded one is S2's, not S1's
      alert('site-logon-latency', 'site:S2', recordedAtS2.from, recordedAtS2.to),
    ];
    const marked = buildEvidencePack(await load('RXX', '2026-10', trustDirectory(), undefined, alerts), config);
    expect(EvidencePack.parse(marked)).toEqual(marked);
    expect(marked.applications.incidents!.map((i) => [i.scope, i.maintenance])).toEqual([
      ['site:S1', ['core switch upgrade']],
      ['site:S1', undefined],
      ['site:S2', ['Wi-Fi controller upgrade (site:S2)']],
    ]);
    expect(String(await renderPack(marked, 'html'))).toContain('site-logon-latency on site:S2: error budget burning — during planned maintenance: Wi-Fi controller upgrade (site:S2)');
    expect(String(await renderPack(marked, 'csv'))).toMatch(/incidents,site:S1,.*page from 2026-10-07T10:30:00\.000Z — during planned maintenance: core switch upgrade/);
  }, 120_000);

  it('in a month not over, counts the whole hours to the one in progress, its alerts left out with it, and says so', async () => {
    // November holds no rollups: as of 10 November 10:30 UTC, its figures run to 10:00.
    const now = Date.UTC(2026, 10, 10, 10, 30);
    const alerts = [alert('site-logon-latency', 'site:S1', Date.UTC(2026, 10, 10, 9, 10)), alert('site-logon-latency', 'site:S2', Date.UTC(2026, 10, 10, 10, 5))];
    const inputs = await load('RXX', '2026-11', trustDirectory(), now, alerts);
    expect(inputs.figuresTo).toBe(Date.UTC(2026, 10, 10, 10));
    const soFar = buildEvidencePack(inputs, config);
    expect(soFar.applications.incidents!.map((i) => i.scope)).toEqual(['site:S1']);
    expect(soFar.applications.incidentsNote).toContain('Alerts that fired in the hour in progress are left out with its figures.');
    expect(soFar.method.differences.find((d) => d.topic === 'month so far')!.statement).toContain('the whole hours up to 10 November at 10:00 (London time)');
    // No time lost yet: the headline names no site as where most was lost.
    expect(soFar.summary.headline.join(' ')).not.toContain('Most time was lost');
    // Asked after the month: every hour and every alert.
    const after = await load('RXX', '2026-11', trustDirectory(), NOV.to + 3_600_000, alerts);
    expect(after.figuresTo).toBe(NOV.to);
    expect(buildEvidencePack(after, config).method.differences.map((d) => d.topic)).not.toContain('month so far');
    expect(after.incidents!.map((i) => i.scope)).toEqual(['site:S1', 'site:S2']);
  }, 120_000);

  it('explains its two Wi-Fi lines: the design target in the Wi-Fi section, the status threshold in the score', () => {
    expect(pack.method.differences.find((d) => d.topic === 'two Wi-Fi lines')!.statement).toContain('good signal at \u221270 dBm or better');
    expect(pack.method.differences.find((d) => d.topic === 'two Wi-Fi lines')!.statement).toContain('samples at \u221275 dBm or better');
    expect(buildEvidencePack(octInputs, parseEvidenceConfig('wifi: { goodDbm: -75 }')).method.differences.map((d) => d.topic)).not.toContain('two Wi-Fi lines');
  });
});

describe('the printed trend', () => {
  it('titles a month without data "no data", as its table does', async () => {
    const html = String(await renderPack(pack, 'html'));
    const empty = pack.trend.months.find((m) => m.hoursWithData === 0)!;
    const part = pack.trend.months.find((m) => m.hoursWithData > 0 && !m.full);
    expect(html).toContain(`<title>${monthName(empty.month)}: no data</title>`);
    expect(html).not.toMatch(/: 0\.0 hours \(part month: 0 hours with data\)/);
    if (part) expect(html).toContain(`(part month: ${part.hoursWithData} hours with data)</title>`);
  });
});

describe('the printed tables', () => {
  it('write each column of shares with one number of decimals ("88.0 %" beside "93.3 %", not "88 %")', async () => {
    const html = String(await renderPack(pack, 'html'));
    const tables = [...html.matchAll(/<table>(.*?)<\/table>/g)].map((m) => m[1]!);
    let columns = 0;
    for (const table of tables) {
      const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]!));
      const width = rows[0]?.length ?? 0;
      for (let c = 0; c < width; c++) {
        const shares = rows.slice(1).map((r) => r[c] ?? '').filter((t) => /^\d+(\.\d+)? %$/.test(t));
        if (shares.length < 2) continue;
        columns++;
        const decimals = new Set(shares.map((t) => (t.split(' ')[0]!.split('.')[1] ?? '').length));
        expect(decimals.size, `${rows[0]![c]}: ${shares.join(', ')}`).toBe(1);
      }
    }
    expect(columns).toBeGreaterThan(5);
  });
});
