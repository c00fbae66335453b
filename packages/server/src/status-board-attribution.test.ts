// The board judges again only the sites whose statuses changed (LiveAttribution); it must give, after
// every batch, exactly what a board that attributes the whole estate afresh gives: the same statuses
// with the same causes, the same lists, and the same calls to its listeners. Seeded random estates
// and random sequences of updates: faults come and go at access points, wards, sites, devices and
// applications, scopes go unknown and come back, devices move ward and site, sites' name resolution
// drifts (reworded at most every SITE_NETWORK_REFRESH_MS of event time), and statuses arrive stale.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Health, ScopeFigures, ScopeStatus } from '@wardwatch/schema';
import { mulberry32 } from '@wardwatch/simulator';
import { StatusBoard } from './status-board.ts';

const HEALTHY: ScopeFigures = { appChecks: 60, p50Ms: 350, p95Ms: 700, p99Ms: 900, availability: 1, logons: 6, logonP95Ms: 20_000, wifiSignalDbm: -60, cpuPct: 20 };

interface Device {
  id: string;
  site: string;
  ward: string;
  ap: string;
}

/** A random run: batches of statuses over a random estate, in the order a board would get them. */
function run(seed: number, options: { sharedAp: boolean }): ScopeStatus[][] {
  const random = mulberry32(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sites = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => `S${i + 1}`);
  const apps = ['epr', 'pacs', 'ordercomms'].slice(0, 2 + Math.floor(random() * 2));
  const devices: Device[] = [];
  const wards: Array<{ site: string; ward: string }> = [];
  const aps: Array<{ id: string; site: string; ward: string }> = [];
  for (const site of sites) {
    for (let w = 1; w <= 1 + Math.floor(random() * 3); w++) {
      const ward = `W${w}`;
      wards.push({ site, ward });
      const apCount = 1 + Math.floor(random() * 2);
      for (let a = 1; a <= apCount; a++) aps.push({ id: `${site}-${ward}-AP${a}`, site, ward });
      for (let d = 1; d <= 2 + Math.floor(random() * 5); d++) devices.push({ id: `${site}-${ward}-D${d}`, site, ward, ap: `${site}-${ward}-AP${1 + (d % apCount)}` });
    }
  }
  // An access point two sites' devices both name: sites tied together, attributed as one estate.
  if (options.sharedAp) devices.find((d) => d.site === 'S2')!.ap = aps[0]!.id;

  let now = 1_000;
  const slowness = new Map<string, number>(); // scope key or app → how bad, 0 healthy
  const unknown = new Set<string>();
  const health = (bad: number, figures: ScopeFigures): Health => (bad >= 2 ? 'down' : bad > 0 || (figures.p95Ms ?? 0) > 2000 || (figures.availability ?? 1) < 0.98 ? 'degraded' : 'ok');
  const figuresFor = (keys: string[], extra: Partial<ScopeFigures> = {}, device = false): { figures: ScopeFigures; bad: number } => {
    let bad = 0;
    for (const key of keys) bad = Math.max(bad, slowness.get(key) ?? 0);
    const jitter = () => 0.8 + random() * 0.4;
    const figures: ScopeFigures = {
      ...HEALTHY,
      p95Ms: Math.round((bad > 0 ? 4000 * bad : 700) * jitter()),
      // A device now and then fails a few checks; other scopes stay in their state between faults,
      // so a tick of sites is often their name-resolution and gateway figures alone.
      availability: bad >= 2 ? 0.5 + random() * 0.2 : device && random() < 0.1 ? 0.97 : 1,
      appChecks: 40 + Math.floor(random() * 40),
      logonP95Ms: Math.round(20_000 * jitter()),
      wifiSignalDbm: bad > 0 ? -80 : -60,
      cpuPct: bad > 0 && random() < 0.5 ? 95 : 20,
      ...extra,
    };
    if (random() < 0.05) figures.p95Ms = null;
    return { figures, bad };
  };
  const status = (key: string, scope: ScopeStatus['scope'], id: string, site: string, where: Partial<ScopeStatus>, keys: string[], extra?: Partial<ScopeFigures>): ScopeStatus => {
    const { figures, bad } = figuresFor(keys, extra, scope === 'device');
    const state = unknown.has(key) ? 'unknown' : health(bad, figures);
    return { key, scope, id, trust: 'RXX', site, status: state, reason: state === 'ok' ? '' : `${state} ${Math.floor(random() * 3)}`, figures, since: 0, asOf: now, ...where };
  };
  const deviceStatus = (d: Device) =>
    status(`device:${d.id}`, 'device', d.id, d.site, { ward: d.ward, ap: d.ap }, [`device:${d.id}`, `ap:${d.ap}`, `ward:${d.site}/${d.ward}`, `site:${d.site}`]);
  const everything = (): ScopeStatus[] => [
    ...sites.flatMap((site) => [
      status(`site:${site}`, 'site', site, site, {}, [`site:${site}`], {
        // Name resolution slow on its own, or with the site's worst faults (so a blamed site's words name it).
        dnsP95Ms: slowness.get(`dns:${site}`) || (slowness.get(`site:${site}`) ?? 0) >= 2 ? 3000 : Math.round(10 + random() * 10),
        gatewayRttP95Ms: Math.round(5 + random() * 5),
      }),
      ...apps.map((app) => status(`app:${site}/${app}`, 'app', `${site}/${app}`, site, { app }, [`app:${app}`, `site:${site}`])),
    ]),
    ...wards.map(({ site, ward }) => status(`ward:${site}/${ward}`, 'ward', `${site}/${ward}`, site, { ward }, [`ward:${site}/${ward}`, `site:${site}`])),
    ...aps.map(({ id, site, ward }) => status(`ap:${id}`, 'ap', id, site, { ward }, [`ap:${id}`, `ward:${site}/${ward}`, `site:${site}`])),
    ...devices.map(deviceStatus),
    status('trust:RXX', 'trust', 'RXX', '', { site: undefined }, []),
  ];

  const batches: ScopeStatus[][] = [shuffle(everything(), random)];
  for (let b = 0; b < 25; b++) {
    now += Math.floor(random() * 6000);
    const roll = random();
    if (roll < 0.35) {
      // A fault starts or ends somewhere.
      const where = pick([
        ...aps.map((a) => `ap:${a.id}`),
        ...wards.map((w) => `ward:${w.site}/${w.ward}`),
        ...sites.map((s) => `site:${s}`),
        ...sites.map((s) => `dns:${s}`),
        ...devices.map((d) => `device:${d.id}`),
        ...apps.map((a) => `app:${a}`),
      ]);
      slowness.set(where, slowness.get(where) ? 0 : 1 + Math.floor(random() * 2));
    } else if (roll < 0.45) {
      const key = pick(everything()).key;
      if (unknown.has(key)) unknown.delete(key);
      else unknown.add(key);
    } else if (roll < 0.5) {
      // A device moves ward, or site.
      const d = pick(devices);
      const to = pick(aps);
      Object.assign(d, { site: to.site, ward: to.ward, ap: to.id });
    }
    const all = everything();
    let batch: ScopeStatus[];
    if (random() < 0.3) batch = all; // a window's end: everything again
    else if (random() < 0.5) batch = all.filter((s) => s.scope === 'site'); // a tick: sites' figures and times
    else batch = all.filter(() => random() < 0.3);
    // Now and then a stale message, older than what the board holds.
    if (random() < 0.2 && batch.length > 0) batch.push({ ...pick(batch), asOf: now - 60_000, status: 'down' });
    batches.push(shuffle(batch, random));
    // A quiet spell: ticks of sites alone, their name resolution drifting, past the rewording interval.
    if (random() < 0.5) {
      for (let t = 0; t < 1 + Math.floor(random() * 4); t++) {
        now += 3000 + Math.floor(random() * 3000);
        batches.push(everything().filter((s) => s.scope === 'site'));
      }
    }
  }
  return batches;
}

