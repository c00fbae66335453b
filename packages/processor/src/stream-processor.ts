// The stream processor core: events in, closed windows (rollups) and statuses out. Pure — no clock,
// no I/O; event time only. One instance per transport partition.
import type { ScopeFigures, ScopeStatus, TelemetryEvent } from '@wardwatch/schema';
import type { Resolution, RollupRecord } from '@wardwatch/store';
import { Cell, cellOf, METRICS, METRIC_INDEX, type ScopeCells } from './cell.ts';
import { resolveConfig, type ProcessorConfig } from './config.ts';
import { ScopeRegistry, type DeviceContext, type ScopeInfo } from './scope-registry.ts';
import { encodeSketch, quantile } from './sketch.ts';
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
        for (const [scope, cells] of window.cells) {
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
    const scopes: ScopeInfo[] = [ctx.siteScope, ctx.wardScope, ctx.deviceScope];
    const thresholds = this.config.thresholds;
    let metric: number;
    let value: number;
    let good: boolean;
    let fast: boolean;
    switch (event.kind) {
      case 'app': {
        const body = event.body;
        metric = APP;
        good = body.ok;
        value = good ? body.totalMs : NaN;
        fast = good && body.totalMs <= thresholds.appSlowMs;
        if (event.ap) scopes.push(this.registry.accessPoint(ctx, event.ap));
        scopes.push(this.registry.siteApp(ctx, body.app));
        break;
      }
      case 'logon': {
        const body = event.body;
        metric = LOGON;
        good = body.ok;
        value = good ? body.totalMs : NaN;
        fast = good && body.totalMs <= thresholds.logonSlowMs;
        break;
      }
      case 'wifi': {
        const body = event.body;
        metric = WIFI;
        good = body.connected;
        // Stored as positive numbers (−dBm) because sketches hold positive values.
        value = good && body.signalDbm !== undefined ? -body.signalDbm : NaN;
        fast = good && body.signalDbm !== undefined && body.signalDbm >= thresholds.wifiWeakDbm;
        const bssid = body.bssid ?? event.ap;
        if (bssid) scopes.push(this.registry.accessPoint(ctx, bssid));
        break;
      }
      case 'net': {
        metric = NET;
        good = event.body.lossPct < 2;
        value = event.body.rttMs;
        fast = good;
        scopes.length = 1; // the site gateway concerns the site, and the device below
        scopes.push(ctx.deviceScope);
        break;
      }
      case 'health': {
        metric = HEALTH;
        value = event.body.cpuPct;
        good = event.body.cpuPct < 90;
        fast = good;
        scopes.length = 0;
        scopes.push(ctx.deviceScope);
        break;
      }
    }
    for (const scope of scopes) {
      if (ts > scope.lastSeen) scope.lastSeen = ts;
      cellOf(window.at(scope.key), metric).add(value, good, fast);
    }
    if (ts > ctx.siteScope.lastSeen) ctx.siteScope.lastSeen = ts;
    if (ts > ctx.wardScope.lastSeen) ctx.wardScope.lastSeen = ts;
    if (ts > ctx.deviceScope.lastSeen) ctx.deviceScope.lastSeen = ts;
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
          count: cell.sketch.count,
          valid: cell.valid,
          good: cell.good,
          fast: cell.fast,
          sketch: encodeSketch(cell.sketch),
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
        if (scope.startsWith('siteapp:')) continue;
        let into = merged.get(scope);
        if (!into) merged.set(scope, (into = []));
        for (const m of [APP, LOGON, WIFI]) if (cells[m]) cellOf(into, m).mergeFrom(cells[m]!);
      }
    }
    const minutes = Math.round(statusHorizonMs / 60_000);
    const statuses: ScopeStatus[] = [];
    for (const info of this.registry.scopes.values()) {
      if (info.kind === 'siteapp' || info.kind === 'trust' || info.kind === 'app') continue;
      const figures = figuresOf(merged.get(info.key));
      const verdict = judge(info.kind, figures, thresholds, minutes, end - info.lastSeen);
      if (verdict.status !== info.status) {
        info.status = verdict.status;
        info.since = end;
      }
      info.reason = verdict.reason;
      statuses.push({
        key: info.key,
        scope: info.kind,
        id: info.id,
        trust: info.trust,
        site: info.site,
        ...(info.ward !== undefined ? { ward: info.ward } : {}),
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
  const median = wifi ? quantile(wifi.sketch, 0.5) : null;
  return {
    appChecks: app?.valid ?? 0,
    p50Ms: app ? quantile(app.sketch, 0.5) : null,
    p95Ms: app ? quantile(app.sketch, 0.95) : null,
    p99Ms: app ? quantile(app.sketch, 0.99) : null,
    availability: app && app.valid > 0 ? app.good / app.valid : null,
    logons: logon?.valid ?? 0,
    logonP95Ms: logon ? quantile(logon.sketch, 0.95) : null,
    wifiSignalDbm: median === null ? null : -median,
  };
}
