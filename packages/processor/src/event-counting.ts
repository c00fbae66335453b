// One event counted into its window: the scopes each kind of event feeds — site, ward, device, access
// point, site × application — with which metric, value and verdicts (good, fast). The processor's
// per-event path, so a scope's cells are reached through what its ScopeInfo holds of the window it
// counted into last rather than by key, and a value counted into a window already inside the status
// horizon goes to the horizon's running cells as it comes (status-horizon.ts).
import { LOGON_PHASES, type TelemetryEvent } from '@wardwatch/schema';
import { APP, APP_LOGON, APP_REAL, BOOT, Cell, DISK, DNS, HEALTH, LOGON, LOGON_PHASE_METRICS, MEM, METRICS, NET, WIFI } from './cell.ts';
import type { StatusThresholds } from './config.ts';
import type { WindowCells } from './processor-state.ts';
import type { DeviceContext, ScopeInfo, ScopeRegistry } from './scope-registry.ts';
import type { StatusHorizon } from './status-horizon.ts';

export class EventCounter {
  /** By metric index: whether the status horizon keeps the metric. */
  private readonly isStatusMetric: readonly boolean[];

  constructor(
    private readonly thresholds: StatusThresholds,
    private readonly horizon: StatusHorizon,
    /** The metrics the horizon keeps (the ones statuses read). */
    statusMetrics: readonly number[],
  ) {
    this.isStatusMetric = METRICS.map((_, m) => statusMetrics.includes(m));
  }

  /** Counts an event into `window`; scopes it touches are marked seen at `ts` (−∞: not at all). */
  count(window: WindowCells, registry: ScopeRegistry, ctx: DeviceContext, event: TelemetryEvent, ts: number): void {
    const thresholds = this.thresholds;
    const { siteScope, wardScope, deviceScope } = ctx;
    // Every kind counts into the window at least once: its revision moves once an event, not once a count.
    window.revision++;
    if (ts > siteScope.lastSeen) siteScope.lastSeen = ts;
    if (ts > wardScope.lastSeen) wardScope.lastSeen = ts;
    if (ts > deviceScope.lastSeen) deviceScope.lastSeen = ts;
    switch (event.kind) {
      case 'app': {
        const { ok, totalMs } = event.body;
        const value = ok ? totalMs : NaN;
        const fast = ok && totalMs <= thresholds.appSlowMs;
        this.countInto(window, siteScope, APP, value, ok, fast, ts);
        this.countInto(window, wardScope, APP, value, ok, fast, ts);
        this.countInto(window, deviceScope, APP, value, ok, fast, ts);
        if (event.ap) this.countInto(window, registry.accessPoint(ctx, event.ap), APP, value, ok, fast, ts);
        const siteApp = registry.siteApp(ctx, event.body.app);
        this.countInto(window, siteApp, APP, value, ok, fast, ts);
        if (event.body.source === 'real') this.countInto(window, siteApp, APP_REAL, value, ok, fast, ts);
        // DNS time per site: the evidence that tells slow name resolution from a slow network.
        const dnsMs = event.body.dnsMs;
        if (dnsMs !== undefined) this.countInto(window, siteScope, DNS, dnsMs, true, true, ts);
        return;
      }
      case 'logon': {
        const { ok, totalMs } = event.body;
        // A clinical application's logon timed by marks: its phase only, not a workstation logon.
        if (event.body.readyBy === 'application-mark') {
          const appLogonMs = event.body.phases?.appLogonMs ?? totalMs;
          this.countInto(window, siteScope, APP_LOGON, appLogonMs, true, true, ts);
          this.countInto(window, wardScope, APP_LOGON, appLogonMs, true, true, ts);
          return;
        }
        const value = ok ? totalMs : NaN;
        const fast = ok && totalMs <= thresholds.logonSlowMs;
        this.countInto(window, siteScope, LOGON, value, ok, fast, ts);
        this.countInto(window, wardScope, LOGON, value, ok, fast, ts);
        this.countInto(window, deviceScope, LOGON, value, ok, fast, ts);
        const phases = event.body.phases;
        if (phases) {
          for (let p = 0; p < LOGON_PHASES.length; p++) {
            const ms = phases[LOGON_PHASES[p]!];
            if (ms === undefined) continue;
            this.countInto(window, siteScope, LOGON_PHASE_METRICS[p]!, ms, true, true, ts);
            this.countInto(window, wardScope, LOGON_PHASE_METRICS[p]!, ms, true, true, ts);
          }
        }
        return;
      }
      case 'wifi': {
        const { connected, signalDbm } = event.body;
        // Stored as positive numbers (−dBm) because sketches hold positive values.
        const value = connected && signalDbm !== undefined ? -signalDbm : NaN;
        const fast = connected && signalDbm !== undefined && signalDbm >= thresholds.wifiWeakDbm;
        this.countInto(window, siteScope, WIFI, value, connected, fast, ts);
        this.countInto(window, wardScope, WIFI, value, connected, fast, ts);
        this.countInto(window, deviceScope, WIFI, value, connected, fast, ts);
        const bssid = event.body.bssid ?? event.ap;
        if (bssid) this.countInto(window, registry.accessPoint(ctx, bssid), WIFI, value, connected, fast, ts);
        return;
      }
      case 'net': {
        // The site gateway concerns the site; devices' own probes matter less than their checks.
        const good = event.body.lossPct < 2;
        this.countInto(window, siteScope, NET, event.body.rttMs, good, good, ts);
        return;
      }
      case 'health': {
        const { cpuPct, memPct, diskFreePct, bootMs } = event.body;
        const good = cpuPct < thresholds.cpuPressurePct;
        this.countInto(window, deviceScope, HEALTH, cpuPct, good, good, ts);
        // For the evidence pack's devices: memory pressure, low disk and boot time, per device only.
        const memOk = memPct < thresholds.memPressurePct;
        this.countInto(window, deviceScope, MEM, memPct, memOk, memOk, ts);
        const diskOk = diskFreePct >= thresholds.diskLowFreePct;
        this.countInto(window, deviceScope, DISK, diskFreePct, diskOk, diskOk, ts);
        if (bootMs !== undefined) this.countInto(window, deviceScope, BOOT, bootMs, true, bootMs <= thresholds.bootSlowMs, ts);
        return;
      }
    }
  }

  private countInto(window: WindowCells, scope: ScopeInfo, metric: number, value: number, good: boolean, fast: boolean, ts: number): void {
    if (ts > scope.lastSeen) scope.lastSeen = ts;
    // Most events fall in the window the scope saw last: skip the map lookup then.
    const columns = window.columns;
    if (columns !== undefined) {
      let entry = scope.entry;
      if (scope.cellsWindow !== window || entry < 0) {
        entry = columns.entry(scope.key);
        scope.entry = entry;
        scope.cells = undefined;
        scope.cellsWindow = window;
      }
      columns.add(entry, metric, value, good, fast);
    } else {
      let cells = scope.cells;
      if (scope.cellsWindow !== window || !cells) {
        cells = window.at(scope.key);
        scope.cells = cells;
        scope.entry = -1;
        scope.cellsWindow = window;
      }
      const cell = cells[metric];
      if (cell) cell.add(value, good, fast);
      else cells[metric] = Cell.first(value, good, fast);
    }
    if (window.inHorizon && this.isStatusMetric[metric]) this.horizon.add(scope, metric, value, good, fast);
  }
}
