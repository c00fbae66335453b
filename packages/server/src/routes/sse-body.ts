// The body of one live stream: a single ReadableStream fed with SSE frames already encoded (shared by
// every stream that shows the same thing), so a frame reaches the socket with no per-stream encoding,
// copy or extra stream layers in between — at a thousand streams each layer's promises per chunk are
// garbage the collector stops the event loop for. Backpressure comes from the reader (the socket).
export class SseBody {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Resolves the writer waiting for the reader to take what is queued. */
  private room: (() => void) | undefined;
  private readonly closeListeners: Array<() => void> = [];
  private ended = false;

  constructor() {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      pull: () => this.makeRoom(),
      // The client went away (the server cancels the body when the connection closes).
      cancel: () => this.end(),
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Queues the frames; resolves once the reader has taken them, at once when nothing is waiting. */
  async write(frames: readonly Uint8Array[]): Promise<void> {
    if (this.ended) return;
    for (const frame of frames) this.controller.enqueue(frame);
    if ((this.controller.desiredSize ?? 0) > 0) return;
    await new Promise<void>((resolve) => (this.room = resolve));
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  /** Ends the body: the stream is over (or its client is gone). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.controller.close();
    } catch {
      // already closed by a cancel: nothing left to end
    }
    this.makeRoom();
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  /** Ends the body with an error (the connection is dropped rather than ended cleanly). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.controller.error(error);
    this.end();
  }

  private makeRoom(): void {
    const resolve = this.room;
    this.room = undefined;
    resolve?.();
  }
}
