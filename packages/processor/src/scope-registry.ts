// The scopes the processor knows (site, ward, device, access point, site × application), the
// per-device context that saves building scope keys per event, and the last verdict of each scope.
import type { Health, ScopeFigures, ScopeKind, ScopeStatus } from '@wardwatch/schema';
import type { ScopeCells } from './cell.ts';
import { ReplayWindow } from './replay-window.ts';

export type AggregateScope = ScopeKind | 'siteapp';

export interface ScopeInfo {
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
  /** The status last published, and the evaluation's end it was published at. */
  published?: ScopeStatus;
  publishedAt?: number;
  /** The cells of the window this scope last counted into (a cache for the per-event path). */
  cells?: ScopeCells;
  /**
   * The window those cells belong to, by identity: a correction window and a live window can share a
   * start, and a correction must never land in the live cells.
   */
  cellsWindow?: object;
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
  /** "site/app" → scope, so app events do not build a key string each time. */
  private readonly siteApps = new Map<string, ScopeInfo>();

  scope(kind: AggregateScope, id: string, trust: string, site: string, ward?: string): ScopeInfo {
    const key = `${kind}:${id}`;
    let info = this.scopes.get(key);
    if (!info) {
      info = { key, kind, id, trust, site, ward, lastSeen: -Infinity };
      this.scopes.set(key, info);
    }
    return info;
  }

  /** The context of a device, (re)built when it is new or has moved site or ward. */
  device(device: string, trust: string, site: string, ward: string): DeviceContext {
    let ctx = this.devices.get(device);
    if (ctx && ctx.site === site && ctx.ward === ward && ctx.trust === trust) return ctx;
    const replay = ctx?.replay ?? new ReplayWindow();
    const skew = ctx?.skewAt !== undefined ? { skewMs: ctx.skewMs, skewAt: ctx.skewAt } : {};
    ctx = {
      device,
      trust,
      site,
      ward,
      siteScope: this.scope('site', site, trust, site),
      wardScope: this.scope('ward', `${site}/${ward}`, trust, site, ward),
      deviceScope: this.scope('device', device, trust, site, ward),
      replay,
      ...skew,
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
    const id = `${ctx.site}/${app}`;
    let info = this.siteApps.get(id);
    if (!info) {
      info = this.scope('siteapp', id, ctx.trust, ctx.site);
      this.siteApps.set(id, info);
    }
    return info;
  }

  /** Forgets scopes and devices not seen (nor heard of in corrections) since `before`. */
  forget(before: number): void {
    const stale = (info: ScopeInfo) => info.lastSeen < before && !(info.heardAt! >= before);
    for (const [key, info] of this.scopes) {
      if (stale(info)) {
        this.scopes.delete(key);
        if (info.kind === 'siteapp') this.siteApps.delete(info.id);
      }
    }
    for (const [id, ctx] of this.devices) {
      if (stale(ctx.deviceScope)) this.devices.delete(id);
      else if (ctx.apScope && !this.scopes.has(ctx.apScope.key)) ctx.apScope = ctx.ap = undefined;
    }
  }
}
