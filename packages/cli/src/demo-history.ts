// Months of demo history in seconds: hourly rollups written straight from the simulator's model,
// without simulating every event. A short sample of the simulated trust goes through the real
// processor once; each (scope, metric) it emits at '1h' becomes a template — its distribution as
// sketch bins, its events per hour, its good and fast shares. Every history hour is then drawn from
// the templates: counts per hour (logons follow the clinical day), a day-to-day wobble, and the
// changes the demo tells of (an SSO roll-out that cuts logon times at one site, a maintenance window
// that takes a site's applications down). So the history has the scope keys, metrics and sketch
// encoding of processed data, because the processor made its shape.
import { LOGON_PHASES, type Annotation } from '@wardwatch/schema';
import { resolveConfig, StreamProcessor, type ProcessorConfig } from '@wardwatch/processor';
import { encodeSketch, newSketch, sketchBins } from '@wardwatch/sketch';
import { logonRate, mulberry32, Simulator, type Estate, type LogonChange } from '@wardwatch/simulator';
import type { RollupRecord } from '@wardwatch/store';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Simulated minutes of the sample the templates come from (at the morning shift change: many logons). */
const SAMPLE_MINUTES = 10;
const SAMPLE_AT_MINUTE_OF_DAY = 7 * 60 + 25;

/**
 * What the demo writes by default: the figures the evidence pack's trend and before-and-after read
 * (logon and application time lost, availability, Wi-Fi) for sites and site applications, and the
 * sites' logon phases, from which the pack names the phase where logon time goes. Processed rollups
 * are large (a site's hourly application sketch is about 1 KB), so the wards, access points, devices
 * and the other metrics come from live data only; ask for them with scopeKinds and metrics.
 */
export const DEFAULT_HISTORY_SCOPE_KINDS = ['site', 'siteapp'] as const;
export const DEFAULT_HISTORY_METRICS = ['app.totalMs', 'logon.totalMs', 'wifi.signalDbm', ...LOGON_PHASES.map((phase) => `logon.${phase}` as const)] as const;


export interface AppMaintenance {
  site: string;
  /** [from, to), epoch ms: the site's application checks fail (counted, not measured). */
  from: number;
  to: number;
}

export interface DemoHistoryOptions {
  estate: Estate;
  seed: number;
  /** Hours written: [from, to), both on hour boundaries. */
  from: number;
  to: number;
  /** The processor settings the history must look like (device scopes follow deviceResolutions). */
  processor?: Partial<ProcessorConfig>;
  /** Scope kinds to write ("site", "siteapp", "ward", "ap", "device"); default DEFAULT_HISTORY_SCOPE_KINDS. */
  scopeKinds?: readonly string[];
  /** Metrics to write; default DEFAULT_HISTORY_METRICS; "*" for every metric the processor emits. */
  metrics?: readonly string[];
  changes?: readonly LogonChange[];
  maintenance?: readonly AppMaintenance[];
  /** Draws kept per (scope, metric, regime, activity): hours pick one (default 8). */
  variants?: number;
}

interface Template {
  scope: string;
  metric: string;
  site: string;
  /** Bin values and their shares of the values. */
  values: number[];
  cumulative: Float64Array;
  /** Valid events per hour; logon metrics per unit of logonRate (logons per device per hour). */
  validPerHour: number;
  goodShare: number;
  /** Values in the sketch per valid event. */
  valuesPerValid: number;
  fastShare: number;
  logon: boolean;
  /** Latency threshold the processor's fast count uses, when it is one of the value's. */
  fastBelow?: number;
}

/** The history of one trust: hours drawn on demand, from templates sampled once. */
export class DemoHistory {
  private readonly templates: Template[];
  private readonly pools = new Map<string, Variant[]>();
  private readonly variants: number;

  constructor(private readonly options: DemoHistoryOptions) {
    const config = resolveConfig({ ...options.processor });
    const kinds = new Set(options.scopeKinds ?? DEFAULT_HISTORY_SCOPE_KINDS);
    const metrics = new Set(options.metrics ?? DEFAULT_HISTORY_METRICS);
    this.templates = sampleTemplates(options.estate, options.seed, config).filter(
      (t) => kinds.has(t.scope.slice(0, t.scope.indexOf(':'))) && (metrics.has('*') || metrics.has(t.metric)),
    );
    this.variants = options.variants ?? 8;
  }

  /** Rollup rows per hour. */
  get rowsPerHour(): number {
    return this.templates.length;
  }

