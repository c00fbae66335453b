// The stream processor core: events in, closed windows (rollups) and statuses out. Pure — no clock,
// no I/O; event time only. One instance per transport partition.
import type { ScopeFigures, ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import type { Resolution, RollupRecord } from '@wardwatch/store';
import { Cell, cellOf, METRICS, METRIC_INDEX, type ScopeCells } from './cell.ts';
import { resolveConfig, type ProcessorConfig } from './config.ts';
import { ScopeRegistry, type DeviceContext, type ScopeInfo } from './scope-registry.ts';
import { encodeSketch } from './sketch.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { judge } from './status-rules.ts';
import { Watermark, windowStart } from './window.ts';

export type AddOutcome = 'counted' | 'late' | 'too-late' | 'duplicate';

export interface ProcessorCounters {
  /** Counted, on time. */
  counted: number;
  /** Behind the watermark, window still open: counted. */
  late: number;
  /** Window already final: not counted; the caller reports it. */
  tooLate: number;
  /** Sequence number seen before: dropped. */
  duplicates: number;
}

export interface ProcessorOutput {
  /** Windows that became final: 1m, and 5m/1h when complete. */
  rollups: RollupRecord[];
  /** Every live scope, re-evaluated when the watermark passed a window end. */
  statuses: ScopeStatus[];
  watermark: number;
}

/** Aggregates of one window: scope key → cells by metric. */
export class WindowCells {
  readonly cells = new Map<string, ScopeCells>();
  final = false;
  constructor(readonly start: number) {}

  at(scope: string): ScopeCells {
    let cells = this.cells.get(scope);
    if (!cells) this.cells.set(scope, (cells = []));
    return cells;
  }
}

const APP = METRIC_INDEX['app.totalMs'];
const LOGON = METRIC_INDEX['logon.totalMs'];
const WIFI = METRIC_INDEX['wifi.signalDbm'];
const NET = METRIC_INDEX['net.rttMs'];
const HEALTH = METRIC_INDEX['health.cpuPct'];
const DNS = METRIC_INDEX['app.dnsMs'];
/** Metrics the status horizon merges per scope. */
const STATUS_METRICS = [APP, LOGON, WIFI, NET, HEALTH, DNS];
const COARSE: ReadonlyArray<[Resolution, number]> = [
  ['5m', 300_000],
  ['1h', 3_600_000],
];

export class StreamProcessor {
  readonly config: ProcessorConfig;
  /** @internal state, exposed for snapshots */
  registry = new ScopeRegistry();
  windows = new Map<number, WindowCells>();
  coarse = new Map<Resolution, Map<number, WindowCells>>([
    ['5m', new Map()],
    ['1h', new Map()],
  ]);
  clock: Watermark;
  /** End of the next window whose passing triggers a status evaluation. */
  nextDueEnd = -Infinity;
  readonly counts: ProcessorCounters = { counted: 0, late: 0, tooLate: 0, duplicates: 0 };
  private lastStatuses: ScopeStatus[] = [];
  private cachedWindow: WindowCells | undefined;

  constructor(config?: Partial<ProcessorConfig>) {
    this.config = resolveConfig(config);
    this.clock = new Watermark(this.config.watermarkLagMs);
  }

  get watermark(): number {
    return this.clock.value;
  }

  get counters(): ProcessorCounters {
    return { ...this.counts };
  }

  add(event: TelemetryEvent): AddOutcome {
    const { registry, config } = this;
    const ctx = registry.device(event.device, event.trust, event.site, event.ward);
    if (!ctx.replay.accept(event.seq)) {
      this.counts.duplicates++;
      return 'duplicate';
    }
    const ts = event.ts;
    const watermark = this.clock.value;
    const start = windowStart(ts, config.windowMs);
    if (start + config.windowMs + config.allowedLatenessMs <= watermark) {
      this.counts.tooLate++;
      return 'too-late';
    }
    this.clock.observe(ts);
    let window = this.cachedWindow;
    if (!window || window.start !== start) {
      window = this.windows.get(start);
      if (!window) {
        window = new WindowCells(start);
        this.windows.set(start, window);
        if (this.nextDueEnd === -Infinity) this.nextDueEnd = start + config.windowMs;
      }
      this.cachedWindow = window;
    }
    this.aggregate(window, ctx, event);
    const late = ts < watermark;
    if (late) this.counts.late++;
    else this.counts.counted++;
    return late ? 'late' : 'counted';
  }

  advance(): ProcessorOutput {
    const watermark = this.clock.value;
    const output: ProcessorOutput = { rollups: [], statuses: [], watermark };
    if (watermark === -Infinity) return output;
    const { windowMs, allowedLatenessMs, statusHorizonMs } = this.config;

    // Live statuses: at most one evaluation per advance, at the latest window end passed.
    const evaluationEnd = windowStart(watermark, windowMs);
    if (this.nextDueEnd !== -Infinity && evaluationEnd >= this.nextDueEnd) {
      output.statuses = this.evaluate(evaluationEnd);
      this.lastStatuses = output.statuses;
      this.nextDueEnd = evaluationEnd + windowMs;
    }

    // Final windows: emitted once, merged into their 5-minute and hourly windows.
    const starts = [...this.windows.keys()].sort((a, b) => a - b);
    for (const start of starts) {
      const window = this.windows.get(start)!;
      if (window.final) continue;
      if (start + windowMs + allowedLatenessMs > watermark) break;
      window.final = true;
      this.emit(window, '1m', output.rollups);
      for (const [resolution, size] of COARSE) {
        const coarseStart = windowStart(start, size);
        const byStart = this.coarse.get(resolution)!;
        let coarse = byStart.get(coarseStart);
        if (!coarse) byStart.set(coarseStart, (coarse = new WindowCells(coarseStart)));
        const devicesToo = this.config.deviceResolutions.includes(resolution);
        for (const [scope, cells] of window.cells) {
          // Device scopes are the bulk: roll them up only where they are kept.
          if (!devicesToo && scope.startsWith('device:')) continue;
          const into = coarse.at(scope);
          for (let m = 0; m < cells.length; m++) if (cells[m]) cellOf(into, m).mergeFrom(cells[m]!);
        }
      }
    }
    for (const [resolution, size] of COARSE) {
      const byStart = this.coarse.get(resolution)!;
      for (const [start, coarse] of byStart) {
        if (start + size + allowedLatenessMs <= watermark) {
          this.emit(coarse, resolution, output.rollups);
          byStart.delete(start);
        }
      }
    }

    // Keep final windows only while a status horizon can still see them.
    const keepFrom = Math.min(this.nextDueEnd - windowMs, evaluationEnd) - statusHorizonMs;
    for (const [start, window] of this.windows) {
      if (window.final && start < keepFrom) {
        this.windows.delete(start);
        if (this.cachedWindow === window) this.cachedWindow = undefined;
      }
    }
    this.registry.forget(watermark - this.config.forgetAfterMs);
    return output;
  }

  /** Raises the watermark (never lowers it) when the source is idle, then advances. */
  advanceTo(eventTime: number): ProcessorOutput {
    this.clock.advanceTo(eventTime);
    return this.advance();
  }

  /** Makes every window final and emits it: end of stream. */
  flush(): ProcessorOutput {
    let latest = -Infinity;
    for (const start of this.windows.keys()) latest = Math.max(latest, start);
    if (latest === -Infinity) return this.advance();
    return this.advanceTo(windowStart(latest, 3_600_000) + 3_600_000 + this.config.allowedLatenessMs);
  }

  /** Statuses from the latest evaluation. */
  statuses(): ScopeStatus[] {
    return this.lastStatuses;
  }

  snapshot(): Uint8Array {
    return writeSnapshot(this);
  }

  static restore(bytes: Uint8Array, config?: Partial<ProcessorConfig>): StreamProcessor {
    const processor = new StreamProcessor(config);
    readSnapshot(processor, bytes);
    return processor;
  }

  /** @internal for snapshots */
  setLastStatuses(statuses: ScopeStatus[]): void {
    this.lastStatuses = statuses;
  }

  private aggregate(window: WindowCells, ctx: DeviceContext, event: TelemetryEvent): void {
    const ts = event.ts;
    const thresholds = this.config.thresholds;
    const { siteScope, wardScope, deviceScope } = ctx;
    if (ts > siteScope.lastSeen) siteScope.lastSeen = ts;
    if (ts > wardScope.lastSeen) wardScope.lastSeen = ts;
    if (ts > deviceScope.lastSeen) deviceScope.lastSeen = ts;
    switch (event.kind) {
      case 'app': {
        const { ok, totalMs } = event.body;
        const value = ok ? totalMs : NaN;
        const fast = ok && totalMs <= thresholds.appSlowMs;
        this.count(window, siteScope, APP, value, ok, fast, ts);
        this.count(window, wardScope, APP, value, ok, fast, ts);
        this.count(window, deviceScope, APP, value, ok, fast, ts);
        if (event.ap) this.count(window, this.registry.accessPoint(ctx, event.ap), APP, value, ok, fast, ts);
        this.count(window, this.registry.siteApp(ctx, event.body.app), APP, value, ok, fast, ts);
        // DNS time per site: the evidence that tells slow name resolution from a slow network.
        const dnsMs = event.body.dnsMs;
        if (dnsMs !== undefined) this.count(window, siteScope, DNS, dnsMs, true, true, ts);
        return;
      }
      case 'logon': {
        const { ok, totalMs } = event.body;
        const value = ok ? totalMs : NaN;
        const fast = ok && totalMs <= thresholds.logonSlowMs;
        this.count(window, siteScope, LOGON, value, ok, fast, ts);
        this.count(window, wardScope, LOGON, value, ok, fast, ts);
        this.count(window, deviceScope, LOGON, value, ok, fast, ts);
        return;
      }
      case 'wifi': {
        const { connected, signalDbm } = event.body;
        // Stored as positive numbers (−dBm) because sketches hold positive values.
        const value = connected && signalDbm !== undefined ? -signalDbm : NaN;
        const fast = connected && signalDbm !== undefined && signalDbm >= thresholds.wifiWeakDbm;
        this.count(window, siteScope, WIFI, value, connected, fast, ts);
        this.count(window, wardScope, WIFI, value, connected, fast, ts);
        this.count(window, deviceScope, WIFI, value, connected, fast, ts);
        const bssid = event.body.bssid ?? event.ap;
        if (bssid) this.count(window, this.registry.accessPoint(ctx, bssid), WIFI, value, connected, fast, ts);
        return;
      }
      case 'net': {
        // The site gateway concerns the site; devices' own probes matter less than their checks.
        const good = event.body.lossPct < 2;
        this.count(window, siteScope, NET, event.body.rttMs, good, good, ts);
        return;
      }
      case 'health': {
        const good = event.body.cpuPct < 90;
        this.count(window, deviceScope, HEALTH, event.body.cpuPct, good, good, ts);
        return;
      }
    }
  }

  private count(window: WindowCells, scope: ScopeInfo, metric: number, value: number, good: boolean, fast: boolean, ts: number): void {
    if (ts > scope.lastSeen) scope.lastSeen = ts;
    // Most events fall in the window the scope saw last: skip the map lookup then.
    let cells = scope.cells;
    if (scope.cellsStart !== window.start || !cells) {
      cells = window.at(scope.key);
      scope.cells = cells;
      scope.cellsStart = window.start;
    }
    cellOf(cells, metric).add(value, good, fast);
  }

  private emit(window: WindowCells, resolution: Resolution, into: RollupRecord[]): void {
    const devicesToo = this.config.deviceResolutions.includes(resolution);
    for (const [scope, cells] of window.cells) {
      if (!devicesToo && scope.startsWith('device:')) continue;
      for (let m = 0; m < cells.length; m++) {
        const cell = cells[m];
        if (!cell) continue;
        into.push({
          scope,
          metric: METRICS[m]!,
          resolution,
          start: window.start,
          count: cell.count,
          valid: cell.valid,
          good: cell.good,
          fast: cell.fast,
          sketch: encodeSketch(cell.toSketch()),
        });
      }
    }
  }

  private evaluate(end: number): ScopeStatus[] {
    const { windowMs, statusHorizonMs, thresholds } = this.config;
    const from = end - statusHorizonMs;
    const merged = new Map<string, ScopeCells>();
    for (const window of this.windows.values()) {
      if (window.start < from || window.start + windowMs > end) continue;
      for (const [scope, cells] of window.cells) {
        let into = merged.get(scope);
        if (!into) merged.set(scope, (into = []));
        for (const m of STATUS_METRICS) if (cells[m]) cellOf(into, m).mergeFrom(cells[m]!);
      }
    }
    const minutes = Math.round(statusHorizonMs / 60_000);
    const statuses: ScopeStatus[] = [];
    const apOf = new Map<string, string>();
    for (const ctx of this.registry.devices.values()) if (ctx.ap) apOf.set(ctx.deviceScope.key, ctx.ap);
    for (const info of this.registry.scopes.values()) {
      if (info.kind === 'trust' || info.kind === 'app') continue;
      const figures = figuresOf(merged.get(info.key));
      // An application as seen from one site is published as an "app" scope: the peers attribution
      // compares (the same application at other sites, the other applications at this site).
      const kind = info.kind === 'siteapp' ? 'app' : info.kind;
      const verdict = judge(kind, figures, thresholds, minutes, end - info.lastSeen);
      if (verdict.status !== info.status) {
        info.status = verdict.status;
        info.since = end;
      }
      info.reason = verdict.reason;
      const ap = apOf.get(info.key);
      statuses.push({
        key: kind === 'app' ? `app:${info.id}` : info.key,
        scope: kind,
        id: info.id,
        trust: info.trust,
        site: info.site,
        ...(info.ward !== undefined ? { ward: info.ward } : {}),
        ...(ap !== undefined ? { ap } : {}),
        ...(kind === 'app' ? { app: info.id.slice(info.site.length + 1) } : {}),
        status: verdict.status,
        reason: verdict.reason,
        figures,
        since: info.since!,
        asOf: end,
      });
    }
    return statuses;
  }
}

const EMPTY: ScopeCells = [];

export function figuresOf(cells: ScopeCells = EMPTY): ScopeFigures {
  const app: Cell | undefined = cells[APP];
  const logon: Cell | undefined = cells[LOGON];
  const wifi: Cell | undefined = cells[WIFI];
  const median = wifi ? wifi.quantile(0.5) : null;
  const dns: Cell | undefined = cells[DNS];
  const net: Cell | undefined = cells[NET];
  const health: Cell | undefined = cells[HEALTH];
  return {
    appChecks: app?.valid ?? 0,
    p50Ms: app ? app.quantile(0.5) : null,
    p95Ms: app ? app.quantile(0.95) : null,
    p99Ms: app ? app.quantile(0.99) : null,
    availability: app && app.valid > 0 ? app.good / app.valid : null,
    logons: logon?.valid ?? 0,
    logonP95Ms: logon ? logon.quantile(0.95) : null,
    wifiSignalDbm: median === null ? null : -median,
    ...(dns ? { dnsP95Ms: dns.quantile(0.95) } : {}),
    ...(net ? { gatewayRttP95Ms: net.quantile(0.95) } : {}),
    ...(health ? { cpuPct: health.quantile(0.5) } : {}),
  };
}
