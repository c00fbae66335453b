// The board's cost per apply at scale: a synthetic estate of `sites` × 4 wards × 20 devices (2 access
// points a ward, 5 applications a site), some sites degraded, then batches as the processor sends
// them between window ends (a few devices changing state) and at a window's end (every scope), each
// applied to a board attributing by site and to one attributing the whole estate. CPU time per apply.
// `node --import tsx bench/board-scale.ts [sites] [degradedSites] [by-site|whole-estate]`
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';
import { StatusBoard } from '../packages/server/src/status-board.ts';

const sites = Number(process.argv[2] ?? 500);
const degradedSites = Number(process.argv[3] ?? 5);
const HEALTHY: ScopeFigures = { appChecks: 60, p50Ms: 350, p95Ms: 700, p99Ms: 900, availability: 1, logons: 6, logonP95Ms: 20_000, wifiSignalDbm: -60, cpuPct: 20 };
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;

function estate(asOf: number, slowDevices: Set<string>): ScopeStatus[] {
  const out: ScopeStatus[] = [];
  const st = (key: string, scope: ScopeStatus['scope'], id: string, site: string, bad: boolean, extra: Partial<ScopeStatus> = {}, figures: Partial<ScopeFigures> = {}): ScopeStatus => ({
    key, scope, id, trust: 'RXX', site, status: bad ? 'degraded' : 'ok', reason: bad ? 'slow' : '', since: 0, asOf,
    figures: { ...HEALTHY, p95Ms: bad ? 4000 + Math.round(random() * 500) : 600 + Math.round(random() * 200), ...figures }, ...extra,
  });
  for (let s = 0; s < sites; s++) {
    const site = `S${s}`;
    const siteBad = s < degradedSites;
    out.push(st(`site:${site}`, 'site', site, site, siteBad, {}, { dnsP95Ms: siteBad ? 3000 : 10, gatewayRttP95Ms: 5 }));
    for (const app of ['epr', 'pacs', 'oc', 'lab', 'rad']) out.push(st(`app:${site}/${app}`, 'app', `${site}/${app}`, site, siteBad, { app }));
    for (let w = 0; w < 4; w++) {
      const ward = `W${w}`;
      out.push(st(`ward:${site}/${ward}`, 'ward', `${site}/${ward}`, site, siteBad, { ward }));
      for (let a = 0; a < 2; a++) out.push(st(`ap:${site}-${ward}-A${a}`, 'ap', `${site}-${ward}-A${a}`, site, siteBad, { ward }));
      for (let d = 0; d < 20; d++) {
        const id = `${site}-${ward}-D${d}`;
        out.push(st(`device:${id}`, 'device', id, site, siteBad || slowDevices.has(id), { ward, ap: `${site}-${ward}-A${d % 2}` }));
      }
    }
  }
  return out;
}

function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

const only = process.argv[4]; // 'by-site' or 'whole-estate' to run one board alone (for a profile)
const boards: Record<string, StatusBoard> = {};
if (only !== 'whole-estate') boards['by site'] = new StatusBoard();
if (only !== 'by-site') boards['whole estate'] = new StatusBoard(undefined, { attribution: 'whole-estate' });
const slow = new Set<string>();
const first = estate(1000, slow);
for (const [name, board] of Object.entries(boards)) console.log(`${name}: first apply of ${first.length} statuses ${cpuMs(() => board.applyAll(first)).toFixed(0)} ms`);
const costs: Record<string, { small: number[]; full: number[] }> = { 'by site': { small: [], full: [] }, 'whole estate': { small: [], full: [] } };
const rounds = Number(process.env.ROUNDS ?? 20);
for (let round = 1; round <= rounds; round++) {
  const asOf = 1000 + round * 250;
  // Between window ends: three devices somewhere change state.
  for (let i = 0; i < 3; i++) {
    const id = `S${Math.floor(random() * sites)}-W${Math.floor(random() * 4)}-D${Math.floor(random() * 20)}`;
    if (slow.has(id)) slow.delete(id);
    else slow.add(id);
  }
  const all = estate(asOf, slow);
  const batch = round % 10 === 0 && !process.env.NO_WINDOW_END ? all : all.filter((s) => s.scope === 'site' || (s.scope === 'device' && (slow.has(s.id) || random() < 0.0005)));
  for (const [name, board] of Object.entries(boards)) costs[name]![round % 10 === 0 ? 'full' : 'small'].push(cpuMs(() => board.applyAll(batch)));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [name, c] of Object.entries(costs)) if (c.small.length) console.log(`${name}: between window ends ${med(c.small).toFixed(1)} ms an apply (median of ${c.small.length}), at a window's end ${med(c.full).toFixed(0)} ms`);
if (!only) {
  const a = boards['by site']!.causes();
  const b = boards['whole estate']!.causes();
  console.log(`same causes: ${JSON.stringify(a) === JSON.stringify(b)} (${a.length} culprits)`);
}
