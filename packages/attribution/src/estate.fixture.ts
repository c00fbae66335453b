// The estates the attribution tests judge: a small hand-built trust, every figure healthy unless a
// case bends it.
import type { ScopeFigures, ScopeStatus } from '@wardwatch/schema';

// A hand-built estate: 3 sites × 2 wards × 4 devices, 2 access points per ward (devices 1–2 on the
// first, 3–4 on the second), 3 applications per site. Every figure healthy unless a case bends it.
export const HEALTHY: ScopeFigures = { appChecks: 60, p50Ms: 350, p95Ms: 700, p99Ms: 900, availability: 1, logons: 2, logonP95Ms: 20_000, wifiSignalDbm: -60 };
export const APPS = ['epr', 'pacs', 'ordercomms'];

export type Bend = (s: ScopeStatus) => Partial<ScopeFigures> | undefined;

function status(key: string, scope: ScopeStatus['scope'], id: string, site: string, extra: Partial<ScopeStatus>, bend: Bend): ScopeStatus {
  const base: ScopeStatus = { key, scope, id, trust: 'RXX', site, status: 'ok', reason: '', figures: { ...HEALTHY }, since: 0, asOf: 1, ...extra };
  const bent = bend(base);
  if (!bent) return base;
  const figures = { ...base.figures, ...bent };
  const bad = (figures.p95Ms ?? 0) > 2000 || (figures.availability ?? 1) < 0.98;
  return { ...base, figures, status: bad ? 'degraded' : 'ok', reason: bad ? 'bent' : '' };
}

export function estate(bend: Bend = () => undefined): ScopeStatus[] {
  const out: ScopeStatus[] = [];
  for (const site of ['S1', 'S2', 'S3']) {
    out.push(status(`site:${site}`, 'site', site, site, {}, bend));
    for (const app of APPS) out.push(status(`app:${site}/${app}`, 'app', `${site}/${app}`, site, { app }, bend));
    for (const ward of ['W1', 'W2']) {
      out.push(status(`ward:${site}/${ward}`, 'ward', `${site}/${ward}`, site, { ward }, bend));
      for (const a of [1, 2]) {
        const bssid = `3c:a8:2a:0${site[1]}:0${ward[1]}:0${a}`;
        out.push(status(`ap:${bssid}`, 'ap', bssid, site, { ward }, bend));
      }
      for (let d = 1; d <= 4; d++) {
        const ap = `3c:a8:2a:0${site[1]}:0${ward[1]}:0${d <= 2 ? 1 : 2}`;
        const id = `${site}-${ward}-D${d}`;
        out.push(status(`device:${id}`, 'device', id, site, { ward, ap }, bend));
      }
    }
  }
  return out;
}

export const slow = { p95Ms: 4000, p50Ms: 2500 };
export const failingHalf = { availability: 0.66 };
