// The scopes the processor knows (site, ward, device, access point, site × application), the
// per-device context that saves building scope keys per event, and the last verdict of each scope.
import type { Health, ScopeFigures, ScopeKind, ScopeStatus } from '@wardwatch/schema';
import type { ScopeCells } from './cell.ts';
import { ReplayWindow } from './replay-window.ts';
import type { HorizonCells, HorizonSlot } from './status-horizon.ts';

export type AggregateScope = ScopeKind | 'siteapp';

export interface ScopeInfo extends HorizonSlot {
  key: string;
  kind: AggregateScope;
  id: string;
  trust: string;
  site: string;
  ward?: string;
  /** Highest event time seen live for this scope (corrections do not move it). */
  lastSeen: number;
  /** Highest event time counted as a late correction: forgetting waits for it too. */
  heardAt?: number;
  status?: Health;
  reason?: string;
  since?: number;
  /** Figures of the latest evaluation, kept while the scope's horizon cells do not change. */
  figures?: ScopeFigures;
  /** The key its statuses are published under, where that is not `key` (site × application: "app:…"). */
  statusKey?: string;
  /** The status last published, and the evaluation's end it was published at. */
  published?: ScopeStatus;
  publishedAt?: number;
  /**
   * The latest evaluation that judged this scope: its end, the figures it judged (with the device's
   * clock skew, if any), the device's access point then, and the status it gave — built only once
   * published or asked for (`StreamProcessor.statuses()`): most judgements publish nothing.
   */
  judgedAt?: number;
  judgedFigures?: ScopeFigures;
  judgedAp?: string;
  judgedStatus?: ScopeStatus;
  /** The cells of the window this scope last counted into (a cache for the per-event path). */
  cells?: ScopeCells;
  /** Its entry in the columns of the window it last counted into, while that window is counted into columns (else −1). */
  entry: number;
  /**
   * The window those cells belong to, by identity: a correction window and a live window can share a
   * start, and a correction must never land in the live cells.
   */
  cellsWindow?: object;
  /** The status horizon's running cells of this scope, and what its adds changed (status-horizon.ts). */
  horizonCells: HorizonCells | undefined;
  horizonEpoch: number;
  horizonChanged: number;
}

export interface DeviceContext {
  device: string;
  trust: string;
  site: string;
  ward: string;
  siteScope: ScopeInfo;
  wardScope: ScopeInfo;
  deviceScope: ScopeInfo;
  ap?: string;
  apScope?: ScopeInfo;
  replay: ReplayWindow;
  /** The device clock's latest known skew (ahead of the receiver, ms), and the event time it came with. */
  skewMs?: number;
  skewAt?: number;
}

export class ScopeRegistry {
  readonly scopes = new Map<string, ScopeInfo>();
  readonly devices = new Map<string, DeviceContext>();
  /** Site → application → scope, so app events do not build a key string each time. */
  private readonly siteApps = new Map<string, Map<string, ScopeInfo>>();
  /** Scopes added since forget last scanned, and the lowest last-seen (or heard-at) time it kept. */
  private addedSinceScan = 0;
  private keptFrom = -Infinity;

  scope(kind: AggregateScope, id: string, trust: string, site: string, ward?: string): ScopeInfo {
    const key = `${kind}:${id}`;
    let info = this.scopes.get(key);
    if (!info) {
      // Every field from the start, in one order: scopes gaining fields in different orders (a device
      // its cells, a site its status first) made as many hidden classes, and the per-event reads of
      // `lastSeen` and `cells` megamorphic.
      info = {
        key, kind, id, trust, site, ward, lastSeen: -Infinity, heardAt: undefined, status: undefined, reason: undefined, since: undefined,
        figures: undefined, statusKey: undefined, published: undefined, publishedAt: undefined, judgedAt: undefined, judgedFigures: undefined,
        judgedAp: undefined, judgedStatus: undefined, cells: undefined, entry: -1, cellsWindow: undefined,
        horizonCells: undefined, horizonEpoch: -1, horizonChanged: 0,
      };
      this.scopes.set(key, info);
      this.addedSinceScan++;
    }
    return info;
  }

  /** The context of a device, (re)built when it is new or has moved site or ward. */
  device(device: string, trust: string, site: string, ward: string): DeviceContext {
    let ctx = this.devices.get(device);
    if (ctx && ctx.site === site && ctx.ward === ward && ctx.trust === trust) return ctx;
    const replay = ctx?.replay ?? new ReplayWindow();
    const known = ctx?.skewAt !== undefined;
    // Every field from the start (one hidden class for all devices).
    ctx = {
      device,
      trust,
      site,
      ward,
      siteScope: this.scope('site', site, trust, site),
      wardScope: this.scope('ward', `${site}/${ward}`, trust, site, ward),
      deviceScope: this.scope('device', device, trust, site, ward),
      ap: undefined,
      apScope: undefined,
      replay,
      skewMs: known ? ctx!.skewMs : undefined,
      skewAt: known ? ctx!.skewAt : undefined,
    };
    this.devices.set(device, ctx);
    return ctx;
  }

  accessPoint(ctx: DeviceContext, bssid: string): ScopeInfo {
    if (ctx.ap !== bssid || !ctx.apScope) {
      ctx.ap = bssid;
      ctx.apScope = this.scope('ap', bssid, ctx.trust, ctx.site, ctx.ward);
    }
    return ctx.apScope;
  }

  siteApp(ctx: DeviceContext, app: string): ScopeInfo {
    let apps = this.siteApps.get(ctx.site);
    if (!apps) this.siteApps.set(ctx.site, (apps = new Map()));
    let info = apps.get(app);
    if (!info) {
      info = this.scope('siteapp', `${ctx.site}/${app}`, ctx.trust, ctx.site);
      apps.set(app, info);
    }
    return info;
  }

  /** Forgets scopes and devices not seen (nor heard of in corrections) since `before`. */
  forget(before: number): void {
    // Every advance asks; the answer is nearly always "none". Times only grow, so while no scope has
    // been added since the last scan and `before` has not passed the lowest time that kept one then,
    // a scan would find nothing.
    if (this.addedSinceScan === 0 && before <= this.keptFrom) return;
    let keptFrom = Infinity;
    let siteAppGone = false;
    for (const info of this.scopes.values()) {
      const heard = heardOf(info);
      if (heard < before) {
        this.scopes.delete(info.key);
        if (info.kind === 'siteapp') siteAppGone = true;
      } else if (heard < keptFrom) keptFrom = heard;
    }
    // (Site and application ids may hold "/": two pairs can share a scope, so look at every entry.)
    if (siteAppGone) for (const apps of this.siteApps.values()) for (const [app, info] of apps) if (this.scopes.get(info.key) !== info) apps.delete(app);
    this.addedSinceScan = 0;
    this.keptFrom = keptFrom;
    for (const ctx of this.devices.values()) {
      if (heardOf(ctx.deviceScope) < before) this.devices.delete(ctx.device);
      else if (ctx.apScope && !this.scopes.has(ctx.apScope.key)) ctx.apScope = ctx.ap = undefined;
    }
  }
}

/** The latest time a scope was seen live or heard of in a correction. */
const heardOf = (info: ScopeInfo): number => (info.heardAt !== undefined && info.heardAt > info.lastSeen ? info.heardAt : info.lastSeen);
