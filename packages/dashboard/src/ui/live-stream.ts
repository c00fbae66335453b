// One Server-Sent Events connection per page, shared by every component that wants live updates.
// EventSource reconnects by itself; this keeps track of whether it is connected.
import type { ScopeStatus, SiteSummary, StreamClock } from '@wardwatch/schema';

export type LiveListener = {
  sites?: (sites: SiteSummary[]) => void;
  status?: (status: ScopeStatus) => void;
  /** The server's clock, beside each `sites` message and as the keep-alive. */
  clock?: (clock: StreamClock) => void;
  connection?: (connected: boolean) => void;
};

class LiveStream {
  private source: EventSource | undefined;
  private readonly listeners = new Set<LiveListener>();
  connected = false;

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    this.open();
    listener.connection?.(this.connected);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  private open(): void {
    if (this.source) return;
    const source = new EventSource('api/stream');
    this.source = source;
    source.onopen = () => this.setConnected(true);
    source.onerror = () => this.setConnected(source.readyState === EventSource.OPEN);
    source.addEventListener('sites', (event) => {
      const sites = JSON.parse((event as MessageEvent<string>).data) as SiteSummary[];
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
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    for (const l of this.listeners) l.connection?.(connected);
  }
}

export const liveStream = new LiveStream();
