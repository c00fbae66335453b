// Loads JSON for a component, and reloads it on demand (throttled), keeping the last good value
// while a reload is under way or fails.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FetchController<T> implements ReactiveController {
  value: T | undefined;
  error: string | undefined;
  loading = false;
  private url: string | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private lastLoad = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly minIntervalMs = 2000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.pending);
  }

  /** Loads `url` now if it changed (or `now` is set: after a change the caller made), otherwise at most once per interval. */
  load(url: string, now = false): void {
    if (now && url === this.url) {
      clearTimeout(this.pending);
      this.pending = undefined;
      void this.fetchNow();
      return;
    }
    if (url !== this.url) {
      this.url = url;
      this.value = undefined;
      void this.fetchNow();
      return;
    }
    if (this.pending) return;
    const wait = Math.max(0, this.lastLoad + this.minIntervalMs - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.fetchNow();
    }, wait);
  }

  private async fetchNow(): Promise<void> {
    const url = this.url!;
    this.loading = true;
    this.lastLoad = Date.now();
    this.host.requestUpdate();
    try {
      const response = await fetch(url);
      const body = await response.json();
      if (url !== this.url) return;
      if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
      this.value = body as T;
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }
}
