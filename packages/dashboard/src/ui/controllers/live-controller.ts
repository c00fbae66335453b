// Attaches a component to the shared live stream while it is in the document.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { liveStream, type LiveListener } from '../live-stream.ts';

export class LiveController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly listener: LiveListener,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = liveStream.subscribe(this.listener);
  }

  /** The listener's wants changed (another site, say): resubscribe the page's stream if needed. */
  refresh(): void {
    if (this.unsubscribe) liveStream.refresh();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