  /**
   * The records of the hours in [from, to) (hour boundaries). Deterministic: the same estate, seed
   * and options give the same records, however the span is split.
   */
  hours(from: number, to: number): RollupRecord[] {
    if (from % HOUR !== 0 || to % HOUR !== 0 || to < from) throw new Error('demo history: from and to must be hour boundaries, from ≤ to');
    const { seed } = this.options;
    const n = this.variants;
    const records: RollupRecord[] = [];
    for (let start = from; start < to; start += HOUR) {
      const activity = hourActivity(start);
      const day = start - (start % DAY);
      for (const t of this.templates) {
        const regime = regimeOf(t, start, this.options);
        const drawn = this.pool(t, regime, t.logon ? activity : 1);
        // A site's day is better or worse as a whole (the wobble is by day); its hours vary around it.
        const level = Math.floor(unit(seed, t.site, day) * n);
        const k = Math.min(n - 1, Math.max(0, level + Math.floor(unit(seed, t.scope + t.metric, start) * 3) - 1));
        const v = drawn[k]!;
        records.push({ scope: t.scope, metric: t.metric, resolution: '1h', start, count: v.count, valid: v.valid, good: v.good, fast: v.fast, sketch: v.sketch });
      }
    }
    return records;
  }

  private pool(t: Template, regime: Regime, activity: number): Variant[] {
    const key = `${t.scope}|${t.metric}|${regime.key}|${activity}`;
    let drawn = this.pools.get(key);
    if (!drawn) this.pools.set(key, (drawn = drawVariants(t, regime, activity, this.variants, hashSeed(this.options.seed, key))));
    return drawn;
  }
}

/** The demo's story for a history ending at `now`: an SSO roll-out and a maintenance window, as annotations too. */
/** How much faster logons are after the demo's SSO roll-out (× 0.4: 60 % faster). */
export const DEMO_SSO_FACTOR = 0.4;

export function demoStory(estate: Estate, now: number): { changes: LogonChange[]; maintenance: AppMaintenance[]; annotations: Array<Omit<Annotation, 'createdAt'>> } {
  const sites = estate.sites;
  const ssoSite = sites[Math.min(2, sites.length - 1)]!;
  const maintenanceSite = sites[0]!;
  // SSO live six weeks ago at 07:00 UTC (08:00 in summer time): the four weeks after it are all history.
  const ssoAt = Math.floor((now - 42 * DAY) / DAY) * DAY + 7 * HOUR;
  // A Sunday night three weeks ago, 23:00–01:00 UTC (two hours: the SLOs, which count it, survive).
  let sunday = Math.floor((now - 21 * DAY) / DAY) * DAY;
  while (new Date(sunday).getUTCDay() !== 0) sunday -= DAY;
  const maintenance = { site: maintenanceSite.id, from: sunday + 23 * HOUR, to: sunday + 25 * HOUR };
  const trust = estate.trust.id;
  return {
    changes: [{ site: ssoSite.id, at: ssoAt, logonFactor: DEMO_SSO_FACTOR }],
    maintenance: [maintenance],
    annotations: [
      {
        id: `demo-sso-${ssoSite.id}`,
        trust,
        scope: `site:${ssoSite.id}`,
        kind: 'change',
        title: `Single sign-on (tap and go) live at ${ssoSite.name}`,
        note: 'Demo: the simulated history cuts logon times at this site by 60 % from this time.',
        start: ssoAt,
        createdBy: 'demo',
      },
      {
        id: `demo-maintenance-${maintenanceSite.id}`,
        trust,
        scope: `site:${maintenanceSite.id}`,
        kind: 'maintenance',
        title: `Network maintenance at ${maintenanceSite.name}`,
        note: 'Demo: clinical applications unreachable from the site while the core switches were replaced.',
        start: maintenance.from,
        end: maintenance.to,
        createdBy: 'demo',
      },
    ],
  };
}

// ---- templates ----

/** Runs a short sample of the simulated trust through the processor; one template per 1h rollup. */
function sampleTemplates(estate: Estate, seed: number, config: ProcessorConfig): Template[] {
  const simulator = new Simulator({ estate, seed });
  // Any ordinary day will do; 2026-01-05 is a Monday with no fault.
  const from = Date.UTC(2026, 0, 5) + SAMPLE_AT_MINUTE_OF_DAY * 60_000;
  const processor = new StreamProcessor(config);
  for (const event of simulator.generate(from, from + SAMPLE_MINUTES * 60_000)) processor.add(event);
  const rollups = processor.flush().rollups.filter((r) => r.resolution === '1h');
  const siteOf = siteLookup(estate);
  const perHour = 60 / SAMPLE_MINUTES;
  const sampleRate = logonRate(from);
  const templates: Template[] = [];
  for (const r of rollups) {
    if (r.valid === 0) continue;
    const bins = sketchBins(r.sketch);
    const total = bins.counts.reduce((a, b) => a + b, 0);
    const cumulative = new Float64Array(bins.counts.length);
    let running = 0;
    bins.counts.forEach((c, i) => (cumulative[i] = running += c / total));
    const logon = r.metric.startsWith('logon.');
    templates.push({
      scope: r.scope,
      metric: r.metric,
      site: siteOf(r.scope),
      values: bins.values,
      cumulative,
      validPerHour: (r.valid * perHour) / (logon ? sampleRate : 1),
      goodShare: r.good / r.valid,
      valuesPerValid: r.count / r.valid,
      fastShare: r.fast / r.valid,
      logon,
      ...(r.metric === 'app.totalMs' ? { fastBelow: config.thresholds.appSlowMs } : {}),
      ...(r.metric === 'logon.totalMs' ? { fastBelow: config.thresholds.logonSlowMs } : {}),
    });
  }
  return templates;
}

