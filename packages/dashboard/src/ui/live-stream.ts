// One Server-Sent Events connection per page, shared by every component that wants live updates.
// EventSource reconnects by itself; this keeps track of whether it is connected, and subscribes the
// connection to the status events the components on the page want (?statuses=): none for the grid,
// one site's scopes for a site page, devices for the device list — not every scope of the estate.
import type { ScopeStatus, SiteChange, SiteSummary, StreamClock } from '@wardwatch/schema';
import { applySiteChanges } from './site-merge.ts';

export type LiveListener = {
  sites?: (sites: SiteSummary[]) => void;
  status?: (status: ScopeStatus) => void;
  /** The statuses `status` wants: "site:<id>", "kind:<kind>" or "all" (the default). Read on each (re)subscription. */
  statuses?: () => string;
  /** The server's clock, beside each `sites` message and as the keep-alive. */
  clock?: (clock: StreamClock) => void;
  connection?: (connected: boolean) => void;
};

/** The one ?statuses= that serves every listener: none wanted → "none"; all the same → that; else "all". */
export function statusSelector(listeners: Iterable<LiveListener>): string {
  const wants = [...listeners].filter((l) => l.status).map((l) => l.statuses?.() ?? 'all');
  if (wants.length === 0) return 'none';
  return wants.every((w) => w === wants[0]) ? wants[0]! : 'all';
}

class LiveStream {
  private source: EventSource | undefined;
  private selector = '';
  private readonly listeners = new Set<LiveListener>();
  /** While set, the connection waits (see hold). */
  private held: Promise<unknown> | undefined;
  /** The site list as last sent whole, with the changes since merged in. */
  private sites = new Map<string, SiteSummary>();
  connected = false;

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    this.refresh();
    listener.connection?.(this.connected);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
      else this.refresh();
    };
  }

  /**
   * Opens no connection until `until` settles: the page's first drawing of the site list it fetched
   * is not made to share the machine with the stream's first message, which repeats that list.
   */
  hold(until: Promise<unknown>): void {
    const held = until.then(
      () => {},
      () => {},
    );
    this.held = held;
    void held.then(() => {
      if (this.held !== held) return;
      this.held = undefined;
      if (this.listeners.size > 0) this.refresh();
    });
  }

  /** Re-reads what the listeners want and reconnects when that changed. */
  refresh(): void {
    if (this.held) return;
    const selector = statusSelector(this.listeners);
    if (this.source && selector === this.selector) return;
    // A deliberate reconnect keeps the connected state: the new source reports its own.
    this.source?.close();
    this.selector = selector;
    this.open();
  }

  private open(): void {
    // The site list whole once, then only the sites' changed fields (sites=changes).
    const source = new EventSource(`api/stream?sites=changes&statuses=${encodeURIComponent(this.selector)}`);
    this.source = source;
    source.onopen = () => this.setConnected(true);
    source.onerror = () => this.setConnected(source.readyState === EventSource.OPEN);
    source.addEventListener('sites', (event) => {
      const sites = JSON.parse((event as MessageEvent<string>).data) as SiteSummary[];
      this.sites = new Map(sites.map((s) => [s.id, s]));
      for (const l of this.listeners) l.sites?.(sites);
    });
    source.addEventListener('sites-changed', (event) => {
      const sites = applySiteChanges(this.sites, JSON.parse((event as MessageEvent<string>).data) as SiteChange[]);
      for (const l of this.listeners) l.sites?.(sites);
    });
    source.addEventListener('clock', (event) => {
      const clock = JSON.parse((event as MessageEvent<string>).data) as StreamClock;
      for (const l of this.listeners) l.clock?.(clock);
    });
    source.addEventListener('status', (event) => {
      const status = JSON.parse((event as MessageEvent<string>).data) as ScopeStatus;
      for (const l of this.listeners) l.status?.(status);
    });
  }

  private close(): void {
    this.source?.close();
    this.source = undefined;
    this.selector = '';
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    for (const l of this.listeners) l.connection?.(connected);
  }
}

export const liveStream = new LiveStream();