function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** Everything the board's readers see, after a batch. */
function view(board: StatusBoard, keys: Iterable<string>) {
  const statuses = [...keys].sort().map((key) => board.get(key));
  return { statuses, sites: board.sites(), causes: board.causes(), degradedDevices: board.list('device', ['degraded', 'down']) };
}

function compare(seed: number, sharedAp: boolean): { culprits: Set<string> } {
  const bySite = new StatusBoard();
  const whole = new StatusBoard(undefined, { attribution: 'whole-estate' });
  const heard: Record<'bySite' | 'whole', Array<[string, string | undefined, boolean]>> = { bySite: [], whole: [] };
  bySite.subscribe((s, changed) => heard.bySite.push([s.key, s.cause?.culprit, changed]));
  whole.subscribe((s, changed) => heard.whole.push([s.key, s.cause?.culprit, changed]));
  const keys = new Set<string>();
  const culprits = new Set<string>();
  for (const [i, batch] of run(seed, { sharedAp }).entries()) {
    for (const s of batch) keys.add(s.key);
    bySite.applyAll(batch);
    whole.applyAll(batch);
    const expected = view(whole, keys);
    expect(view(bySite, keys), `seed ${seed}, batch ${i}`).toEqual(expected);
    expect(heard.bySite, `seed ${seed}, batch ${i}: listeners`).toEqual(heard.whole);
    for (const cause of expected.causes) culprits.add(cause.culprit);
  }
  return { culprits };
}

describe('StatusBoard attribution by site', () => {
  it('gives exactly the causes of a board that attributes the whole estate afresh, batch after batch', () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        for (const culprit of compare(seed, false).culprits) {
          const kind = culprit.slice(0, culprit.indexOf(':'));
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
      }),
      { seed: 20261201, numRuns: 60 },
    );
    // The runs judged real faults of every kind, not an estate where nothing is ever blamed.
    for (const kind of ['app', 'site', 'ward', 'ap', 'device']) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(5);
  }, 120_000);

  it('gives the same when an access point ties two sites together (then it attributes the whole estate)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        compare(seed, true);
      }),
      { seed: 7, numRuns: 20 },
    );
  }, 120_000);
});