/** The site of a scope key, from the estate (access points and devices by their ward). */
function siteLookup(estate: Estate): (scope: string) => string {
  const bySubject = new Map<string, string>();
  for (const site of estate.sites) {
    for (const ward of site.wards) {
      for (const ap of ward.accessPoints) bySubject.set(`ap:${ap}`, site.id);
      for (const d of ward.devices) bySubject.set(`device:${d.id}`, site.id);
    }
  }
  return (scope) => {
    const known = bySubject.get(scope);
    if (known) return known;
    const id = scope.slice(scope.indexOf(':') + 1);
    return id.split('/')[0]!;
  };
}

// ---- hours ----

interface Regime {
  key: string;
  factor: number;
  down: boolean;
}
const NORMAL: Regime = { key: 'normal', factor: 1, down: false };

function regimeOf(t: Template, start: number, options: DemoHistoryOptions): Regime {
  if (t.metric.startsWith('app.') && t.metric !== 'app.dnsMs') {
    for (const m of options.maintenance ?? []) if (m.site === t.site && start < m.to && start + HOUR > m.from) return { key: 'down', factor: 1, down: true };
  }
  if (t.logon) {
    let factor = 1;
    for (const c of options.changes ?? []) if (c.site === t.site && start >= c.at) factor *= c.logonFactor;
    if (factor !== 1) return { key: `x${factor}`, factor, down: false };
  }
  return NORMAL;
}

/** Mean logons per device in the hour starting at `start` (the simulator's clinical day). */
function hourActivity(start: number): number {
  let sum = 0;
  for (let m = 0; m < 60; m += 5) sum += logonRate(start + m * 60_000);
  return Math.round((sum / 12) * 1000) / 1000;
}

interface Variant {
  count: number;
  valid: number;
  good: number;
  fast: number;
  sketch: Uint8Array;
}

/** `n` draws of an hour of one template under one regime, each with its own wobble. */
function drawVariants(t: Template, regime: Regime, activity: number, n: number, seed: number): Variant[] {
  const random = mulberry32(seed);
  const out: Variant[] = [];
  for (let k = 0; k < n; k++) {
    // Wobble factors spread evenly over a log-normal of σ 8 %: variant k is the k-th best hour.
    const wobble = Math.exp(0.08 * normalQuantile((k + 0.5) / n));
    const expected = t.validPerHour * activity;
    const valid = t.logon ? poisson(expected, random) : Math.round(expected);
    if (regime.down) {
      out.push({ count: 0, valid, good: 0, fast: 0, sketch: new Uint8Array(0) });
      continue;
    }
    const good = valid - binomial(valid, 1 - t.goodShare, random);
    const values = Math.round(t.goodShare > 0 ? (good * t.valuesPerValid) / t.goodShare : valid * t.valuesPerValid);
    const sketch = newSketch();
    const factor = regime.factor * wobble;
    let below = 0;
    for (let i = 0; i < values; i++) {
      // A small jitter (about ±3 %) so a template of a few dozen values does not come back as lumps.
      const v = t.values[lowerBound(t.cumulative, random())]! * factor * Math.exp(0.03 * normal(random));
      sketch.accept(v);
      if (t.fastBelow !== undefined && v <= t.fastBelow) below++;
    }
    const fast = t.fastBelow !== undefined ? Math.min(good, below) : Math.round(valid * t.fastShare);
    out.push({ count: values, valid, good, fast, sketch: encodeSketch(sketch) });
  }
  return out;
}

function lowerBound(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function binomial(n: number, p: number, random: () => number): number {
  if (p <= 0 || n === 0) return 0;
  if (n * p > 30) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(random))));
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) / (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
    return p < 0.5 ? x : -x;
  }
  return p < 0.5 ? x : -x;
}

/** FNV-1a of the key, mixed with the seed: a PRNG seed per pool. */
function hashSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [0, 1) keyed by seed, a name and a time. */
function unit(seed: number, name: string, at: number): number {
  return mulberry32(hashSeed(seed, `${name}@${at}`))();
}
